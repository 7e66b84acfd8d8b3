"""Documents and their versions: versions are appended, never edited; the newest by the
server's order is current; a version's file is read by the document's project only; a PDF's
pages render as images of the asked width; a PDF that does not parse is refused at upload;
pins place records on a drawing's page. On SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import io
import time
import uuid
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from server.accounts.models import User
from server.blobs import page_cache, pages
from server.accounts.passwords import hash_password
from server.accounts.tokens import issue_token
from server.demo import demo_id
from server.extensions import db
from server.projects.models import Membership, Project

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite, assert_error


def drawing_pdf(*sizes: tuple[int, int]) -> bytes:
    """A real PDF whose pages have the given sizes in points, with bytes of its own."""
    writer = PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width, height)
    writer.add_metadata({"/Title": uuid.uuid4().hex})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Site(DemoSite):
    """The demo, plus an admin of another project."""

    def __init__(self, app):
        super().__init__(app)
        with app.app_context():
            other = Project(code="OTHER", name="Other works")
            user = User(id=str(uuid.uuid4()), username="outsider", name="outsider",
                        password_hash=hash_password("unused-password-1"))
            db.session.add_all([other, user])
            db.session.flush()
            db.session.add(Membership(project_id=other.id, user_id=user.id, role="admin"))
            self._tokens["outsider"], _ = issue_token(user)
            db.session.commit()
            self.other_project = other.id

    def upload(self, data: bytes, username: str = "admin1"):
        return self.client.put(f"/api/blobs/{sha(data)}", data=data, headers=self.headers(username))

    def push(self, username: str, type_name: str, record_id: str, fields: dict) -> dict:
        device = self.device(username)
        device.put(type_name, record_id, fields)
        status, body = device.push()
        assert status == 200, body
        return body["results"][0]

    def document(self, **fields) -> str:
        document_id = str(uuid.uuid4())
        result = self.push("admin1", "document", document_id, {
            "project_id": PROJECT, "kind": "drawing", "title": "给水管平面图", "number": "给施-03",
            **fields})
        assert result["status"] == "applied", result
        return document_id

    def version(self, document_id: str, data: bytes, revision: str, username="admin1") -> tuple[str, dict]:
        version_id = str(uuid.uuid4())
        return version_id, self.push(username, "document_version", version_id, {
            "project_id": PROJECT, "document_id": document_id, "file": sha(data),
            "revision": revision, "date": "2026-12-04", "note": f"rev. {revision}"})


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"documents-{request.param}")) as app:
        yield Site(app)


def test_a_version_is_never_edited_and_a_new_one_is_appended(site):
    document_id = site.document()
    first, second = drawing_pdf((595, 842)), drawing_pdf((595, 842))
    assert site.upload(first).status_code == 201 and site.upload(second).status_code == 201
    rev_a, result = site.version(document_id, first, "A")
    assert result["status"] == "applied", result
    for change in ({"note": "rewritten"}, {"file": sha(second)}, {"revision": "A"}):
        edit = site.push("admin1", "document_version", rev_a, change)
        assert (edit["status"], edit["error"]["code"]) == ("rejected", "invalid"), edit
    rev_b, result = site.version(document_id, second, "B")
    assert result["status"] == "applied", result
    data = site.client.get(f"/api/records/document_version/{rev_a}",
                           headers=site.headers("foreman1")).get_json()["data"]
    assert (data["file"], data["note"], data["revision"]) == (sha(first), "rev. A", "A")


def test_the_current_version_is_the_newest_by_the_servers_order(site):
    """A version pushed later is current even from a device whose clock is a day behind."""
    document_id = site.document()
    files = [drawing_pdf((595, 842)) for _ in range(2)]
    for data in files:
        site.upload(data)
    rev_a, _ = site.version(document_id, files[0], "A")
    late = site.device("supervisor1", clock_offset_ms=-86_400_000)
    rev_b = str(uuid.uuid4())
    late.put("document_version", rev_b, {"project_id": PROJECT, "document_id": document_id,
                                         "file": sha(files[1]), "revision": "0"})
    assert late.push()[1]["results"][0]["status"] == "applied"
    changes = [c for c in site.device("foreman1").pull_all()
               if c["type"] == "document_version" and c["data"].get("document_id") == document_id]
    current = max(changes, key=lambda change: change["seq"])
    assert current["id"] == rev_b and len(changes) == 2


def test_a_foreman_may_not_publish_a_version(site):
    document_id = site.document()
    data = drawing_pdf((595, 842))
    site.upload(data, "foreman1")
    _, result = site.version(document_id, data, "A", username="foreman1")
    assert (result["status"], result["error"]["code"]) == ("rejected", "forbidden")


def test_a_versions_file_is_read_by_the_documents_project_only(site):
    document_id = site.document()
    data = drawing_pdf((595, 842))
    assert site.upload(data, "supervisor1").status_code == 201
    path = f"/api/blobs/{sha(data)}"
    # Before a version names it, only its uploader reads it.
    assert site.client.get(path, headers=site.headers("foreman1")).status_code == 404
    site.version(document_id, data, "A", username="supervisor1")
    assert site.client.get(path, headers=site.headers("foreman1")).status_code == 200
    assert site.client.get(f"{path}/pages", headers=site.headers("liaison1")).status_code == 200
    for outsider_path in (path, f"{path}/pages", f"{path}/pages/1"):
        assert_error(site.client.get(outsider_path, headers=site.headers("outsider")), 404)


def test_page_two_of_a_real_pdf_renders_at_the_asked_width(site):
    document_id = site.document()
    data = drawing_pdf((595, 842), (842, 595), (595, 842))
    site.upload(data)
    site.version(document_id, data, "A")
    path = f"/api/blobs/{sha(data)}/pages"
    counted = site.client.get(path, headers=site.headers("foreman1")).get_json()
    assert counted == {"pages": 3, "sizes": [[595, 842], [842, 595], [595, 842]]}
    for attempt in ("rendered", "cached"):
        response = site.client.get(f"{path}/2?width=800", headers=site.headers("foreman1"))
        assert (response.status_code, response.mimetype) == (200, "image/png"), attempt
        image = Image.open(io.BytesIO(response.get_data()))
        # Landscape: as tall as the page's shape says (PDFium rounds a part pixel up).
        assert image.size[0] == 800 and abs(image.size[1] - 595 * 800 / 842) < 1, image.size
    # Widths are bounded and rounded to steps, and a tall page is drawn narrower, so
    # renders stay few and a render's memory bounded.
    wide = site.client.get(f"{path}/2?width=90000", headers=site.headers("foreman1"))
    assert Image.open(io.BytesIO(wide.get_data())).size[0] == pages.MAX_WIDTH
    tall = Image.open(io.BytesIO(site.client.get(f"{path}/1?width=90000",
                                                 headers=site.headers("foreman1")).get_data()))
    assert tall.size[0] < pages.MAX_WIDTH and tall.size[0] * tall.size[1] <= pages.MAX_PIXELS * 1.01
    assert_error(site.client.get(f"{path}/4", headers=site.headers("foreman1")), 404)
    assert_error(site.client.get(f"{path}/0", headers=site.headers("foreman1")), 404)


def test_an_image_has_no_pages_and_is_served_as_it_is(site):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, uuid.uuid4().int % 255)).save(out, "PNG")
    data = out.getvalue()
    site.upload(data)
    error = assert_error(site.client.get(f"/api/blobs/{sha(data)}/pages",
                                         headers=site.headers("admin1")), 415)
    assert "image" in error["message"]


def test_a_pdf_that_does_not_parse_is_refused_at_upload_with_a_clear_message(site):
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + uuid.uuid4().bytes
    error = assert_error(site.upload(broken), 415)
    assert error["message"].startswith("not a readable PDF"), error
    assert_error(site.client.get(f"/api/blobs/{sha(broken)}", headers=site.headers("admin1")), 404)


def test_a_foreman_pins_a_task_and_moves_the_pin_to_a_newer_version(site):
    document_id = site.document()
    data = drawing_pdf((595, 842))
    site.upload(data)
    rev_a, _ = site.version(document_id, data, "A")
    pin_id = str(uuid.uuid4())
    pin = {"project_id": PROJECT, "document_id": document_id, "version_id": rev_a, "page": 1,
           "x": 0.4, "y": 0.6, "subject_type": "task", "subject_id": demo_id("t2")}
    assert site.push("foreman1", "pin", pin_id, pin)["status"] == "applied"
    rev_b, _ = site.version(document_id, data, "B")
    moved = site.push("foreman1", "pin", pin_id, {"version_id": rev_b, "x": 0.5})
    assert moved["status"] == "applied", moved
    for bad in ({"x": 1.5}, {"y": -0.1}, {"x": "0.5"}, {"x": True}, {"page": 0}):
        result = site.push("foreman1", "pin", pin_id, bad)
        assert result["status"] == "rejected" and set(bad) <= set(result["error"]["fields"]), (bad, result)
    retarget = site.push("foreman1", "pin", pin_id, {"subject_id": demo_id("t3")})
    assert retarget["status"] == "rejected"
    data = site.client.get(f"/api/records/pin/{pin_id}", headers=site.headers("liaison1")).get_json()["data"]
    assert (data["version_id"], data["x"], data["y"]) == (rev_b, 0.5, 0.6)


def test_minutes_name_the_briefing_they_record(site):
    document_id = site.document(kind="minutes", title="12月4日例会纪要", number=None,
                                briefing_id=demo_id("b-today"))
    data = site.client.get(f"/api/records/document/{document_id}",
                           headers=site.headers("foreman1")).get_json()["data"]
    assert (data["kind"], data["briefing_id"]) == ("minutes", demo_id("b-today"))


def test_a_version_names_a_document_of_its_own_project(site):
    """Regression: a version was accepted naming any id, another project's document too."""
    theirs = str(uuid.uuid4())
    made = site.push("outsider", "document", theirs, {
        "project_id": site.other_project, "kind": "drawing", "title": "Their plan"})
    assert made["status"] == "applied", made
    for document_id in (theirs, str(uuid.uuid4())):
        _, result = site.version(document_id, drawing_pdf((595, 842)), "A")
        assert (result["status"], result["error"]["code"]) == ("rejected", "invalid"), result
        assert list(result["error"]["fields"]) == ["document_id"], result
    # A document and its first version may travel in one batch.
    device = site.device("admin1")
    document_id, version_id = str(uuid.uuid4()), str(uuid.uuid4())
    device.put("document", document_id, {"project_id": PROJECT, "kind": "drawing", "title": "新图"})
    device.put("document_version", version_id, {"project_id": PROJECT, "document_id": document_id,
                                                "file": "ab" * 32, "revision": "A"})
    assert [r["status"] for r in device.push()[1]["results"]] == ["applied", "applied"]


def test_a_pin_names_a_version_of_its_document_and_a_subject_of_its_project(site):
    """Regression: a pin was accepted naming another document's version, another project's
    document or task, or ids of nothing at all."""
    document_id, other_document = site.document(), site.document(number="给施-04")
    data = drawing_pdf((595, 842))
    site.upload(data)
    rev_a, _ = site.version(document_id, data, "A")
    other_rev, _ = site.version(other_document, data, "A")
    theirs, their_task = str(uuid.uuid4()), str(uuid.uuid4())
    assert site.push("outsider", "document", theirs, {
        "project_id": site.other_project, "kind": "drawing", "title": "Their plan"})["status"] == "applied"
    assert site.push("outsider", "task", their_task, {
        "project_id": site.other_project, "title": "Their trench"})["status"] == "applied"
    pin = {"project_id": PROJECT, "document_id": document_id, "version_id": rev_a, "page": 1,
           "x": 0.4, "y": 0.6, "subject_type": "task", "subject_id": demo_id("t2")}
    for field, value in (("version_id", other_rev), ("version_id", str(uuid.uuid4())),
                         ("document_id", theirs), ("subject_id", their_task),
                         ("subject_id", demo_id("f1"))):
        result = site.push("foreman1", "pin", str(uuid.uuid4()), {**pin, field: value})
        assert (result["status"], result["error"]["code"]) == ("rejected", "invalid"), (field, result)
        assert field in result["error"]["fields"], (field, value, result)
    pin_id = str(uuid.uuid4())
    assert site.push("foreman1", "pin", pin_id, pin)["status"] == "applied"
    moved = site.push("foreman1", "pin", pin_id, {"version_id": other_rev})
    assert list(moved["error"]["fields"]) == ["version_id"], moved
    record = site.client.get(f"/api/records/pin/{pin_id}", headers=site.headers("admin1")).get_json()
    assert record["data"]["version_id"] == rev_a


def test_cached_page_renders_stay_within_their_bound_least_recently_used_first(site):
    """Regression: every page rendered at every width was kept beside its blob for good."""
    config = site.client.application.config
    root = Path(config["BLOB_DIR"])
    document_id = site.document()
    data = drawing_pdf(*[(595, 842)] * 5)
    site.upload(data)
    site.version(document_id, data, "A")
    path = f"/api/blobs/{sha(data)}/pages"

    def render(number: int) -> Image.Image:
        response = site.client.get(f"{path}/{number}?width=600", headers=site.headers("foreman1"))
        assert (response.status_code, response.mimetype) == (200, "image/png")
        return Image.open(io.BytesIO(response.get_data()))

    def cached() -> dict[str, int]:
        return {p.name: p.stat().st_size for p in root.glob(page_cache.PATTERN)}

    render(1)
    one = cached()[f"{sha(data)}.page1.w600.png"]
    limit, kept = config["PAGE_CACHE_BYTES"], config["PAGE_CACHE_BYTES"]
    config["PAGE_CACHE_BYTES"] = limit = int(one * 3.5)
    try:
        for number in (2, 3, 4):
            render(number)
            time.sleep(0.01)  # a clock tick apart: last use is a file's modification time
        assert sum(cached().values()) <= limit
        names = {name.split(".")[1] for name in cached() if name.startswith(sha(data))}
        assert names == {"page2", "page3", "page4"}, names
        render(2)  # served from the cache: used again, so page 3 is now the oldest
        time.sleep(0.01)
        render(5)
        names = {name.split(".")[1] for name in cached() if name.startswith(sha(data))}
        assert names == {"page2", "page4", "page5"}, names
        assert sum(cached().values()) <= limit
        # An evicted page renders again.
        assert render(1).size[0] == 600
        assert f"{sha(data)}.page1.w600.png" in cached()
        assert sum(cached().values()) <= limit
    finally:
        config["PAGE_CACHE_BYTES"] = kept
