"""Blob endpoints: idempotent upload, existence check, stripped variants, and the pages of a
PDF as images."""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
from pathlib import Path

from flask import Response, current_app, g, request
from marshmallow import Schema, fields, validate
from sqlalchemy.exc import IntegrityError

from ..accounts.tokens import login_required
from ..errors import ApiError
from ..extensions import Blueprint, db
from ..records.base import SHA256_RE
from . import images, page_cache, pages, references, stripping
from .models import Blob

log = logging.getLogger(__name__)
bp = Blueprint("blobs", __name__, url_prefix="/api/blobs", description="Photos and drawings")
SHA = "<sha256>"
# Seconds a client waits before retrying an upload the disk refused (full, over quota,
# failing): an operator has to act, so not the database's few seconds.
DISK_RETRY_AFTER = 60


def _checked(sha256: str) -> str:
    """The blob name in the URL, lower-case (either case is accepted), or ApiError 400."""
    if not SHA256_RE.match(sha256):
        raise ApiError(400, "a blob's name is the hex SHA-256 of its bytes",
                       "malformed", {"sha256": ["must be 64 hex digits"]})
    return sha256.lower()


class BlobOut(Schema):
    sha256 = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    meta = fields.Dict()


class VariantQuery(Schema):
    variant = fields.String(load_default="display",
                            validate=validate.OneOf(("thumb", "display", "original")))


def _path(sha256: str, variant: str = "original") -> Path:
    root = Path(current_app.config["BLOB_DIR"])
    suffix = "" if variant == "original" else f".{variant}"
    return root / sha256[:2] / sha256[2:4] / f"{sha256}{suffix}"


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a crash leaves the old file or none, never half of one. A
    failing write (disk full, over quota, I/O error) removes its partial file and raises
    the OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own per write: two requests may store the same blob at once.
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(8)}.part")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove the partial blob file %s", temporary)
        raise


def _store(path: Path, data: bytes) -> None:
    """`_write`, a disk that refuses the bytes answered as the server fault it is: 503."""
    try:
        _write(path, data)
    except OSError as error:
        log.error("could not store blob %s: %s", path.name, error)
        raise ApiError(503, "the server could not store the file; try again later",
                       "unavailable", headers={"Retry-After": str(DISK_RETRY_AFTER)}) from error


def keep(data: bytes, created_by: str | None) -> str:
    """Store bytes that passed `images.check` as an upload would, in the caller's
    transaction (for the demo's drawings); their name."""
    sha256 = hashlib.sha256(data).hexdigest()
    if db.session.get(Blob, sha256) is None:
        checked = images.check(data)
        _write(_path(sha256), data)
        db.session.add(Blob(sha256=sha256, content_type=checked.content_type, size=len(data),
                            width=checked.width, height=checked.height,
                            meta=checked.meta or {}, created_by=created_by))
    return sha256


def _body(sha256: str) -> bytes:
    """The request's bytes, within the size limit and hashing to the name; else 413/400."""
    limit = current_app.config["BLOB_MAX_BYTES"]
    if (request.content_length or 0) > limit:
        raise ApiError(413, f"a blob may be at most {limit} bytes")
    # A chunked body has no length to check first, and its stream stops quietly at the
    # limit given: one byte more tells a body over the limit from one just at it.
    request.max_content_length = limit + 1
    data = request.get_data(cache=False)
    if len(data) > limit:
        raise ApiError(413, f"a blob may be at most {limit} bytes")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ApiError(400, "the bytes do not hash to the name", "hash_mismatch")
    return data


def _described(blob: Blob, access: str | None) -> dict:
    """A blob as the caller may learn of it: where a photo was taken only for members of a
    project that uses it."""
    meta = dict(blob.meta or {})
    if access != "member":
        meta.pop("location", None)
    return {"sha256": blob.sha256, "content_type": blob.content_type, "size": blob.size,
            "width": blob.width, "height": blob.height, "meta": meta}


def _readable(sha256: str) -> Blob | None:
    """The stored blob, if the caller may read it."""
    blob = db.session.get(Blob, sha256)
    if blob is None or references.access(g.caller, blob) is None:
        return None
    return blob


@bp.route(f"/{SHA}", methods=["PUT"])
@login_required
@bp.response(201, BlobOut)
@bp.alt_response(200, schema=BlobOut, description="already stored")
@bp.alt_response(413, description="over the size limit, or an image with more pixels "
                 "than the server decodes")
@bp.alt_response(415, description="not an allowed kind of file")
@bp.alt_response(503, description="the disk refused the bytes (full, over quota, failing); "
                 "nothing was stored: retry after Retry-After seconds")
def upload(sha256):
    """Store a blob under the SHA-256 of its bytes (idempotent)."""
    sha256 = _checked(sha256)
    # The bytes are sent and checked even when the blob is stored: the answer then tells
    # only what those bytes show, to someone who has them.
    data = _body(sha256)
    existing = db.session.get(Blob, sha256)
    if existing is not None:
        return _described(existing, references.access(g.caller, existing)), 200
    try:
        checked = images.check(data)
    except images.TooLarge as error:
        raise ApiError(413, str(error), "too_large")
    except images.NotAllowed as error:
        raise ApiError(415, str(error))
    _store(_path(sha256), data)
    blob = Blob(sha256=sha256, content_type=checked.content_type, size=len(data),
                width=checked.width, height=checked.height, meta=checked.meta or {},
                created_by=g.caller.user_id)
    db.session.add(blob)
    try:
        db.session.commit()
    except IntegrityError:
        # The same bytes uploaded twice at once (a retry racing its first try): the first
        # commit stored them, so this upload is one of "already stored".
        db.session.rollback()
        existing = db.session.get(Blob, sha256)
        if existing is None:
            raise
        return _described(existing, references.access(g.caller, existing)), 200
    return _described(blob, references.access(g.caller, blob)), 201


@bp.route(f"/{SHA}", methods=["HEAD"])
@login_required
@bp.response(200)
@bp.alt_response(404, description="not stored, or not readable by the caller")
def exists(sha256):
    """Whether a blob the caller may read is stored, so a client can skip the upload."""
    if not SHA256_RE.match(sha256) or _readable(sha256.lower()) is None:
        return Response(status=404)
    return Response(status=200)


# No browser runs or sniffs what is served: a PDF is downloaded, never shown in the app's
# origin; an image is only an image.
SERVED_HEADERS = {"X-Content-Type-Options": "nosniff",
                  "Content-Security-Policy": "default-src 'none'; sandbox",
                  "Cache-Control": "private, max-age=31536000, immutable"}


def _variant(sha256: str, name: str) -> tuple[bytes, str]:
    """A cleaned variant of a stored image, from the cache or made and cached."""
    for suffix, content_type in ((".jpg", "image/jpeg"), (".png", "image/png")):
        cached = _path(sha256, name + suffix)
        if cached.exists():
            return cached.read_bytes(), content_type
    try:
        data, content_type = images.variant(_path(sha256).read_bytes(), name)
    except images.TooLarge as error:
        raise ApiError(413, str(error), "too_large")
    except (images.NotAllowed, stripping.Unreadable, OSError, SyntaxError, ValueError) as error:
        log.warning("blob %s has no %s variant: %s", sha256, name, error)
        raise ApiError(415, "this file cannot be served as an image", "unsupported_media_type")
    cached = _path(sha256, name + (".jpg" if content_type == "image/jpeg" else ".png"))
    try:
        _write(cached, data)
    except OSError as error:  # the copy is only a cache: serve the variant anyway
        log.warning("could not cache a variant of blob %s: %s", sha256, error)
    return data, content_type


def stored_variant(sha256: str, name: str) -> tuple[bytes, str]:
    """A cleaned variant of a stored image, for pages the server makes (ApiError when the
    blob is no image it can serve)."""
    return _variant(sha256, name)


@bp.route(f"/{SHA}", methods=["GET"])
@login_required
@bp.arguments(VariantQuery, location="query")
@bp.response(200, description="the bytes, without EXIF or GPS")
@bp.alt_response(404, description="not stored, or not readable by the caller")
def download(query, sha256):
    """A blob's bytes: a thumbnail, a display size, or the original, cleaned of metadata;
    a PDF as an attachment."""
    sha256 = _checked(sha256)
    blob = _readable(sha256)
    if blob is None:
        raise ApiError(404, "no blob with that name")
    if blob.content_type == "application/pdf":
        response = Response(_path(sha256).read_bytes(), content_type=blob.content_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{sha256}.pdf"'
    else:
        data, content_type = _variant(sha256, query["variant"])
        response = Response(data, content_type=content_type)
        response.headers["Content-Disposition"] = "inline"
    response.headers.update(SERVED_HEADERS)
    return response


class PagesOut(Schema):
    pages = fields.Integer(metadata={"description": "how many pages the PDF has"})
    sizes = fields.List(fields.List(fields.Float()),
                        metadata={"description": "each page's [width, height] in points"})


class PageQuery(Schema):
    width = fields.Integer(load_default=pages.DEFAULT_WIDTH,
                           validate=validate.Range(min=1, max=100_000),
                           metadata={"description": f"pixels wide, rounded to a step of "
                                     f"{pages.WIDTH_STEP} within {pages.MIN_WIDTH}–"
                                     f"{pages.MAX_WIDTH}"})


def _readable_pdf(sha256: str) -> Blob:
    """A stored PDF the caller may read; ApiError 404 (unknown or unreadable) or 415."""
    blob = _readable(_checked(sha256))
    if blob is None:
        raise ApiError(404, "no blob with that name")
    if blob.content_type != "application/pdf":
        raise ApiError(415, "only a PDF has pages; an image is served as it is",
                       "unsupported_media_type")
    return blob


@bp.route(f"/{SHA}/pages", methods=["GET"])
@login_required
@bp.response(200, PagesOut)
@bp.alt_response(404, description="not stored, or not readable by the caller")
@bp.alt_response(415, description="not a PDF")
def page_count(sha256):
    """How many pages a PDF has, and their sizes, for a viewer that shows them as images."""
    blob = _readable_pdf(sha256)
    try:
        sizes = pages.page_sizes(_path(blob.sha256))
    except (pages.Unrenderable, OSError) as error:
        log.warning("blob %s has no pages: %s", blob.sha256, error)
        raise ApiError(415, "this PDF cannot be shown page by page", "unsupported_media_type")
    return {"pages": len(sizes), "sizes": [[round(w, 2), round(h, 2)] for w, h in sizes]}


@bp.route(f"/{SHA}/pages/<int:number>", methods=["GET"])
@login_required
@bp.arguments(PageQuery, location="query")
@bp.response(200, description="the page as a PNG image")
@bp.alt_response(404, description="not stored, not readable by the caller, or no such page")
@bp.alt_response(415, description="not a PDF")
def page_image(query, sha256, number):
    """One page of a PDF rendered as a PNG image, cached on the server."""
    blob = _readable_pdf(sha256)
    width = pages.snapped(query["width"])
    cached = _path(blob.sha256, page_cache.name(number, width))
    data = page_cache.read(cached)
    if data is None:
        try:
            data = pages.render(_path(blob.sha256), number, width)
        except IndexError:
            raise ApiError(404, f"the PDF has no page {number}") from None
        except (pages.Unrenderable, OSError) as error:
            log.warning("blob %s page %s not rendered: %s", blob.sha256, number, error)
            raise ApiError(415, "this PDF cannot be shown page by page",
                           "unsupported_media_type")
        try:
            _write(cached, data)
            page_cache.bound(Path(current_app.config["BLOB_DIR"]),
                             current_app.config["PAGE_CACHE_BYTES"], keep=cached)
        except OSError as error:  # only a cache: serve the render anyway
            log.warning("could not cache page %s of blob %s: %s", number, blob.sha256, error)
    response = Response(data, content_type="image/png")
    response.headers["Content-Disposition"] = "inline"
    response.headers.update(SERVED_HEADERS)
    return response
