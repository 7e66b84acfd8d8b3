"""A real gunicorn worker stays within its memory budget whatever it is sent: bombs by
pixel count and by bit depth are refused from their headers, and the largest images it
accepts are decoded and resized under 300 MB of peak resident memory (VmHWM)."""
from __future__ import annotations

import hashlib
import http.client
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from . import upload_corpus as corpus
from .live_server import HOST, LiveServer, live_database

pytestmark = pytest.mark.slow
BUDGET_BYTES = 300 * 1024 * 1024


def worker_pid(server: LiveServer) -> int:
    """The pid of the one worker of a `-w 1` gunicorn."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    pids = children.read_text().split()
    assert len(pids) == 1, pids
    return int(pids[0])


def peak_rss(pid: int) -> int:
    """The most resident memory the process has held, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def request(server: LiveServer, method: str, path: str, token: str, body=None,
            chunked: bool = False) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"}
        try:
            connection.request(method, path, body=body, headers=headers, encode_chunked=chunked)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before reading everything: read its answer
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def large_photo() -> bytes:
    """A 48-megapixel phone JPEG (8000 × 6000) of some megabytes."""
    tile = Image.merge("RGB", [Image.linear_gradient("L"), Image.radial_gradient("L"),
                               Image.effect_noise((256, 256), 20)])
    picture = Image.new("RGB", (8000, 6000))
    for x in range(0, 8000, 256):
        for y in range(0, 6000, 256):
            picture.paste(tile, (x, y))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return out.getvalue()


# name → (bytes, expected upload status): the refused bombs, then the largest of each kind
# the server accepts (each then made into every variant).
UPLOADS = [
    ("16-bit RGBA PNG, 50 Mpx", corpus.rgba16_bomb, 413),
    ("RGB PNG, 49 Mpx", corpus.rgb_bomb, 413),
    ("1-bit PNG, 100 Mpx", lambda: corpus.raw_png(10_000, 10_000, 1, 0), 413),
    ("JPEG, 48 Mpx", large_photo, 201),
    ("RGBA PNG, 16 Mpx", lambda: corpus.raw_png(4000, 4000, 8, 6), 201),
    ("16-bit grey PNG, 16 Mpx", lambda: corpus.raw_png(4000, 4000, 16, 0), 201),
    ("1-bit PNG, 49 Mpx", lambda: corpus.raw_png(7000, 7000, 1, 0), 201),
]


def test_a_worker_decodes_every_upload_within_its_memory_budget(tmp_path):
    with live_database("sqlite", tmp_path) as url:
        server = LiveServer(url, tmp_path, workers=1).prepare().start()
        try:
            token = server.login("foreman1")
            pid = worker_pid(server)
            before = peak_rss(pid)
            peaks = {}
            for name, build, expected in UPLOADS:
                data = build()
                path = f"/api/blobs/{hashlib.sha256(data).hexdigest()}"
                status, body = request(server, "PUT", path, token, data)
                assert status == expected, (name, body[:300])
                if status == 413:
                    assert json.loads(body)["error"]["message"], name
                else:
                    for variant in ("thumb", "display", "original"):
                        status, _ = request(server, "GET", f"{path}?variant={variant}", token)
                        assert status == 200, (name, variant)
                peaks[name] = peak_rss(pid) // 2 ** 20
            # Over the size limit, in chunks of unknown total length: refused as it streams.
            oversize = b"\0" * (16 * 1024 * 1024)
            status, body = request(server, "PUT", f"/api/blobs/{'0' * 64}", token,
                                   iter([oversize[i:i + 2 ** 20] for i in range(0, len(oversize), 2 ** 20)]),
                                   chunked=True)
            assert status == 413, body[:300]
            assert worker_pid(server) == pid, "the worker was replaced (killed?)"
            peak = peak_rss(pid)
            print(f"worker peak RSS: {before // 2 ** 20} MB at start; after each upload (MB): {peaks}")
            assert peak <= BUDGET_BYTES, (peak // 2 ** 20, peaks)
        finally:
            server.stop()
