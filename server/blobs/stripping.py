"""Lossless cleaning of an original: the segments or chunks that hold pixels, nothing else.

A photo's original is served without decoding it (a 50-megapixel JPEG would need hundreds of
megabytes to re-encode): the file is walked marker by marker and every metadata segment
(EXIF, XMP, GPS text in any APPn, comments, colour profiles, an MPO's index and its later
frames) and every byte after the end of the image are left out. References: ITU T.81
(JPEG) B.1.1 and annex F; the PNG specification, chapter 5 (chunk layout).
"""
from __future__ import annotations

import struct

from PIL import Image


class Unreadable(ValueError):
    """The file's structure is broken where it was walked."""


# APP14 "Adobe" of exactly 12 bytes tells a decoder how CMYK/YCCK samples are stored:
# without it an Adobe CMYK JPEG decodes with inverted colours. It has no room for more.
_ADOBE_LENGTH = 14
# APP0 "JFIF" without a thumbnail is 16 bytes: version and pixel density only.
_JFIF_LENGTH = 16
_ORIENTATION = 0x0112


def _orientation_segment(orientation: int) -> bytes:
    """An APP1 EXIF segment carrying nothing but the orientation, so a browser still
    shows a phone's portrait photo upright."""
    exif = Image.Exif()
    exif[_ORIENTATION] = orientation
    payload = exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _keeps(marker: int, segment: bytes) -> bool:
    """Whether a segment is needed to decode the pixels (tables, frame and scan headers)."""
    if marker == 0xFE:  # COM
        return False
    if marker == 0xE0:
        return len(segment) == _JFIF_LENGTH + 2 and segment[4:9] == b"JFIF\x00"
    if marker == 0xEE:
        return len(segment) == _ADOBE_LENGTH + 2 and segment[4:9] == b"Adobe"
    return not 0xE1 <= marker <= 0xEF  # every other APPn is application data


def jpeg(data: bytes, orientation: int | None = None) -> bytes:
    """The first image of a JPEG (or MPO) with only the segments that decode it, up to and
    including its end marker; the orientation, when the photo needs turning, as the one
    EXIF tag left."""
    if data[:2] != b"\xff\xd8":
        raise Unreadable("no JPEG start marker")
    out = [b"\xff\xd8"]
    pos, end = 2, len(data)
    try:
        while True:
            if data[pos] != 0xFF:
                # Stray bytes between segments: decoders skip them to the next marker.
                pos = data.index(b"\xff", pos)
            while data[pos] == 0xFF:  # fill bytes may precede a marker
                pos += 1
            marker = data[pos]
            pos += 1
            if marker == 0xD9:  # EOI: the image ends; anything after it is not served
                out.append(b"\xff\xd9")
                if orientation in range(2, 9):
                    # After the JFIF header when there is one: it comes first by its spec.
                    at = 2 if out[1].startswith(b"\xff\xe0") else 1
                    out.insert(at, _orientation_segment(orientation))
                return b"".join(out)
            if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
                continue
            (length,) = struct.unpack(">H", data[pos:pos + 2])
            if length < 2 or pos + length > end:
                raise Unreadable(f"segment {marker:#x} runs past the end")
            segment = b"\xff" + bytes([marker]) + data[pos:pos + length]
            pos += length
            if _keeps(marker, segment):
                out.append(segment)
            if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
                start = pos
                while True:
                    pos = data.index(b"\xff", pos)
                    following = data[pos + 1]
                    # 0xFF00 is a stuffed 0xFF, RSTn a restart, 0xFFFF a fill byte.
                    if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                        pos += 1 if following == 0xFF else 2
                        continue
                    break
                out.append(data[start:pos])
    except (IndexError, ValueError, struct.error) as error:
        raise Unreadable(f"the JPEG ends early: {error}") from None


# Chunks that make the pixels (PNG 5.6: critical chunks and transparency). Text, EXIF,
# time, colour profiles and an APNG's animation are all left out: the first image stays.
_PNG_KEEP = frozenset({b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"})
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png(data: bytes) -> bytes:
    """A PNG with only the chunks that make its pixels, up to and including IEND."""
    if not data.startswith(_PNG_SIGNATURE):
        raise Unreadable("no PNG signature")
    out, pos = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        chunk_end = pos + 12 + length
        if chunk_end > len(data):
            break
        if kind in _PNG_KEEP:
            out.append(data[pos:chunk_end])
        if kind == b"IEND":
            return b"".join(out)
        pos = chunk_end
    raise Unreadable("the PNG ends before IEND")
