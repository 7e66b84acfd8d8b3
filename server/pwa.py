"""Serves the PWA: its files at the site root, and index.html for in-app routes."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory

from .errors import ApiError

bp = Blueprint("pwa", __name__)

# The service worker and the page must be revalidated on every load so an update is seen.
NO_CACHE = {"sw.js", "index.html", "manifest.webmanifest"}


@bp.route("/", methods=["GET"])
def index():
    """The app shell."""
    return _send("index.html")


@bp.route("/<path:path>", methods=["GET"])
def asset(path: str):
    """A file of the PWA, or the shell for an in-app route such as /r/task/<id>."""
    if path.startswith("api/") or path == "api":
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
