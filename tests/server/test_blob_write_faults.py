"""A blob upload that meets a failing disk (full, over quota, I/O error) is a fault of the
server: `503` with the protocol's error body and a Retry-After, nothing stored, and no
partial file left behind, whichever step of the write fails. The retry then stores it.
"""
from __future__ import annotations

import builtins
import errno
import hashlib
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from .conftest import demo_app
from .demo_site import DemoSite, assert_error

FAULTS = {"ENOSPC": errno.ENOSPC, "EDQUOT": errno.EDQUOT, "EIO": errno.EIO}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"blob-faults-{request.param}")) as app:
        yield DemoSite(app)


_colours = iter(range(1, 10_000))


def fresh_png() -> tuple[bytes, str]:
    """A PNG no other test uploads, and its name."""
    colour = next(_colours)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (colour % 256, colour // 256, 77)).save(out, "PNG")
    data = out.getvalue()
    return data, hashlib.sha256(data).hexdigest()


def files(site: DemoSite) -> list[Path]:
    root = Path(site.app.config["BLOB_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class FailingFile:
    """An open file whose `method` fails with `code`."""

    def __init__(self, handle, method: str, code: int):
        self._handle, self._method, self._code = handle, method, code

    def __getattr__(self, name):
        if name == self._method:
            def fail(*args, **kwargs):
                raise OSError(self._code, os.strerror(self._code))
            return fail
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


def break_step(monkeypatch, step: str, code: int) -> None:
    """Make one step of writing a blob fail: opening, writing, flushing, fsync or the rename."""
    if step == "fsync":
        def fail(fd):
            raise OSError(code, os.strerror(code))
        monkeypatch.setattr(os, "fsync", fail)
    elif step == "replace":
        def fail(source, target):
            raise OSError(code, os.strerror(code))
        monkeypatch.setattr(os, "replace", fail)
    else:
        real_open = builtins.open

        def failing_open(file, mode="r", *args, **kwargs):
            if not str(file).endswith(".part"):
                return real_open(file, mode, *args, **kwargs)
            if step == "open":
                raise OSError(code, os.strerror(code))
            return FailingFile(real_open(file, mode, *args, **kwargs), step, code)
        monkeypatch.setattr(builtins, "open", failing_open)


@pytest.mark.parametrize("code", FAULTS.values(), ids=FAULTS.keys())
@pytest.mark.parametrize("step", ["open", "write", "flush", "fsync", "replace"])
def test_a_failing_disk_is_503_with_nothing_left_and_the_retry_stores(site, monkeypatch, step,
                                                                      code):
    data, name = fresh_png()
    headers = site.headers("foreman1")
    before = files(site)
    with monkeypatch.context() as patch:
        break_step(patch, step, code)
        response = site.client.put(f"/api/blobs/{name}", data=data, headers=headers)
    error = assert_error(response, 503, "unavailable")
    assert int(response.headers["Retry-After"]) > 0
    assert "try again" in error["message"], error
    assert files(site) == before, "a partial file was left behind"
    assert site.client.head(f"/api/blobs/{name}", headers=headers).status_code == 404

    assert site.client.put(f"/api/blobs/{name}", data=data, headers=headers).status_code == 201
    assert [p.name for p in files(site) if p not in before] == [name]


def test_a_variant_that_cannot_be_cached_is_still_served(site, monkeypatch):
    """A download makes its variant and keeps it on disk; a full disk only loses the copy."""
    data, name = fresh_png()
    headers = site.headers("foreman1")
    assert site.client.put(f"/api/blobs/{name}", data=data, headers=headers).status_code == 201
    before = files(site)
    with monkeypatch.context() as patch:
        break_step(patch, "write", errno.ENOSPC)
        response = site.client.get(f"/api/blobs/{name}?variant=thumb", headers=headers)
    assert response.status_code == 200 and response.mimetype.startswith("image/")
    assert files(site) == before
    assert site.client.get(f"/api/blobs/{name}?variant=thumb", headers=headers).data == response.data


def test_an_upload_racing_another_of_the_same_bytes_is_200_already_stored(site, monkeypatch):
    """Both uploads checked before either stored: the one committing second finds the row
    the first committed (a unique-key clash) and answers as for a blob already stored."""
    import datetime as dt

    from sqlalchemy import insert

    from server.blobs import images
    from server.demo import demo_id
    from server.blobs.models import Blob
    from server.extensions import db

    data, name = fresh_png()
    check = images.check

    def first_upload_commits_meanwhile(body):
        with db.engine.begin() as other:  # another request's connection
            other.execute(insert(Blob.__table__).values(
                sha256=name, content_type="image/png", size=len(body), width=40, height=30,
                meta={}, created_by=demo_id("foreman1"),
                created_at=dt.datetime.now(dt.timezone.utc)))
        return check(body)

    monkeypatch.setattr(images, "check", first_upload_commits_meanwhile)
    response = site.client.put(f"/api/blobs/{name}", data=data, headers=site.headers("foreman1"))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["sha256"] == name
