"""Work steps on phones: the three-level inspection done by three people, one of them offline
with a photo whose time and place are kept, a specialist failure rectified and passed, and the
trace page showing all of it in order with no network. Then the screens (work step, inspection,
trace, scan, and the label sheet rasterised) audited and screenshotted in both languages."""
from __future__ import annotations

import io
import re
import urllib.request
import uuid

import pypdfium2
import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import SCREENSHOTS, scroll_into_view
from layout_audit import Tour, assert_no_problems, dismiss_storage_warning

SITE = {"latitude": 31.2304, "longitude": 121.4737, "accuracy": 15}
TIMEOUT = 30_000


def jpeg(colour=(200, 120, 40)) -> dict:
    """A small generated JPEG for the camera input."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG", quality=90)
    return {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def new_step(server_api, section_key: str = "B01") -> str:
    """A planned work step of foreman1's crew, checked next by foreman2's."""
    supervisor = server_api("supervisor1")
    project = supervisor.get("/api/projects")["projects"][0]["id"]
    sections = {s["data"]["code"]: s["id"] for s in supervisor.get(f"/api/sync/pull?client_id={uuid.uuid4()}&limit=1000")["changes"]
                if s["type"] == "section"}
    users = {m["username"]: m["user_id"] for m in supervisor.get(f"/api/projects/{project}/members")["members"]}
    step_id = str(uuid.uuid4())
    supervisor.put("work_step", step_id, project_id=project, section_id=sections[section_key], step="回填",
                   crew="路面班", foreman_id=users["foreman1"], next_foreman_id=users["foreman2"])
    return step_id


def mark_up(phone) -> None:
    """Draws an arrow and a circle on the first photo with the mouse as a finger, and a label; saves the copy."""
    page = phone.page
    phone.testid("inspection-photo-markup-open").first.click()
    canvas = phone.testid("markup-canvas")
    expect(canvas).to_have_attribute("data-ready", "true", timeout=TIMEOUT)
    box = canvas.bounding_box()
    for tool, (x0, y0, x1, y1) in (("arrow", (0.2, 0.2, 0.6, 0.6)), ("circle", (0.5, 0.3, 0.9, 0.8))):
        phone.testid(f"markup-{tool}").click()
        page.mouse.move(box["x"] + box["width"] * x0, box["y"] + box["height"] * y0)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * x1, box["y"] + box["height"] * y1, steps=5)
        page.mouse.up()
    phone.testid("markup-label").click()
    phone.testid("markup-text").fill("积水")
    canvas.click(position={"x": box["width"] * 0.1, "y": box["height"] * 0.9})
    phone.testid("markup-save").click()
    expect(phone.testid("inspection-photo-list").locator("img")).to_have_count(2, timeout=TIMEOUT)


def inspect(phone, step_id: str, level: str, result: str, photo: dict | None = None, measured: str | None = None,
            markup: bool = False) -> None:
    """On the step's page, opens the inspection of `level`, fills the compaction checklist and saves."""
    page = phone.page
    page.goto(f"/r/work_step/{step_id}")
    phone.testid("work-step-inspect").click()
    expect(phone.testid("inspection-form")).to_be_visible(timeout=TIMEOUT)
    phone.testid("inspection-checklist").select_option("compaction")
    for item in ("CP01", "CP02", "CP03"):
        phone.testid(f"item-{item}-{'fail' if result == 'fail' and item == 'CP02' else 'pass'}").check()
    if measured:
        phone.testid("measure-CP02").fill(measured)
    if photo:
        phone.testid("inspection-photo").set_input_files(photo)
        expect(phone.testid("inspection-photo-list").locator("img")).to_have_count(1, timeout=TIMEOUT)
    if markup:
        mark_up(phone)
    phone.testid(f"inspection-result-{result}").check()
    phone.testid("inspection-save").click()
    expect(page).to_have_url(re.compile(rf"/r/work_step/{step_id}$"), timeout=TIMEOUT)


def test_three_levels_by_three_people_offline_photo_failure_rectified_trace_offline(phones, server_api):
    """Self offline with a photo (time and place kept), mutual, specialist failed with a photo
    and a marked-up copy of it, rectified, passed; the trace page lists it all, newest first,
    offline, the failure's photos beside the passing ones."""
    step_id = new_step(server_api)
    foreman = phones("foreman1", geolocation=SITE, permissions=["geolocation"])
    foreman.login("foreman1")
    foreman.page.goto(f"/r/work_step/{step_id}")
    foreman.testid("work-step-start").click()
    foreman.testid("work-step-confirm-yes").click()
    expect(foreman.testid("work-step-status")).to_have_text(foreman.text("state.in_progress"), timeout=TIMEOUT)
    foreman.sync_now()

    foreman.go_offline()
    inspect(foreman, step_id, "self", "pass", photo=jpeg(), measured="96")
    expect(foreman.testid("work-step-status")).to_have_text(foreman.text("state.self_passed"), timeout=TIMEOUT)
    expect(foreman.testid("trace-entry").first).to_contain_text(foreman.text("level.self"))
    expect(foreman.testid("trace-measurements").first).to_contain_text("96 %")
    # Where and when the photo was taken shows beside it, from the phone's own record.
    expect(foreman.testid("trace-photo-fact").first).to_contain_text("31.23040")
    foreman.go_online()
    api = server_api("foreman1")
    assert api.record("work_step", step_id)["data"]["status"] == "self_passed"
    metas = [change["data"] for change in api.get(f"/api/sync/pull?client_id={uuid.uuid4()}&limit=1000")["changes"]
             if change["type"] == "photo_meta"]
    assert any(abs((meta.get("latitude") or 0) - SITE["latitude"]) < 1e-6 and meta.get("taken_at") for meta in metas), metas

    mutual = phones("foreman2")
    mutual.login("foreman2")
    inspect(mutual, step_id, "mutual", "pass")
    mutual.sync_now()

    quality = phones("quality1")
    quality.login("quality1")
    inspect(quality, step_id, "specialist", "fail", photo=jpeg((60, 60, 200)), measured="91", markup=True)
    expect(quality.testid("work-step-status")).to_have_text(quality.text("state.rectifying_specialist"), timeout=TIMEOUT)
    quality.sync_now()
    failed = [c["data"] for c in api.get(f"/api/sync/pull?client_id={uuid.uuid4()}&limit=1000")["changes"]
              if c["type"] == "inspection" and c["data"]["work_step_id"] == step_id and c["data"]["result"] == "fail"]
    assert len(failed[0]["photos"]) == 2
    marked = [c["data"] for c in api.get(f"/api/sync/pull?client_id={uuid.uuid4()}&limit=1000")["changes"]
              if c["type"] == "photo_meta" and c["data"].get("derived_from") in failed[0]["photos"]]
    assert len(marked) == 1 and marked[0]["sha256"] in failed[0]["photos"]

    foreman.sync_now()
    foreman.page.goto(f"/r/work_step/{step_id}")
    # Rectified in a trench with no signal: the trace says so at once, marked as not yet sent.
    foreman.go_offline()
    foreman.testid("work-step-rectified").click()
    foreman.testid("work-step-confirm-yes").click()
    expect(foreman.testid("work-step-status")).to_have_text(foreman.text("state.mutual_passed"), timeout=TIMEOUT)
    rectified = foreman.page.locator("[data-testid=trace-entry][data-kind=rectified]")
    expect(rectified).to_have_count(1)
    expect(rectified).to_contain_text(foreman.text("record.notSynced"))
    foreman.go_online()
    foreman.sync_now()

    quality.sync_now()
    inspect(quality, step_id, "specialist", "pass", photo=jpeg((40, 160, 60)), measured="97")
    quality.sync_now()
    assert api.record("work_step", step_id)["data"]["status"] == "passed"

    foreman.sync_now()
    foreman.page.goto(f"/r/work_step/{step_id}")
    expect(foreman.testid("work-step-status")).to_have_text(foreman.text("state.passed"), timeout=TIMEOUT)
    expect(rectified).to_have_count(1, timeout=TIMEOUT)  # now from the server's history
    foreman.go_offline()
    foreman.page.reload()
    # Offline, the history as last fetched still tells of the rectification, in its place.
    expect(rectified).to_have_count(1, timeout=TIMEOUT)
    expect(rectified).not_to_contain_text(foreman.text("record.notSynced"))
    entries = foreman.testid("trace-entry")
    expect(foreman.testid("trace-offline")).to_be_visible(timeout=TIMEOUT)
    kinds = [entries.nth(i).get_attribute("data-kind") for i in range(entries.count())]
    inspections = [k for k in kinds if k.startswith("inspection")]
    assert inspections == ["inspection-pass", "inspection-fail", "inspection-pass", "inspection-pass"], kinds
    assert kinds[-1] == "created", kinds
    texts = [entries.nth(i).inner_text() for i in range(entries.count())]
    order = [next(i for i, text in enumerate(texts) if foreman.text(f"level.{level}") in text) for level in ("specialist", "mutual", "self")]
    assert order == sorted(order), texts
    expect(foreman.testid("before-after")).to_have_count(1)
    expect(foreman.testid("trace-photo-fact").filter(has_text=foreman.text("trace.photoMarked").split("{")[0])).to_have_count(1)
    for phone in (foreman, mutual, quality):
        phone.assert_no_errors()


def test_a_typed_short_code_opens_the_work_step_offline(phones, server_api):
    """The code printed under a step's QR, typed loosely, opens the step with no network."""
    foreman = phones("foreman2")
    foreman.login("foreman2")
    pull = server_api("foreman2").get(f"/api/sync/pull?client_id={uuid.uuid4()}&limit=1000")["changes"]
    step = next(c for c in pull if c["type"] == "work_step" and c["data"]["step"] == "管道安装")
    printed = foreman.page.evaluate(
        "id => import('/js/sync/short_code.js').then((m) => m.printedCode(m.shortCode(id)))", step["id"])
    # The phone derives the same code the server prints on the label.
    found = server_api("foreman2").get(f"/api/projects/{step['data']['project_id']}/codes/{printed}")
    assert found["records"] == [{"type": "work_step", "id": step["id"], "path": f"/r/work_step/{step['id']}"}]
    foreman.go_offline()
    foreman.page.goto("/scan")
    foreman.testid("code-input").fill(printed.lower().replace("-", " "))
    foreman.testid("code-open").click()
    expect(foreman.page).to_have_url(re.compile(rf"/r/work_step/{step['id']}$"), timeout=TIMEOUT)
    expect(foreman.testid("work-step-code")).to_contain_text(printed)
    foreman.assert_no_errors()


def demo_step_ids(server_api) -> dict:
    """The demo's B02 section and its work steps by name, as the server holds them."""
    changes = server_api("foreman2").get(f"/api/sync/pull?client_id={uuid.uuid4()}&limit=1000")["changes"]
    ids = {c["data"]["step"]: c["id"] for c in changes if c["type"] == "work_step" and c["data"]["step"] in ("沟槽开挖", "管道安装")}
    ids["B02"] = next(c["id"] for c in changes if c["type"] == "section" and c["data"]["code"] == "B02")
    ids["project"] = changes[0]["data"]["project_id"]
    return ids


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_work_step_screens_read_well_on_a_phone(phones, server_api, screenshot, locale):
    """The work step with its rectified trace, the mutual inspection form, the section's trace,
    the scan screen and the new-step form: audited at 360 and 390 px and screenshotted."""
    ids = demo_step_ids(server_api)
    phone = phones("foreman2")
    phone.login("foreman2")
    dismiss_storage_warning(phone.page)
    tag = "zh" if locale == "zh-CN" else "en"
    tour = Tour(phone.page, locale, screenshot, prefix="worksteps-", tag=tag, who="foreman2")
    tour.visit("step", f"/r/work_step/{ids['沟槽开挖']}", ready="trace-entry", full_page=True)
    tour.visit("inspection", f"/r/work_step/{ids['管道安装']}/inspect?level=mutual", ready="inspection-form")
    phone.testid("inspection-checklist").select_option("compaction")
    scroll_into_view(phone.testid("measure-CP02"))
    tour.visit("inspection-items", full_page=True)
    phone.testid("inspection-photo").set_input_files(jpeg((150, 140, 120)))
    expect(phone.testid("inspection-photo-markup-open")).to_be_visible(timeout=TIMEOUT)
    mark_up(phone)
    phone.testid("inspection-photo-markup-open").first.click()
    expect(phone.testid("markup-canvas")).to_have_attribute("data-ready", "true", timeout=TIMEOUT)
    tour.visit("markup", scroll_to=phone.testid("photo-markup"))
    phone.testid("markup-cancel").click()
    tour.visit("trace", f"/r/section/{ids['B02']}/trace", ready="trace-entry", full_page=True)
    tour.visit("scan", "/scan", ready="code-form")
    tour.visit("form", f"/work-steps/new?section={ids['B02']}", ready="work-step-form", full_page=True)
    tour.visit("section", f"/r/section/{ids['B02']}", ready="section-work-steps", full_page=True)
    assert_no_problems(tour)
    phone.assert_no_errors()


def test_the_label_sheet_rasterised(server_api, screenshot):
    """The B02 label sheet as the printer gets it, rasterised for a look (and its QR codes read)."""
    ids = demo_step_ids(server_api)
    api = server_api("foreman2")
    request = urllib.request.Request(f"{api.base_url}/api/projects/{ids['project']}/sections/{ids['B02']}/labels.pdf",
                                     headers={"Authorization": f"Bearer {api.token}"})
    with urllib.request.urlopen(request) as response:
        pdf = response.read()
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    SCREENSHOTS.mkdir(exist_ok=True)
    image.save(SCREENSHOTS / "worksteps-labels-page1.png")
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "雨污水管线迁改" in text and "沟槽开挖" in text


# Chromium on Linux has no BarcodeDetector: a phone whose browser has one is played by this
# stand-in, which answers only once the camera (Chromium's test-pattern device) is really
# playing into the video element the app gave it, as the real detector reads frames from it.
LABEL_DETECTOR = """(link) => {
  window.BarcodeDetector = class {
    constructor({ formats }) { if (!formats.includes('qr_code')) throw new TypeError('no qr'); }
    async detect(video) {
      const playing = video instanceof HTMLVideoElement && video.srcObject instanceof MediaStream
        && video.srcObject.getVideoTracks()[0]?.readyState === 'live' && video.readyState >= 2 && video.videoWidth > 0;
      window.detectedFrom = playing ? { width: video.videoWidth } : null;
      window.scanStream = video.srcObject;
      return playing ? [{ rawValue: link, format: 'qr_code' }] : [];
    }
  };
}"""


def test_the_scan_button_opens_a_label_through_the_camera_and_only_where_the_browser_reads_qr_codes(phones, server_api):
    step_id = new_step(server_api)
    phone = phones("foreman1", permissions=["camera"])
    phone.login("foreman1")
    # No BarcodeDetector: no camera button, the typed code is the way (test_a_typed_short_code_…).
    phone.goto("/scan")
    expect(phone.testid("code-input")).to_be_visible()
    expect(phone.testid("scan-camera")).to_have_count(0)

    # A browser that reads QR codes: the button starts the camera and a label's link opens its record.
    phone.page.add_init_script(f"({LABEL_DETECTOR})('https://site.example/r/work_step/{step_id.upper()}')")
    phone.goto("/scan")
    phone.testid("scan-camera").click()
    expect(phone.page).to_have_url(re.compile(rf"/r/work_step/{step_id}$"), timeout=TIMEOUT)
    expect(phone.testid("work-step-page")).to_be_visible()
    assert phone.page.evaluate("window.detectedFrom")["width"] > 0
    # Once read, the camera is let go.
    assert phone.page.evaluate("window.scanStream.getVideoTracks().every((track) => track.readyState === 'ended')")
    phone.assert_no_errors()


def test_a_sections_trace_tells_the_sections_own_story_beside_its_steps(phones, server_api, screenshot):
    """Scanning a section's label: its creation, the comments about it and its field changes
    join its work steps' entries, online and then offline."""
    step_id = new_step(server_api, "B02")
    supervisor = server_api("supervisor1")
    section_id = supervisor.record("work_step", step_id)["data"]["section_id"]
    body = f"B02 东侧围挡缺口已补 {uuid.uuid4().hex[:4]}"
    supervisor.put("comment", str(uuid.uuid4()), project_id=supervisor.project_id, subject_type="section",
                   subject_id=section_id, body=body)
    phone = phones("foreman1")
    phone.login("foreman1")
    # The section's page prints the code that is under its QR on the label, and the server knows it.
    phone.goto(f"/r/section/{section_id}")
    printed = phone.testid("section-short-code").locator(".short-code").inner_text()
    found = supervisor.get(f"/api/projects/{supervisor.project_id}/codes/{printed}")["records"]
    assert found == [{"type": "section", "id": section_id, "path": f"/r/section/{section_id}"}], found
    phone.goto(f"/r/section/{section_id}/trace")
    comment = phone.page.locator("[data-testid=trace-entry][data-kind=comment]").filter(has_text=body)
    expect(comment).to_have_count(1)
    expect(comment).to_contain_text(phone.text("type.section"))
    created = phone.page.locator("[data-testid=trace-entry][data-kind=created]")
    expect(created.filter(has_text=phone.text("type.section"))).to_have_count(1)
    expect(created.filter(has_text="回填").first).to_be_visible()
    screenshot(phone.page, "trace-section-zh-CN")
    phone.go_offline()
    phone.page.reload()
    expect(comment).to_have_count(1, timeout=TIMEOUT)
    phone.assert_no_errors()
