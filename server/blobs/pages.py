"""A PDF's pages as PNG images, rendered with PDFium, so a phone needs no PDF viewer.

Widths are rounded to steps so that a few renders per page serve every screen (and the disk
cache stays small); the height follows the page's shape, and a page so tall that the image
would pass MAX_PIXELS is rendered narrower instead, which bounds the memory a render takes.
"""
from __future__ import annotations

import io
import threading
from pathlib import Path

import pypdfium2 as pdfium

MIN_WIDTH, MAX_WIDTH, WIDTH_STEP, DEFAULT_WIDTH = 200, 2400, 100, 1200
MAX_PIXELS = 8_000_000
# PDFium is not thread-safe: one render at a time per process.
_LOCK = threading.Lock()


class Unrenderable(ValueError):
    """The stored file is not a PDF PDFium opens."""


def snapped(width: int) -> int:
    """The width actually rendered: within bounds, rounded to the nearest step."""
    width = min(MAX_WIDTH, max(MIN_WIDTH, width))
    return int(round(width / WIDTH_STEP) * WIDTH_STEP)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise Unrenderable(str(error)) from None


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    with _LOCK:
        document = _open(path)
        try:
            return [document.get_page_size(index) for index in range(len(document))]
        finally:
            document.close()


def render(path: Path, number: int, width: int) -> bytes:
    """Page `number` (from 1) as a PNG `width` pixels wide (less for a very tall page);
    IndexError when the document has no such page."""
    with _LOCK:
        document = _open(path)
        try:
            if not 1 <= number <= len(document):
                raise IndexError(number)
            page = document[number - 1]
            points_wide, points_high = page.get_size()
            scale = width / points_wide
            if width * points_high * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / (points_wide * points_high)) ** 0.5
            bitmap = page.render(scale=scale, rotation=0)
            image = bitmap.to_pil()
            out = io.BytesIO()
            image.convert("RGB").save(out, "PNG", optimize=False)
            page.close()
            return out.getvalue()
        finally:
            document.close()
