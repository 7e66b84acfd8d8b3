"""Gunicorn's own error answers (a request line or headers too long, a request it cannot
parse) in the API's JSON shape instead of gunicorn's HTML page.

Gunicorn answers these before the app sees the request, through `gunicorn.util.write_error`;
`gunicorn.conf.py` installs `write_json_error` in its place.
"""
from __future__ import annotations

import json

CODES = {400: "malformed", 413: "too_large", 414: "too_large", 431: "too_large"}


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """Write an error response as `{"error": {"code", "message", "fields"}}` and close."""
    from gunicorn.util import write_nonblock

    from .security_headers import HEADERS
    body = json.dumps({"error": {"code": CODES.get(status_int, "error"),
                                 "message": f"{reason}: {mesg}" if mesg else reason,
                                 "fields": {}}}).encode()
    security = "".join(f"{name}: {value}\r\n" for name, value in HEADERS.items())
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n{security}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    write_nonblock(sock, head.encode("latin-1") + body)


def install() -> None:
    """Make gunicorn's workers answer their own errors with `write_json_error`."""
    import gunicorn.util
    gunicorn.util.write_error = write_json_error
