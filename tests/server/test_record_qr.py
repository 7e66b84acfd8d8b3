"""A record's QR code, in both formats, leads to the app's configured public address and
never to a Host header the request made up."""
from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from server.demo import demo_id
from server.extensions import db

from .conftest import DEMO_PASSWORD, make_app
from .demo_site import DemoSite, assert_error

TASK = demo_id("t1")
QR = f"/api/records/task/{TASK}/qr"


def svg_to_image(svg: bytes) -> Image.Image:
    """Draw the module squares of qrcode's SvgPathImage ("Mx,yH…V…H…z") on white."""
    text = svg.decode()
    width = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', text).group(1))
    scale = 10
    image = Image.new("L", (width * scale, width * scale), 255)
    draw = ImageDraw.Draw(image)
    modules = re.findall(r"M(\d+),(\d+)H", text)
    assert modules, text[:200]
    for x, y in modules:
        x, y = int(x) * scale, int(y) * scale
        draw.rectangle([x, y, x + scale - 1, y + scale - 1], fill=0)
    return image


def decoded(response) -> str:
    """The one text the QR code of `response` carries."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    if response.mimetype == "image/png":
        image = Image.open(io.BytesIO(response.data))
        assert image.format == "PNG"
    else:
        assert response.mimetype == "image/svg+xml"
        image = svg_to_image(response.data)
    [code] = zxingcpp.read_barcodes(image)
    return code.text


def site_with(tmp_path, **config) -> DemoSite:
    from server.demo import load_demo
    app = make_app(f"sqlite:///{tmp_path / 'qr.db'}", tmp_path, **config)
    with app.app_context():
        load_demo(DEMO_PASSWORD)
    return DemoSite(app)


@pytest.fixture
def public_site(tmp_path):
    site = site_with(tmp_path, PUBLIC_URL="https://gridline.example/")
    yield site
    with site.app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_the_qr_code_in_each_format_encodes_the_public_url(public_site, kind):
    response = public_site.client.get(f"{QR}?format={kind}", headers=public_site.headers("foreman1"))
    assert decoded(response) == f"https://gridline.example/r/task/{TASK}"


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_a_forged_host_header_does_not_reach_the_qr_code(public_site, kind):
    headers = {**public_site.headers("foreman1"), "Host": "evil.example"}
    response = public_site.client.get(f"{QR}?format={kind}", headers=headers)
    assert decoded(response) == f"https://gridline.example/r/task/{TASK}"


def test_without_a_public_url_a_trusted_host_is_used_and_others_refused(tmp_path):
    site = site_with(tmp_path, TRUSTED_HOSTS=["site.example"])
    try:
        headers = site.headers("foreman1")
        good = site.client.get(f"{QR}?format=png", headers={**headers, "Host": "site.example"})
        assert decoded(good) == f"http://site.example/r/task/{TASK}"
        forged = site.client.get(f"{QR}?format=png", headers={**headers, "Host": "evil.example"})
        assert_error(forged, 400)
    finally:
        with site.app.app_context():
            db.engine.dispose()


def test_with_nothing_configured_only_a_local_host_makes_a_link(tmp_path):
    site = site_with(tmp_path)
    try:
        headers = site.headers("foreman1")
        local = site.client.get(f"{QR}?format=svg", headers={**headers, "Host": "127.0.0.1:8000"})
        assert decoded(local) == f"http://127.0.0.1:8000/r/task/{TASK}"
        forged = site.client.get(f"{QR}?format=svg", headers={**headers, "Host": "evil.example"})
        error = assert_error(forged, 503, "unavailable")
        assert "PUBLIC_URL" in error["message"]
    finally:
        with site.app.app_context():
            db.engine.dispose()
