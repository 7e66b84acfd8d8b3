"""One error shape everywhere: `{"error": {"code", "message", "fields"}}`."""
from __future__ import annotations

import logging
import traceback
from pathlib import Path

from flask import Flask, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

CODES = {
    400: "malformed", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 410: "gone", 413: "too_large",
    415: "unsupported_media_type", 422: "invalid", 429: "rate_limited",
    503: "unavailable",
}


class ApiError(Exception):
    """An error answered as JSON with `status`."""

    def __init__(self, status: int, message: str, code: str | None = None,
                 fields: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.fields = fields or {}
        # Sent with the answer, such as Retry-After on a 503.
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    """A JSON error response."""
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    return response


def _flatten(messages) -> dict:
    """webargs nests errors by location (`{"json": {...}}`); the wire wants field names."""
    if isinstance(messages, dict):
        if set(messages) <= {"json", "query", "form", "headers", "files", "view_args", "path"}:
            merged: dict = {}
            for value in messages.values():
                merged.update(value if isinstance(value, dict) else {"_schema": value})
            return merged
        return messages
    return {"_schema": messages} if messages else {}


def handle_api_error(error: ApiError):
    response = error_response(error.status, error.code, error.message, error.fields)
    response.headers.update(error.headers)
    return response


def api_methods(path: str) -> set[str]:
    """Methods an API rule serves at `path`; the PWA's catch-all GET rule does not count."""
    adapter = current_app.create_url_adapter(request)
    methods = set()
    for method in adapter.allowed_methods(path):
        try:
            rule, _ = adapter.match(path, method=method, return_rule=True)
        except HTTPException:
            continue
        if not rule.endpoint.startswith("pwa."):
            methods.add(method)
    return methods


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status == 405 and request.path.startswith("/api/") and not api_methods(request.path):
        # Only the PWA's GET-any-path rule matched: an unknown endpoint, not a wrong method.
        return error_response(404, "not_found", "no such endpoint")
    data = getattr(error, "data", None) or {}
    fields = _flatten(data.get("messages", {})) if isinstance(data, dict) else {}
    message = error.description if isinstance(error.description, str) else error.name
    if status == 422 and fields:
        message = "some fields are not valid"
    response = error_response(status, CODES.get(status, "error"), message, fields)
    for header in ("Retry-After", "Allow"):
        value = error.get_response().headers.get(header)
        if value:
            response.headers[header] = value
    return response


def handle_database_down(error: Exception):
    log.warning("database unavailable: %s", error)
    response = error_response(503, "unavailable", "the database is unavailable; try again")
    response.headers["Retry-After"] = "5"
    return response


def handle_recursion(error: RecursionError):
    """A JSON body nested deeper than the parser recurses is malformed input, not a fault."""
    frames = traceback.extract_tb(error.__traceback__)
    if frames and Path(frames[-1].filename).parent.name == "json":
        return error_response(400, "malformed", "the body is nested too deeply")
    return handle_unexpected(error)


def handle_integrity_error(error: IntegrityError):
    # Two requests raced to create the same unique thing (a username, a project code):
    # the checks before writing passed for both, the database kept the first.
    db.session.rollback()
    log.info("integrity error answered 409: %s", error.orig)
    return error_response(409, "conflict", "this conflicts with data saved a moment ago; try again")


def handle_unexpected(error: Exception):
    log.exception("unhandled error")
    return error_response(500, "internal", "an unexpected error happened on the server")


def register_error_handlers(app: Flask) -> None:
    """JSON for every error, so no client ever sees an HTML error page."""
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(InterfaceError, handle_database_down)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(RecursionError, handle_recursion)
    app.register_error_handler(Exception, handle_unexpected)
