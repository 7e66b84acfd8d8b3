"""QR codes for site signs: each leads to a record's page and its history."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import current_app, request

from ..errors import ApiError

# Hosts a link may name without configuration: they lead to the machine the phone is on,
# so a forged Host header cannot send a reader anywhere else.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def public_root() -> str:
    """The app's public address: PUBLIC_URL, else the request's host when it is trusted
    (in TRUSTED_HOSTS, which Flask checks on every request, or a local one)."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured
    # request.host is checked against TRUSTED_HOSTS by Flask (400 when not in it).
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if current_app.config.get("TRUSTED_HOSTS") or host.lower() in LOCAL_HOSTS:
        return request.host_url
    raise ApiError(503, "the server does not know its public address; set PUBLIC_URL "
                        "or TRUSTED_HOSTS", "unavailable")


def record_link(root_url: str, type_name: str, record_id: str) -> str:
    """The app's address of a record, as a QR code carries it."""
    return f"{root_url.rstrip('/')}/r/{type_name}/{record_id}"


def qr_image(text: str, kind: str) -> tuple[bytes, str]:
    """`text` as a QR code: (bytes, content type), an SVG or a PNG."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         box_size=10)
    code.add_data(text)
    if kind == "svg":
        image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
        return image.to_string(encoding="unicode").encode(), "image/svg+xml"
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue(), "image/png"
