"""The upload corpus: each hostile or awkward file with the status it gets, and for the
files accepted, every variant served clean (no metadata segment or chunk, nothing after
the end of the image) with headers that keep a browser from running or sniffing it. (A
chunked upload over the limit needs a real server: test_blob_memory.)"""
from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from . import upload_corpus as corpus
from .conftest import make_app
from .demo_site import assert_error
from .test_blobs import Site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("blob-corpus")
    app = make_app(f"sqlite:///{tmp_path / 'gridline.db'}", tmp_path, BLOB_MAX_BYTES=2_000_000)
    return Site(app)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# name → (bytes, declared content type, expected status, stored content type)
CORPUS = {
    "bomb-by-pixel-count": (lambda: corpus.raw_png(10_000, 10_000, 1, 0), "image/png", 413, None),
    "bomb-by-bit-depth": (corpus.rgba16_bomb, "image/png", 413, None),
    "49-megapixel-rgb-png": (corpus.rgb_bomb, "image/png", 413, None),
    "mpo": (corpus.mpo, "image/jpeg", 201, "image/jpeg"),
    "heic": (corpus.heic, "image/heic", 201, "image/heic"),
    "cmyk-jpeg": (lambda: corpus.image("JPEG", mode="CMYK"), "image/jpeg", 201, "image/jpeg"),
    "progressive-jpeg": (lambda: corpus.image("JPEG", progressive=True), "image/jpeg", 201,
                         "image/jpeg"),
    "16-bit-rgba-png": (lambda: corpus.raw_png(64, 48, 16, 6), "image/png", 201, "image/png"),
    "16-bit-grey-png": (lambda: corpus.raw_png(64, 48, 16, 0), "image/png", 201, "image/png"),
    "webp-with-exif": (lambda: corpus.image("WEBP", exif=corpus.exif_with_gps()), "image/webp",
                       201, "image/webp"),
    "jpeg-app4-gps-text": (corpus.jpeg_app4_gps, "image/jpeg", 201, "image/jpeg"),
    "jpeg-html-comment": (corpus.jpeg_comment_html, "image/jpeg", 201, "image/jpeg"),
    "jpeg-trailing-script": (corpus.jpeg_trailing_script, "image/jpeg", 201, "image/jpeg"),
    "jpeg-script-between-segments": (corpus.jpeg_stray_script, "image/jpeg", 201, "image/jpeg"),
    "png-without-its-end": (lambda: corpus.raw_png(32, 24, 8, 2)[:-12], "image/png", 415, None),
    "png-text-and-trailing-script": (corpus.png_with_text_and_trailer, "image/png", 201,
                                     "image/png"),
    "truncated-jpeg": (corpus.truncated_jpeg, "image/jpeg", 415, None),
    "pdf": (corpus.pdf, "application/pdf", 201, "application/pdf"),
    "pdf-header-then-html": (lambda: b"%PDF-1.7\n" + corpus.SCRIPT, "application/pdf", 415, None),
    "pdf-opening-javascript": (lambda: corpus.pdf("/JavaScript"), "application/pdf", 415, None),
    "pdf-opening-launch": (lambda: corpus.pdf("/Launch"), "application/pdf", 415, None),
    "svg": (corpus.svg, "image/svg+xml", 415, None),
    "html-named-jpg": (lambda: corpus.SCRIPT, "image/jpeg", 415, None),
    "gif": (lambda: corpus.image("GIF"), "image/gif", 415, None),
}


@pytest.mark.parametrize("name", CORPUS)
def test_upload_corpus(site, name):
    build, declared, status, stored_type = CORPUS[name]
    data = build()
    before = site.stored()
    response = site.put(data, content_type=declared)
    if status != 201:
        error = assert_error(response, status)
        assert error["message"], error
        assert site.stored() == before
        assert site.head(sha(data)).status_code == 404
        return
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["content_type"] == stored_type
    served = {variant: site.get(sha(data), variant) for variant in ("original", "display", "thumb")}
    for variant, response in served.items():
        assert response.status_code == 200, (variant, response.get_data()[:200])
        assert_clean(response.get_data(), response.mimetype, variant)
    for response in served.values():
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        assert "sandbox" in response.headers.get("Content-Security-Policy", "")


def assert_clean(body: bytes, content_type: str, variant: str) -> None:
    """Nothing but pixels: no metadata segment or chunk, no byte after the image's end."""
    assert corpus.SCRIPT not in body and b"<script" not in body
    assert corpus.GPS_TEXT not in body and b"GridlineTestCam" not in body
    if content_type == "image/jpeg":
        assert body.endswith(b"\xff\xd9")
        for marker, payload in corpus.jpeg_segments(body):
            if marker == 0xE1:  # only an orientation, never anything else
                with Image.open(io.BytesIO(body)) as image:
                    assert set(image.getexif()) <= {0x0112}, variant
            else:
                assert marker not in (0xFE, *range(0xE2, 0xEE), 0xEF), (variant, hex(marker))
        with Image.open(io.BytesIO(body)) as image:
            assert image.format == "JPEG"  # one frame, not an MPO
            image.load()
    elif content_type == "image/png":
        assert set(corpus.png_chunks(body)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    elif content_type == "application/pdf":
        assert body.startswith(b"%PDF-")
    else:
        raise AssertionError(f"served as {content_type}")


def test_a_pdf_is_served_so_that_no_browser_runs_it(site):
    data = corpus.pdf()
    assert site.put(data).status_code in (200, 201)
    served = site.get(sha(data))
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    policy = served.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy


def test_an_mpo_keeps_its_first_frame(site):
    data = corpus.mpo()
    assert site.put(data).status_code in (200, 201)
    served = site.get(sha(data), "original").get_data()
    assert len(served) < len(data) / 1.5
    with Image.open(io.BytesIO(served)) as image:
        assert (image.format, image.size) == ("JPEG", (80, 60))
        assert image.getpixel((40, 30))[0] > 150  # the first frame's orange, not the blue
