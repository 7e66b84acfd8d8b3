"""QR codes for site signs: each leads to a record's page and its history."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def record_link(root_url: str, type_name: str, record_id: str) -> str:
    """The app's address of a record, as a QR code carries it."""
    return f"{root_url.rstrip('/')}/r/{type_name}/{record_id}"


def qr_image(text: str, kind: str) -> tuple[bytes, str]:
    """`text` as a QR code: (bytes, content type), an SVG or a PNG."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    if kind == "svg":
        image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
        return image.to_string(encoding="unicode").encode(), "image/svg+xml"
    out = io.BytesIO()
    code.make_image(box_size=10).save(out)
    return out.getvalue(), "image/png"
