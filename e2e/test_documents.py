"""Drawings on a phone: an admin publishes rev. A, a foreman keeps it offline and pins a task on
it; offline the drawing and the task open from the pin; rev. B arrives, the kept copy is
replaced, rev. A is marked superseded and the pin says where it was placed. Then the document
screens in both languages at both widths, screenshotted and audited, and a briefing's minutes."""
from __future__ import annotations

import hashlib
import re
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from conftest import scroll_into_view
from layout_audit import Tour, assert_no_problems, dismiss_storage_warning
from server.approvals.table import approval_id
from server.demo import demo_id
from server.demo_drawings import change_order_sheet, water_main_plan


def upload(api, data: bytes) -> str:
    """PUTs a blob as `api`'s user; its sha256."""
    sha = hashlib.sha256(data).hexdigest()
    request = urllib.request.Request(f"{api.base_url}/api/blobs/{sha}", data=data, method="PUT",
                                     headers={"Authorization": f"Bearer {api.token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)
    return sha


def publish(api, document_id: str, revision: str, data: bytes) -> str:
    """A new version of the document with this file; its id."""
    version_id = str(uuid.uuid4())
    api.put("document_version", version_id, project_id=api.project_id, document_id=document_id,
            file=upload(api, data), revision=revision, note=f"rev. {revision}", date="2026-12-04")
    return version_id


def kept_urls(page) -> list[str]:
    return page.evaluate("""async () => (await (await caches.open('gridline-pinned-v1')).keys())
        .map((request) => new URL(request.url).pathname)""")


def test_a_pinned_drawing_opens_offline_and_is_replaced_by_the_next_revision(phones, server_api):
    admin = server_api("admin1")
    document_id = str(uuid.uuid4())
    admin.put("document", document_id, project_id=admin.project_id, kind="drawing",
              title="雨水管线平面图", number=f"道施-{uuid.uuid4().hex[:4]}")
    first, second = water_main_plan("A"), water_main_plan("B")
    rev_a = publish(admin, document_id, "A", first)
    task_id = server_api("foreman1").create_task("W14 检查井砌筑")

    foreman = phones("foreman1")
    foreman.login("foreman1")
    page = foreman.page
    dismiss_storage_warning(page)
    page.goto("/documents")
    foreman.testid("document-search").fill("雨水管线")
    foreman.testid("document-item").filter(has_text="雨水管线平面图").click()
    expect(foreman.testid("document-page")).to_be_visible()
    foreman.testid("keep-offline-add").click()
    expect(foreman.testid("keep-offline-status")).to_have_attribute("data-kept", "true", timeout=60_000)
    expect(foreman.testid("storage-use")).to_be_visible()

    foreman.testid("document-open").click()
    expect(foreman.testid("drawing-page")).to_have_attribute("data-loaded", "true", timeout=30_000)
    foreman.testid("pin-subject").select_option(f"task:{task_id}")
    expect(foreman.testid("pin-placing")).to_be_visible()
    foreman.testid("drawing-page").click(position={"x": 120, "y": 60})
    expect(foreman.testid("pin-marker")).to_have_count(1)
    foreman.sync_now()

    # In the basement: the drawing and the pinned task open with no network.
    foreman.go_offline()
    page.goto(f"/r/document_version/{rev_a}")
    expect(foreman.testid("drawing-page")).to_have_attribute("data-loaded", "true", timeout=30_000)
    expect(foreman.testid("superseded-banner")).to_have_count(0)
    foreman.testid("pin-marker").click()
    expect(page).to_have_url(re.compile(rf"/r/task/{task_id}$"))
    expect(foreman.testid("record-detail")).to_contain_text("W14 检查井砌筑")
    expect(foreman.testid("pinned-on")).to_have_attribute("href", f"/r/document_version/{rev_a}")

    # Rev. B is published; back online, the kept copy becomes rev. B and rev. A's goes.
    rev_b = publish(admin, document_id, "B", second)
    foreman.go_online()
    page.goto(f"/r/document/{document_id}")
    status = foreman.testid("keep-offline-status")
    expect(status).to_contain_text(foreman.text("documents.keptRevision").split("{")[0], timeout=60_000)
    expect(status).to_contain_text("B")
    sha_a, sha_b = (hashlib.sha256(data).hexdigest() for data in (first, second))
    page.wait_for_function("""([a, b]) => caches.open('gridline-pinned-v1').then((cache) => cache.keys())
        .then((keys) => keys.some((k) => k.url.includes(b)) && !keys.some((k) => k.url.includes(a)))""",
                           arg=[sha_a, sha_b], timeout=60_000)
    rows = foreman.testid("version-row")
    expect(rows.first).to_have_attribute("data-revision", "B")
    expect(rows.first.get_by_test_id("version-current")).to_be_visible()
    expect(rows.nth(1).get_by_test_id("version-superseded")).to_have_text(foreman.text("documents.superseded"))

    # Offline again: rev. B opens, and the pin placed on rev. A says so.
    foreman.go_offline()
    page.goto(f"/r/document_version/{rev_b}")
    expect(foreman.testid("drawing-page")).to_have_attribute("data-loaded", "true", timeout=30_000)
    expect(foreman.testid("pin-placed-on")).to_have_text(
        foreman.text("documents.placedOn").replace("{revision}", "A"))
    page.goto(f"/r/document_version/{rev_a}")
    expect(foreman.testid("superseded-banner")).to_be_visible()
    assert not any(sha_a in url for url in kept_urls(page))
    foreman.go_online()
    foreman.assert_no_errors()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_document_screens_fit_a_phone_in_both_languages(locale, phones, screenshot):
    foreman = phones("foreman1")
    foreman.login("foreman1")
    dismiss_storage_warning(foreman.page)
    tour = Tour(foreman.page, locale, screenshot, who="foreman")
    tour.visit("documents", "/documents", "document-item")
    tour.visit("document", f"/r/document/{demo_id('d-plan')}", "version-row", full_page=True)
    page = foreman.page
    page.goto(f"/r/document_version/{demo_id('d-plan-B')}")
    expect(foreman.testid("drawing-page")).to_have_attribute("data-loaded", "true", timeout=30_000)
    tour.visit("drawing-pins", None, "pin-marker", full_page=True)
    width = foreman.testid("drawing-page").bounding_box()["width"]
    foreman.testid("zoom-in").click()
    expect(foreman.testid("zoom-label")).to_have_text("150%")
    assert foreman.testid("drawing-page").bounding_box()["width"] > width * 1.4
    page.goto(f"/r/document_version/{demo_id('d-plan-A')}")
    expect(foreman.testid("drawing-page")).to_have_attribute("data-loaded", "true", timeout=30_000)
    tour.visit("drawing-superseded", None, "superseded-banner", full_page=True)
    # Today's briefing leads to the minutes that record it, and back.
    since = foreman.now()
    page.goto(f"/r/briefing/{demo_id('b-today')}")
    # The load's own sync may bring other tests' records and redraw the page: tap after it.
    foreman.wait_synced(since)
    foreman.testid("briefing-minutes").click()
    expect(foreman.testid("document-page")).to_have_attribute("data-id", demo_id("d-minutes"))
    expect(foreman.testid("minutes-briefing").locator("a")).to_have_attribute(
        "href", f"/r/briefing/{demo_id('b-today')}")
    assert_no_problems(tour)
    foreman.assert_no_errors()


def test_an_admin_uploads_a_new_version_from_the_phone(phones, server_api, tmp_path):
    admin_api = server_api("admin1")
    document_id = str(uuid.uuid4())
    admin_api.put("document", document_id, project_id=admin_api.project_id, kind="change_order",
                  title="B02 检查井位置变更", number=f"变-{uuid.uuid4().hex[:4]}")
    drawing = tmp_path / "change.pdf"
    drawing.write_bytes(water_main_plan("B"))
    admin = phones("admin1")
    admin.login("admin1")
    dismiss_storage_warning(admin.page)
    admin.goto(f"/r/document/{document_id}")
    expect(admin.testid("document-no-version")).to_be_visible()
    admin.testid("version-upload").locator("summary").click()
    expect(admin.testid("version-revision")).to_have_value("A")
    # A change order's version always goes for approval: no sign-off box to tick.
    expect(admin.testid("version-goes-for-approval")).to_be_visible()
    expect(admin.testid("version-signoff")).to_have_count(0)
    admin.testid("version-file").set_input_files(str(drawing))
    admin.testid("version-note").fill("检查井 W13 东移 2 m")
    admin.testid("version-save").click()
    expect(admin.testid("version-upload-progress")).to_have_text(admin.text("documents.uploaded"), timeout=60_000)
    expect(admin.testid("version-row")).to_have_count(1)
    expect(admin.testid("version-current")).to_be_visible()
    admin.sync_now()
    version_id = admin.testid("version-row").get_attribute("data-id")
    data = admin_api.record("document_version", version_id)["data"]
    assert (data["revision"], data["note"], data["file"]) == (
        "A", "检查井 W13 东移 2 m", hashlib.sha256(drawing.read_bytes()).hexdigest())
    # Its approval, opened by the server, shows on the version once synced.
    expect(admin.testid("version-approval")).to_have_attribute("data-status", "pending", timeout=20_000)
    admin.assert_no_errors()


UNDO_SECONDS = 8  # status_actions.js UNDO_MS: a decision is held back this long


@pytest.mark.parametrize("locale", ["zh-CN", "en"], indirect=True)
def test_a_change_orders_versions_show_their_decisions_and_one_is_decided_offline(
        phones, server_api, screenshot, locale):
    """Each version of a change order opens its approval on the server: the supervisor's inbox
    names the document and revision, rev. A (rejected) shows by whom and why on the document
    page, rev. B (pending) says so, and approving it offline shows who approved it once synced."""
    admin = server_api("admin1")
    document_id, number = str(uuid.uuid4()), f"变更-{uuid.uuid4().hex[:4]}"
    admin.put("document", document_id, project_id=admin.project_id, kind="change_order",
              title="W14 检查井位置东移", number=number)
    rev_a = publish(admin, document_id, "A", change_order_sheet())
    rev_b = publish(admin, document_id, "B", water_main_plan("B"))
    first, second = (approval_id("document_version", rev, "change_order", 1) for rev in (rev_a, rev_b))
    server_api("supervisor1").put("approval", first, status="rejected",
                                  decision_comment="费用未列明细，请补充工程量清单")

    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    page = supervisor.page
    dismiss_storage_warning(page)
    tour = Tour(page, locale, screenshot, prefix="change-order-", who="supervisor")
    page.goto("/approvals")
    card = page.locator(f'[data-testid="approval-card"][data-id="{second}"]')
    expect(card).to_have_attribute("data-kind", "change_order")
    subject = card.get_by_test_id("approval-subject")
    expect(subject).to_contain_text(f"{number} W14 检查井位置东移")
    expect(subject).to_contain_text(supervisor.text("documents.revision").replace("{revision}", "B"))
    expect(card.get_by_test_id("fact-change")).to_have_text("rev. B")
    tour.visit("inbox", None, ready="approval-card", full_page=True, scroll_to=card)

    page.goto(f"/r/document/{document_id}")
    rows = supervisor.testid("version-row")
    b_line, a_line = (rows.nth(i).get_by_test_id("version-approval") for i in (0, 1))
    expect(b_line).to_have_attribute("data-status", "pending")
    expect(b_line).to_have_text(supervisor.text("documents.decision.pending").replace(
        "{kind}", supervisor.text("kind.change_order")))
    expect(a_line).to_have_attribute("data-status", "rejected")
    expect(a_line).to_contain_text("陈明")
    expect(a_line.get_by_test_id("version-approval-reason")).to_contain_text("费用未列明细")
    tour.visit("document", None, ready="version-approval", full_page=True)

    # Offline, from the inbox: approved in one tap, sent when the phone is back.
    supervisor.go_offline()
    page.goto("/approvals")
    card.get_by_test_id("approval-approve").click()
    expect(card).to_have_count(0)
    page.wait_for_timeout(UNDO_SECONDS * 1000)
    supervisor.expect_pending(1)
    page.goto(f"/r/document/{document_id}")
    expect(b_line).to_have_attribute("data-status", "approved")
    expect(b_line).to_contain_text(supervisor.text("documents.you"))
    supervisor.go_online()
    supervisor.sync_now()
    supervisor.expect_pending(0)
    assert admin.record("approval", second)["data"]["status"] == "approved"
    page.reload()
    expect(b_line).to_have_attribute("data-status", "approved")
    expect(b_line).to_contain_text("陈明")
    tour.visit("document-decided", None, ready="version-approval", full_page=True)
    assert_no_problems(tour)
    supervisor.assert_no_errors()


def _pin_tip(foreman) -> tuple[float, float]:
    """Where the first pin points on the screen (client coordinates)."""
    marker = foreman.testid("pin-marker").first.bounding_box()
    # The marker's tip is 22 px right of its box's left edge and 36 px down (.pin-marker).
    return marker["x"] + 22, marker["y"] + 36


def _on_image(foreman, point: tuple[float, float]) -> tuple[float, float]:
    """A screen point as fractions of the page image's width and height."""
    image = foreman.testid("drawing-image").bounding_box()
    return (point[0] - image["x"]) / image["width"], (point[1] - image["y"]) / image["height"]


def test_two_fingers_pinch_the_drawing_larger_and_the_pins_stay_on_their_point(phones, screenshot):
    """Real touch events through CDP: two fingers spread on a phone's drawing, left of its
    centre. The drawing grows three times, the pin stays on its point of the drawing, and the
    point pinched stays under the fingers (regression: the zoom held the viewport's centre)."""
    foreman = phones("foreman1")
    foreman.login("foreman1")
    page = foreman.page
    dismiss_storage_warning(page)
    page.goto(f"/r/document_version/{demo_id('d-plan-B')}")
    expect(foreman.testid("drawing-page")).to_have_attribute("data-loaded", "true", timeout=30_000)
    expect(foreman.testid("pin-marker").first).to_be_visible()
    scroll_into_view(foreman.testid("drawing-viewport"))
    before_width = foreman.testid("drawing-image").bounding_box()["width"]
    pin_before = _on_image(foreman, _pin_tip(foreman))
    box = foreman.testid("drawing-viewport").bounding_box()
    fingers = (box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    pinched = _on_image(foreman, fingers)

    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, spread: float) -> None:
        points = [] if kind == "touchEnd" else [
            {"x": fingers[0] - spread, "y": fingers[1], "id": 1},
            {"x": fingers[0] + spread, "y": fingers[1], "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 20)
    for step in range(1, 11):
        touch("touchMove", 20 + step * 4)  # 40 px apart to 120: three times as large
    touch("touchEnd", 0)

    label = foreman.testid("zoom-label")
    expect(label).not_to_have_text("100%")
    zoom = int(label.text_content().rstrip("%"))
    assert 250 <= zoom <= 350, zoom
    image = foreman.testid("drawing-image").bounding_box()
    assert image["width"] > before_width * 2.5, (before_width, image)
    pin_after = _on_image(foreman, _pin_tip(foreman))
    assert all(abs(a - b) < 0.01 for a, b in zip(pin_after, pin_before)), (pin_before, pin_after)
    # The drawing's point that was between the fingers is still there.
    under = (image["x"] + pinched[0] * image["width"], image["y"] + pinched[1] * image["height"])
    assert abs(under[0] - fingers[0]) < 12 and abs(under[1] - fingers[1]) < 12, (fingers, under)
    screenshot(page, "drawing-pinched-zh-CN")
    foreman.assert_no_errors()
