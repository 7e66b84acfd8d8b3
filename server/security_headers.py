"""Security headers on every answer: the page, the API, errors and files alike.

A route that sets one of these itself (a blob served with a sandboxing CSP) keeps its own.
"""
from __future__ import annotations

from flask import Flask, Response, request

# The app is plain ES modules and one stylesheet from its own origin: no inline script or
# style, no eval. Photos are previewed from `blob:` URLs made of the bytes on the phone.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # For browsers older than frame-ancestors.
    "X-Frame-Options": "DENY",
    # Record links carry ids; no other site needs to learn them.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# Header names compare without case.
_BY_NAME = [(name.lower(), name, value) for name, value in HEADERS.items()]


def add_security_headers(response: Response) -> Response:
    """Set each security header the route has not set itself."""
    # The answer's header names are read once: `setdefault` searched them once per header
    # and raised a KeyError for each one missing, five times for most answers.
    headers = response.headers
    present = {name.lower() for name, _ in headers}
    for lower, name, value in _BY_NAME:
        if lower not in present:
            headers.add(name, value)
    # Only an answer over TLS may pin TLS: sent over plain HTTP, a browser ignores it
    # anyway, and a server reached by its address on a LAN must stay reachable.
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security",
                                    "max-age=31536000; includeSubDomains")
    return response


def register_security_headers(app: Flask) -> None:
    """Every answer of `app`, error answers included, gets the headers."""
    app.after_request(add_security_headers)
