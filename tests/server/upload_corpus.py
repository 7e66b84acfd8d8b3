"""Hostile and awkward uploads, built by code: decompression bombs by pixel count and by bit
depth, phone formats (MPO, HEIC), CMYK, 16-bit, truncated files and polyglots."""
from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
from PIL import ExifTags, Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
GPS_TEXT = b"GPS 31.240000N 121.470000E site office"


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def raw_png(width: int, height: int, bit_depth: int, colour_type: int,
            extra_chunks: tuple[bytes, ...] = ()) -> bytes:
    """A PNG of zero pixels of any depth and colour type, compressed row by row (a bomb
    of hundreds of megabytes decoded stays a few hundred kilobytes and a second to build)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row = b"\x00" * (1 + (width * channels * bit_depth + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + b"".join(extra_chunks)
            + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))


def rgba16_bomb() -> bytes:
    """A 16-bit RGBA PNG of 50 megapixels (decoded: 200 MB in Pillow, 400 MB as stored)."""
    return raw_png(7072, 7070, 16, 6)


def rgb_bomb() -> bytes:
    """A 49-megapixel 8-bit RGB PNG."""
    return raw_png(7000, 7000, 8, 2)


def image(kind: str, size=(64, 48), mode="RGB", colour=(200, 90, 40), **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour if mode != "CMYK" else (10, 200, 30, 5)).save(out, kind, **options)
    return out.getvalue()


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "GridlineTestCam"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (31.0, 14.0, 24.0), 3: "E", 4: (121.0, 28.0, 12.0)})
    return exif


def mpo() -> bytes:
    """A two-frame MPO as phones write it (a photo and a second view)."""
    first = Image.new("RGB", (80, 60), (200, 90, 40))
    second = Image.new("RGB", (80, 60), (40, 90, 200))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second], exif=exif_with_gps())
    return out.getvalue()


def heic() -> bytes:
    pillow_heif.register_heif_opener()
    return image("HEIF", exif=exif_with_gps())


def with_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """`jpeg` with an APPn/COM segment carrying `payload` right after its start marker."""
    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def jpeg_app4_gps() -> bytes:
    return with_segment(image("JPEG"), 0xE4, GPS_TEXT)


def jpeg_comment_html() -> bytes:
    return with_segment(image("JPEG"), 0xFE, SCRIPT)


def jpeg_stray_script() -> bytes:
    """A script between two segments, where decoders skip to the next marker."""
    data = image("JPEG")
    jfif_end = 4 + int.from_bytes(data[4:6], "big")
    return data[:jfif_end] + b"\x00" + SCRIPT + data[jfif_end:]


def jpeg_trailing_script() -> bytes:
    return image("JPEG") + SCRIPT


def png_with_text_and_trailer() -> bytes:
    text = png_chunk(b"tEXt", b"Comment\x00" + GPS_TEXT)
    return raw_png(32, 24, 8, 2, (text,)) + SCRIPT


def truncated_jpeg() -> bytes:
    data = image("JPEG", size=(256, 256), colour=(1, 2, 3))
    return data[:len(data) // 2]


def pdf(open_action: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if open_action:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject(open_action),
            NameObject("/JS"): TextStringObject("app.alert(1)")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The markers and segments of a JPEG up to its first scan (tests' own small walk)."""
    assert data[:2] == b"\xff\xd8"
    pos, found = 2, []
    while data[pos + 1] != 0xDA:
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        found.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    return found


def png_chunks(data: bytes) -> list[bytes]:
    pos, kinds = len(PNG_SIGNATURE), []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kinds.append(data[pos + 4:pos + 8])
        pos += 12 + length
    assert pos == len(data), "bytes after the last chunk"
    return kinds
