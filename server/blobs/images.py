"""Checking uploads and making the served variants, with Pillow."""
from __future__ import annotations

import datetime as dt
import io
import warnings

from PIL import ExifTags, Image, ImageOps

# Decoding stops above this many pixels (a decompression bomb is refused, not decoded).
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
KINDS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
VARIANTS = {"thumb": 320, "display": 1600}


class NotAllowed(Exception):
    """The bytes are not an allowed kind of file."""


def sniff(data: bytes) -> str:
    """The content type of `data` after decoding it, or NotAllowed."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = KINDS.get(image.format)
                if kind is None:
                    raise NotAllowed(f"{image.format} is not allowed")
                image.load()
                return kind
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAllowed("the image has too many pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise NotAllowed("not a JPEG, PNG, WebP or PDF file") from None


def _rational(value) -> float:
    return float(value[0]) / float(value[1]) if isinstance(value, tuple) else float(value)


def capture_time(taken, offset=None) -> str | None:
    """EXIF's "2026:11:24 08:01:02" as ISO 8601: in UTC ("2026-11-24T00:01:02Z") when the
    photo records its offset from UTC ("+08:00"), else the camera's own clock without an
    offset ("2026-11-24T08:01:02"). None when the camera wrote no real time."""
    try:
        moment = dt.datetime.strptime(str(taken).strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    try:
        zone = dt.datetime.strptime(str(offset).strip().rstrip("\x00"), "%z").tzinfo if offset else None
    except ValueError:
        zone = None
    if zone is None:
        return moment.isoformat()
    return moment.replace(tzinfo=zone).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_metadata(data: bytes) -> dict:
    """Capture time and GPS position from a photo's EXIF, when present."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
    except (OSError, SyntaxError, ValueError):
        return {}
    meta: dict = {}
    details = exif.get_ifd(ExifTags.IFD.Exif)
    if details.get(ExifTags.Base.DateTimeOriginal):
        taken = capture_time(details[ExifTags.Base.DateTimeOriginal],
                             details.get(ExifTags.Base.OffsetTimeOriginal))
    else:
        taken = capture_time(exif.get(ExifTags.Base.DateTime), details.get(ExifTags.Base.OffsetTime))
    if taken:
        meta["taken_at"] = taken
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    try:
        lat = sum(_rational(v) / 60 ** i for i, v in enumerate(gps[2]))
        lon = sum(_rational(v) / 60 ** i for i, v in enumerate(gps[4]))
        meta["location"] = {"lat": round(-lat if gps.get(1) == "S" else lat, 6),
                            "lon": round(-lon if gps.get(3) == "W" else lon, 6)}
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        pass
    return meta


# What Pillow reads from a file's headers that describes only how to decode the pixels.
_PIXEL_FORMAT_INFO = frozenset({
    "jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression",
    "adobe", "adobe_transform", "gamma", "transparency", "aspect", "interlace", "srgb", "loop",
    "duration", "background", "lossless"})


def carries_metadata(data: bytes) -> bool:
    """Whether an image holds more than its pixels: EXIF (camera, time, GPS, orientation),
    XMP, comments, colour profiles or text chunks; anything not known to be harmless."""
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif()) or bool(set(image.info) - _PIXEL_FORMAT_INFO)


def variant(data: bytes, name: str) -> tuple[bytes, str]:
    """A variant of an image re-encoded without any metadata: (bytes, content type)."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        if name in VARIANTS:
            image.thumbnail((VARIANTS[name], VARIANTS[name]))
        # Pillow writes some of what it read (a JPEG comment, a colour profile) back out.
        image.info = {}
        out = io.BytesIO()
        if image.mode in ("RGBA", "LA", "P"):
            image.save(out, "PNG", optimize=True)
            return out.getvalue(), "image/png"
        image.convert("RGB").save(out, "JPEG", quality=85 if name != "original" else 95)
        return out.getvalue(), "image/jpeg"


def size_of(data: bytes) -> tuple[int | None, int | None]:
    """Width and height of an image (None for other files)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return ImageOps.exif_transpose(image).size
    except (OSError, SyntaxError, ValueError):
        return None, None
