"""Serves the PWA: its files at the site root, and index.html for in-app routes."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

from werkzeug.exceptions import MethodNotAllowed

from .errors import ApiError, api_methods

bp = Blueprint("pwa", __name__)

# The service worker and the page must be revalidated on every load so an update is seen.
NO_CACHE = {"sw.js", "index.html", "manifest.webmanifest"}
# What the service worker precaches: the page, the manifest and these folders.
SHELL_FOLDERS = ("css", "i18n", "icons", "js")
SHELL_SUFFIXES = {".css", ".js", ".json", ".png", ".svg", ".webp", ".woff2"}


@lru_cache(maxsize=4)
def _shell_manifest(root: str, stamp: tuple) -> dict:
    """The shell's file list and a version hashed from their bytes (`stamp` keys the cache)."""
    base = Path(root)
    files = sorted(p for folder in SHELL_FOLDERS for p in (base / folder).rglob("*")
                   if p.is_file() and p.suffix in SHELL_SUFFIXES)
    digest = hashlib.sha256()
    for path in [base / "index.html", base / "manifest.webmanifest", *files]:
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    urls = ["/", "/manifest.webmanifest"] + [f"/{p.relative_to(base).as_posix()}" for p in files]
    return {"version": digest.hexdigest()[:16], "files": urls}


def shell_manifest(root: str) -> dict:
    """The shell manifest of the PWA folder `root`, recomputed when a file changes."""
    base = Path(root)
    paths = [p for folder in SHELL_FOLDERS for p in (base / folder).rglob("*") if p.is_file()]
    paths += [base / "index.html", base / "manifest.webmanifest"]
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths))
    return _shell_manifest(root, stamp)


@bp.route("/", methods=["GET"])
def index():
    """The app shell."""
    return _send("index.html")


@bp.route("/shell-manifest.js", methods=["GET"])
def shell_manifest_script():
    """The list of shell files the service worker precaches, with their version."""
    manifest = shell_manifest(current_app.config["PWA_DIR"])
    body = f"self.SHELL_MANIFEST = {json.dumps(manifest, separators=(',', ':'))};\n"
    return Response(body, content_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "no-cache"})


@bp.route("/<path:path>", methods=["GET"])
def asset(path: str):
    """A file of the PWA, or the shell for an in-app route such as /r/task/<id>."""
    if path.startswith("api/") or path == "api":
        # Only this catch-all serves GET here: a wrong method if an API rule has the path.
        allowed = api_methods("/" + path)
        if allowed:
            raise MethodNotAllowed(valid_methods=sorted(allowed))
        raise ApiError(404, "no such endpoint")
    root = Path(current_app.config["PWA_DIR"]).resolve()
    target = (root / path).resolve()
    if target.is_relative_to(root) and target.is_file():
        return _send(str(target.relative_to(root)))
    if "." in path.rsplit("/", 1)[-1]:
        raise ApiError(404, "no such file")
    return _send("index.html")


def _send(name: str):
    response = send_from_directory(current_app.config["PWA_DIR"], name)
    if name in NO_CACHE:
        response.headers["Cache-Control"] = "no-cache"
    if name == "sw.js":
        response.headers["Service-Worker-Allowed"] = "/"
    return response
