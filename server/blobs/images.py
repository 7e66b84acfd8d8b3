"""Checking uploads and making the served variants, with Pillow, within a memory budget."""
from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import ExifTags, Image, ImageOps

from . import pdfs, stripping

# HEIC/HEIF, what iPhones and many Android phones save, through libheif.
pillow_heif.register_heif_opener()

# No image of more pixels is opened at all (Pillow refuses far beyond: a bomb).
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Bytes of pixels one upload or variant may hold in memory at once, on top of the worker's
# own size: with the upload itself this keeps a worker well under 300 MB whatever the file.
DECODE_BUDGET = 160 * 1024 * 1024
KINDS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
         "HEIF": "image/heic"}
# A JPEG is decoded already scaled down (1/2 … 1/8, in the decoder: `draft`).
_DRAFTABLE = frozenset({"JPEG", "MPO"})
VARIANTS = {"thumb": 320, "display": 1600}
ALLOWED = "allowed: JPEG (and MPO), PNG, WebP, HEIC, PDF"


class NotAllowed(Exception):
    """The bytes are not an allowed kind of file (415)."""


class TooLarge(Exception):
    """The image has more pixels than the server decodes (413)."""


@dataclass(frozen=True)
class Checked:
    """What an upload was found to be."""

    content_type: str
    width: int | None = None
    height: int | None = None
    meta: dict | None = None


def _bytes_per_pixel(image: Image.Image) -> int:
    """Peak bytes per pixel while decoding and resizing: the decoded image and one working
    copy (Pillow keeps RGB in 4 bytes; RGBA is premultiplied into a copy to resize; 16-bit
    grey is widened to 32 bits to bring it to 8; libwebp and libheif decode into a buffer of
    their own first)."""
    if image.format in _DRAFTABLE:
        # A progressive JPEG keeps every DCT coefficient (2 bytes a sample) whatever the
        # scale; a baseline one is decoded a few rows at a time.
        return 2 * len(image.getbands()) if "progression" in image.info else 0
    if image.mode in ("1", "L", "P"):
        return 2
    if image.mode.startswith("I"):
        return 10
    return 12 if image.format in ("WEBP", "HEIF") else 8


def _refuse_if_too_large(image: Image.Image) -> None:
    width, height = image.size
    pixels = width * height
    if pixels > MAX_PIXELS:
        raise TooLarge(f"the image has {pixels / 1e6:.0f} megapixels; at most "
                       f"{MAX_PIXELS / 1e6:.0f} are accepted")
    cost = pixels * _bytes_per_pixel(image)
    if cost > DECODE_BUDGET:
        most = DECODE_BUDGET // _bytes_per_pixel(image) / 1e6
        raise TooLarge(f"a {image.format} image of {pixels / 1e6:.0f} megapixels "
                       f"({image.mode}) is too large to process; at most {most:.0f} "
                       f"megapixels of this kind")


def _open(data: bytes) -> Image.Image:
    """The image in `data`, headers read, pixels not decoded; its size within the budget."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLarge(f"the image has more than {MAX_PIXELS / 1e6:.0f} megapixels") from None
    except (OSError, SyntaxError, ValueError):
        raise NotAllowed(f"not a readable image; {ALLOWED}") from None
    if image.format not in KINDS:
        image.close()
        raise NotAllowed(f"{image.format} is not allowed; {ALLOWED}")
    try:
        _refuse_if_too_large(image)
    except TooLarge:
        image.close()
        raise
    return image


def _decode(image: Image.Image, box: int | None) -> None:
    """Decode the (first) image, a JPEG straight at the smallest scale still at least `box`
    pixels across (None: the smallest there is, to check it decodes)."""
    if image.format in _DRAFTABLE:
        width, height = image.size
        target = (box, box) if box else (max(1, width // 8), max(1, height // 8))
        image.draft(image.mode if image.mode in ("RGB", "L", "CMYK") else None, target)
    image.load()


def check(data: bytes) -> Checked:
    """What an upload is, after decoding it; NotAllowed or TooLarge otherwise."""
    if data.startswith(b"%PDF-"):
        try:
            pdfs.check(data)
        except pdfs.Refused as error:
            raise NotAllowed(f"{error}; {ALLOWED}") from None
        return Checked("application/pdf")
    image = _open(data)
    with image:
        width, height = image.size  # before `draft` scales it down
        try:
            _decode(image, None)
        except (OSError, SyntaxError, ValueError):
            raise NotAllowed(f"the {image.format} file does not decode; {ALLOWED}") from None
        orientation = _orientation(image)
        try:  # what will be served as the original must be made from it, too
            if image.format in _DRAFTABLE:
                stripping.jpeg(data, orientation)
            elif image.format == "PNG":
                stripping.png(data)
        except stripping.Unreadable as error:
            raise NotAllowed(f"the {image.format} file is damaged ({error}); {ALLOWED}") from None
        if orientation in (5, 6, 7, 8):
            width, height = height, width
        return Checked(KINDS[image.format], width, height, read_metadata(image))


def _orientation(image: Image.Image) -> int:
    return image.getexif().get(ExifTags.Base.Orientation) or 1


def variant(data: bytes, name: str) -> tuple[bytes, str]:
    """A variant of a checked image without any metadata: (bytes, content type). The
    original of a JPEG or PNG is the file cleaned losslessly; everything else re-encoded."""
    with _open(data) as image:
        orientation = _orientation(image)
        if name == "original" and image.format in _DRAFTABLE:
            return stripping.jpeg(data, orientation), "image/jpeg"
        if name == "original" and image.format == "PNG":
            return stripping.png(data), "image/png"
        box = VARIANTS.get(name)
        _decode(image, box)
        picture: Image.Image = image
        if picture.mode.startswith("I"):  # 16-bit grey: to 8 bits before resizing
            picture = picture.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        if box:
            # The box is square, so shrinking before turning gives the same picture.
            picture.thumbnail((box, box))
        ImageOps.exif_transpose(picture, in_place=True)
        # Pillow writes some of what it read (a JPEG comment, a colour profile) back out.
        picture.info = {}
        out = io.BytesIO()
        if picture.mode in ("RGBA", "LA", "P", "PA"):
            picture.save(out, "PNG", optimize=True)
            return out.getvalue(), "image/png"
        picture.convert("RGB").save(out, "JPEG", quality=85 if box else 95)
        return out.getvalue(), "image/jpeg"


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


def read_metadata(image: Image.Image) -> dict:
    """Capture time and GPS position from a photo's EXIF, when present."""
    try:
        exif = image.getexif()
    except (OSError, SyntaxError, ValueError, TypeError):  # a broken EXIF block: no metadata
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
