"""QR label sheets and short codes: the PDF read back by a text extractor and a QR decoder."""
from __future__ import annotations

import uuid

import pypdfium2
import pytest
import zxingcpp

from server.demo import demo_id
from server.labels.codes import ALPHABET, printed, short_code

from .conftest import demo_app
from .demo_site import DemoSite

PROJECT = demo_id("project")
SECTION = demo_id("B02")
STEPS = [demo_id(key) for key in ("ws1", "ws2", "ws3")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo on SQLite, shared by this module's tests (they only read)."""
    with demo_app("sqlite", tmp_path_factory.mktemp("labels")) as app:
        yield DemoSite(app)


@pytest.fixture(scope="module")
def sheet(site) -> bytes:
    response = site.client.get(f"/api/projects/{PROJECT}/sections/{SECTION}/labels.pdf",
                               headers=site.headers("foreman1"))
    assert response.status_code == 200 and response.content_type == "application/pdf"
    return response.data


def test_the_sheet_names_the_section_and_prints_one_code_per_step(sheet):
    """A4 pages; the section's Chinese name, each step's name and code are real text."""
    document = pypdfium2.PdfDocument(sheet)
    page = document[0]
    width, height = page.get_size()
    assert (round(width), round(height)) == (595, 842)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "雨污水管线迁改" in text
    for step_id, name in zip(STEPS, ("沟槽开挖", "管道安装", "回填")):
        assert name in text
        assert printed(short_code(step_id)) in text
    assert printed(short_code(SECTION)) in text


def test_every_qr_on_the_sheet_decodes_to_its_records_link(sheet):
    """Rasterised at print resolution, each QR code gives /r/<type>/<id> of its record."""
    page = pypdfium2.PdfDocument(sheet)[0]
    image = page.render(scale=200 / 72).to_pil()
    links = sorted(result.text for result in zxingcpp.read_barcodes(image)
                   if result.format == zxingcpp.BarcodeFormat.QRCode)
    expected = sorted([f"http://localhost/r/section/{SECTION}"]
                      + [f"http://localhost/r/work_step/{step}" for step in STEPS])
    assert links == expected


def test_a_typed_code_finds_its_record_dashes_and_case_aside(site):
    """Any member finds a work step by the code under its QR, as printed or typed loosely."""
    code = short_code(STEPS[1])
    for typed in (printed(code), code.lower(), f" {code[:4]} {code[4:]}"):
        response = site.client.get(f"/api/projects/{PROJECT}/codes/{typed.strip()}",
                                   headers=site.headers("liaison1"))
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["records"] == [
            {"type": "work_step", "id": STEPS[1], "path": f"/r/work_step/{STEPS[1]}"}]
    missing = site.client.get(f"/api/projects/{PROJECT}/codes/22222222", headers=site.headers("liaison1"))
    assert missing.status_code == 404 and missing.get_json()["error"]["code"]


def test_codes_are_eight_unambiguous_characters_and_spread():
    """No 0/O, 1/I/L; ten thousand random ids give ten thousand different codes."""
    codes = {short_code(str(uuid.uuid4())) for _ in range(10_000)}
    assert len(codes) == 10_000
    assert all(len(code) == 8 and set(code) <= set(ALPHABET) for code in codes)
    assert not set("01OIL") & set(ALPHABET)


def test_a_section_of_another_project_has_no_sheet(site):
    """A section id from outside the project, or not a section at all, is not found."""
    for section in (STEPS[0], str(uuid.uuid4()), "not-a-uuid"):
        response = site.client.get(f"/api/projects/{PROJECT}/sections/{section}/labels.pdf",
                                   headers=site.headers("admin1"))
        assert response.status_code == 404 and response.get_json()["error"]["code"]
