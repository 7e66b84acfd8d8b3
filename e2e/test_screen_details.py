"""Details of the field screens on a phone (390×844, and 360 wide where it matters), in Chinese
and English: an edit sends only what was changed, text fields stop at the server's limits, the
first tasks show above the fold, photos are headed once, "More" says when everything is synced,
dates read in the UI's language, overdue tasks say so in words, and an export of unsynced changes
carries the photos not yet uploaded (older exports without photos still import).

Records are read back from the server over its API; strings come from pwa/i18n/.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import uuid
from pathlib import Path

import pytest
from marshmallow import validate
from PIL import Image
from playwright.sync_api import expect

from conftest import scroll_into_view
from server.records.briefing import BriefingFields
from server.records.feedback import FeedbackFields
from server.records.section import SectionFields
from server.records.task import TaskFields

I18N = Path(__file__).resolve().parent.parent / "pwa" / "i18n"
PHONE_SIZE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 800}


def ui(locale: str, key: str, **params) -> str:
    """The app's string `key` in `locale`, with `{name}` filled and the plural form for `count`."""
    strings = json.loads((I18N / f"{locale}.json").read_text(encoding="utf-8"))
    text = strings.get(key)
    if "count" in params:
        form = "one" if params["count"] == 1 and locale == "en" else "other"
        text = strings.get(f"{key}.{form}", text)
    return re.sub(r"\{(\w+)\}", lambda m: str(params.get(m.group(1), m.group(0))), text)


def jpeg(colour=(200, 120, 40), size=(80, 60)) -> dict:
    """A small generated JPEG for the camera input."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=90)
    return {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def server_limit(schema, field: str) -> int:
    """The longest text the server's record schema takes for `field`."""
    [length] = [v for v in schema().fields[field].validators if isinstance(v, validate.Length)]
    return length.max


# ---- 1. An edit sends only the fields the user changed ---------------------------------------

def test_an_edit_sends_only_what_was_changed_so_a_default_never_overwrites_a_concurrent_change(phones, server_api):
    # Made elsewhere without priority or progress: the form fills in "normal" and 0 for them.
    task_id = server_api("admin1").create_task("B02 雨水井盖更换")
    phone = phones("foreman1")
    phone.login("foreman1")
    phone.go_offline()
    phone.goto(f"/r/task/{task_id}/edit")
    expect(phone.testid("task-priority")).to_have_value("normal")
    expect(phone.testid("task-progress")).to_have_value("0")
    phone.testid("task-description").fill("旧井盖破损，换重型井盖")

    # Meanwhile the supervisor raises the priority on the server.
    server_api("supervisor1").put("task", task_id, priority="urgent")

    phone.testid("task-save").click()
    expect(phone.page).to_have_url(re.compile(rf"/r/task/{task_id}$"))
    phone.expect_pending(1)
    [queued] = phone.outbox()
    assert queued["fields"] == {"description": "旧井盖破损，换重型井盖"}
    phone.go_online()

    data = server_api("foreman1").record("task", task_id)["data"]
    assert data["description"] == "旧井盖破损，换重型井盖"
    assert data["priority"] == "urgent"  # the supervisor's change stands
    assert data.get("progress") is None
    assert [c for c in server_api("foreman1").conflicts() if c["record_id"] == task_id] == []
    phone.assert_no_errors()


def test_a_section_edit_sends_only_what_was_changed_too(phones, server_api):
    # The section form shares the task form's rule (Screen.changedFields): only what was changed goes out.
    admin = server_api("admin1")
    section_id = str(uuid.uuid4())
    admin.put("section", section_id, project_id=admin.project_id, code="E07", name="东段人行道")
    phone = phones("supervisor1")
    phone.login("supervisor1")
    phone.go_offline()
    phone.goto(f"/r/section/{section_id}/edit")
    expect(phone.testid("section-name")).to_have_value("东段人行道")
    phone.testid("section-description").fill("含公交站台两处")

    # Meanwhile the admin names the responsible foreman on the server.
    owner = server_api("foreman2").user["id"]
    admin.put("section", section_id, owner_id=owner)

    phone.testid("section-save").click()
    expect(phone.page).to_have_url(re.compile(rf"/r/section/{section_id}$"))
    phone.expect_pending(1)
    [queued] = phone.outbox()
    assert queued["fields"] == {"description": "含公交站台两处"}
    phone.go_online()

    data = server_api("supervisor1").record("section", section_id)["data"]
    assert data["description"] == "含公交站台两处"
    assert data["owner_id"] == owner  # the admin's change stands
    phone.assert_no_errors()


def test_a_safety_check_edit_sends_only_what_was_changed_too(phones, server_api):
    # The check form shares the rule (Screen.changedFields): its own fields go out only when changed.
    safety = server_api("safety1")
    check_id = str(uuid.uuid4())
    safety.put("safety_check", check_id, project_id=safety.project_id, template="excavation",
               date="2026-11-23", likelihood=2, severity=2,
               results={"EX01": "pass", "EX02": "pass", "EX03": "pass", "EX04": "pass", "EX05": "pass"})
    phone = phones("safety1")
    phone.login("safety1")
    phone.go_offline()
    phone.goto(f"/r/safety_check/{check_id}/edit")
    expect(phone.testid("check-date")).to_have_value("2026-11-23")
    phone.page.locator("#check-notes").fill("复查：支护完好")

    # Meanwhile the supervisor grades the risk higher on the server.
    server_api("supervisor1").put("safety_check", check_id, severity=4)

    phone.testid("check-save").click()
    expect(phone.page).to_have_url(re.compile(rf"/r/safety_check/{check_id}$"))
    phone.expect_pending(1)
    [queued] = phone.outbox()
    assert queued["fields"] == {"notes": "复查：支护完好"}
    phone.go_online()

    data = server_api("safety1").record("safety_check", check_id)["data"]
    assert data["notes"] == "复查：支护完好"
    assert data["severity"] == 4  # the supervisor's change stands
    phone.assert_no_errors()


# ---- 2. Text fields stop at the server's limits -------------------------------------------------

LIMITS = {  # form → (control testid, server schema, field)
    "/tasks/new": [("task-title", TaskFields, "title"), ("task-description", TaskFields, "description")],
    "/sections/new": [("section-name", SectionFields, "name"), ("section-description", SectionFields, "description")],
    "/feedback/new": [("feedback-description", FeedbackFields, "description"),
                      ("feedback-location", FeedbackFields, "location"),
                      ("feedback-resident-name", FeedbackFields, "resident_name")],
    "/today": [("briefing-weather", BriefingFields, "weather"), ("briefing-key-tasks", BriefingFields, "key_tasks"),
               ("briefing-risk-points", BriefingFields, "risk_points")],
}


def test_text_fields_stop_at_the_servers_limits_and_count_near_them(phones):
    phone = phones("admin1")  # an admin may open every one of these forms
    phone.login("admin1")
    for path, controls in LIMITS.items():
        phone.goto(path)
        for testid, schema, field in controls:
            expect(phone.testid(testid)).to_have_attribute("maxlength", str(server_limit(schema, field)))

    # Typing past the limit stops at it, and a counter says so from 80 % of it on.
    phone.goto("/tasks/new")
    description, counter = phone.testid("task-description"), phone.testid("task-description-count")
    description.fill("路面")
    expect(counter).to_be_hidden()
    description.fill("沥青" * 1700)  # 3400 characters
    expect(counter).to_have_text("3400 / 4000")
    description.fill("沥青" * 2100)  # 4200 characters, more than the server keeps
    assert len(description.input_value()) == 4000
    expect(counter).to_have_text("4000 / 4000")
    expect(counter).to_have_class(re.compile(r"\bat-limit\b"))
    phone.assert_no_errors()


# ---- 3. The first tasks show above the fold -----------------------------------------------------

@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_task_filters_leave_room_for_the_first_tasks(phones, locale, screenshot):
    phone = phones("foreman1")
    phone.login("foreman1")
    page = phone.page
    phone.testid("nav-tasks").click()
    first = phone.testid("record-item").first
    expect(first).to_be_visible()
    tag = "zh" if locale == "zh-CN" else "en"
    for size in (PHONE_SIZE, NARROW):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        # Measured in one go in the page, once the list and its chips are drawn: a sync
        # finishing may redraw the screen between two separate reads.
        layout = page.wait_for_function("""() => {
            const rect = (element) => element.getBoundingClientRect().toJSON();
            const items = document.querySelectorAll('[data-testid="record-item"]');
            const nav = document.querySelector('[data-testid="nav-home"]');
            const chips = document.querySelectorAll('[data-testid="task-filter-state"] button');
            if (items.length < 2 || !nav || !chips.length) return null;
            return {nav: rect(nav).y, first: rect(items[0]), second: rect(items[1]),
                    chipTops: [...new Set([...chips].map((chip) => Math.round(rect(chip).y)))]};
        }""").json_value()
        nav_top, box, second = layout["nav"], layout["first"], layout["second"]
        if size is PHONE_SIZE:
            assert box["y"] + box["height"] <= nav_top, f"first task ends at {box['y'] + box['height']}, nav at {nav_top}"
            assert second["y"] < nav_top, "the second task does not start above the nav bar"
        else:
            assert box["y"] + 48 <= nav_top, f"first task starts at {box['y']}, nav at {nav_top}"
        # Every state is in one line that scrolls sideways.
        assert len(layout["chipTops"]) == 1, f"state chips on {len(layout['chipTops'])} lines"
        screenshot(page, f"details-tasks-{tag}{'' if size is PHONE_SIZE else '-360'}")
    page.set_viewport_size(PHONE_SIZE)

    # A state off to the side is one tap away (the row scrolls it into view), and the count says
    # what the list is narrowed to.
    phone.testid("task-filter-state-accepted").click()
    expect(phone.testid("task-filter-state-accepted")).to_have_attribute("aria-pressed", "true")
    expect(phone.testid("task-filter-state-accepted")).to_be_in_viewport()
    expect(phone.testid("task-count")).to_contain_text(ui(locale, "state.accepted"))
    assert "state=accepted" in page.url

    # Sections and other people wait behind a toggle that counts the ones in use.
    panel = page.locator("#task-filters-panel")
    expect(panel).to_be_hidden()
    phone.testid("task-filters-more").click()
    expect(phone.testid("task-filters-more")).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()
    phone.testid("task-filter-state-all").click()
    section = panel.get_by_test_id("task-filter-section").locator("button").nth(1)
    code = section.inner_text()
    section.click()
    expect(phone.testid("task-filters-more")).to_contain_text("(1)")
    expect(phone.testid("task-count")).to_contain_text(code)
    screenshot(page, f"details-tasks-more-{tag}")

    # Regression: with a "More" filter in use the toggle ("More (1)") wrapped onto a third line of
    # chips at 360 px in English. Assignee chips and the toggle stay one line at both widths.
    phone.testid("task-filters-more").click()
    expect(panel).to_be_hidden()
    for size in (NARROW, PHONE_SIZE):
        page.set_viewport_size(size)
        tops = page.evaluate("""() => [...new Set([...document.querySelectorAll('.filter-bar .filter-chip')]
            .map((chip) => Math.round(chip.getBoundingClientRect().top)))]""")
        assert len(tops) == 1, f"assignee chips and the toggle on {len(tops)} lines at {size['width']}px"
        screenshot(page, f"details-tasks-more-in-use-{tag}{'' if size is PHONE_SIZE else '-360'}")
    phone.assert_no_errors()


# ---- 4. Photos are headed once on a record's page ---------------------------------------------

@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_records_photos_have_one_heading(phones, server_api, locale, screenshot):
    task_id = server_api("admin1").create_task("A02 人行道破损修补")
    phone = phones("foreman1")
    phone.login("foreman1")
    phone.open_record("task", task_id)
    phone.testid("record-photo").set_input_files(jpeg())
    expect(phone.testid("record-photo-list").get_by_test_id("photo-thumb")).to_have_count(1)
    photos = ui(locale, "field.photos")
    expect(phone.page.get_by_role("heading", name=photos, exact=True)).to_have_count(1)
    expect(phone.testid("record-detail").locator("dt", has_text=photos)).to_have_count(0)
    expect(phone.testid("record-field-photos")).to_have_count(0)
    scroll_into_view(phone.testid("record-photo-list"))
    screenshot(phone.page, f"details-record-photos-{'zh' if locale == 'zh-CN' else 'en'}")
    phone.assert_no_errors()


# ---- 5. "More" says when everything is synced ---------------------------------------------------

@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_more_says_everything_is_synced_and_offers_export_only_when_something_waits(phones, locale, screenshot):
    phone = phones("foreman2")
    phone.login("foreman2")
    phone.testid("nav-more").click()
    status = phone.testid("transfer-status")
    expect(status).to_have_text(ui(locale, "transfer.synced"))
    expect(phone.testid("export-unsynced")).to_be_hidden()
    expect(phone.testid("import-unsynced")).to_be_attached()  # a new phone imports with nothing of its own
    tag = "zh" if locale == "zh-CN" else "en"
    scroll_into_view(status)
    screenshot(phone.page, f"details-more-synced-{tag}")

    phone.go_offline()
    phone.create_task("C02 路缘石安装")
    phone.testid("nav-more").click()
    gap = "" if locale == "zh-CN" else " "  # no space after a Chinese full stop
    expect(status).to_have_text(f"{ui(locale, 'transfer.pendingChanges', count=1)}{gap}{ui(locale, 'transfer.advice')}")
    expect(phone.testid("export-unsynced")).to_be_visible()
    scroll_into_view(status)
    screenshot(phone.page, f"details-more-pending-{tag}")

    # Synced while the screen is open: it says so at once.
    phone.go_online()
    expect(status).to_have_text(ui(locale, "transfer.synced"))
    expect(phone.testid("export-unsynced")).to_be_hidden()
    phone.assert_no_errors()


# ---- 6. Dates read in the UI's language ---------------------------------------------------------

def test_the_page_language_and_dates_follow_the_ui_language(phones):
    phone = phones("foreman1")
    phone.login("foreman1")
    page = phone.page
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    phone.goto("/tasks/new")
    date_text = phone.testid("task-due-date-text")
    expect(date_text).to_be_hidden()
    phone.testid("task-due-date").fill("2026-03-05")
    expect(date_text).to_have_text("2026年3月5日星期四")
    expect(phone.testid("task-due-date")).to_have_attribute("aria-describedby", re.compile(r"\btask-due-date-text\b"))

    phone.testid("nav-more").click()
    phone.testid("language-switch").select_option("en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    phone.goto("/tasks/new")  # a reload: the choice is remembered on the phone
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    phone.testid("task-due-date").fill("2026-03-05")
    expect(date_text).to_have_text("Thursday, March 5, 2026")
    phone.assert_no_errors()


# ---- 7. Overdue tasks say so, in red and in words --------------------------------------------

@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_overdue_tasks_are_marked_in_words_on_home_and_in_the_list(phones, server_api, locale, screenshot):
    admin = server_api("admin1")
    today = dt.date.today()
    foreman = {"assignee_id": server_api("foreman1").user["id"]}  # his home lists his own tasks
    late = admin.create_task(f"B01 沟槽回填 {locale}", due_date=(today - dt.timedelta(days=3)).isoformat(), **foreman)
    due_today = admin.create_task(f"B01 管道试压 {locale}", due_date=today.isoformat(), **foreman)
    finished = admin.create_task(f"B01 管道铺设 {locale}", due_date=(today - dt.timedelta(days=5)).isoformat(), **foreman)
    admin.put("task", finished, status="doing")
    admin.put("task", finished, status="done")
    phone = phones("foreman1")
    phone.login("foreman1")

    # Home lists a late task twice (my day's overdue and today's tasks): the checks read today's.
    area = [phone.testid("home-today-tasks")]

    def item(task_id):
        return area[0].locator(f'[data-testid="record-item"][data-id="{task_id}"]')

    def expect_marked(task_id):
        chip = item(task_id).get_by_test_id("task-overdue")
        expect(chip).to_have_text(ui(locale, "tasks.overdueDays", count=3))
        expect(item(task_id)).to_have_class(re.compile(r"\bis-overdue\b"))
        red, green, blue = map(int, re.findall(r"\d+", chip.evaluate("c => getComputedStyle(c).backgroundColor"))[:3])
        assert red > 120 and red > 2 * green and red > 2 * blue, f"overdue chip is not red: {red, green, blue}"

    tag = "zh" if locale == "zh-CN" else "en"
    today_tasks = phone.testid("home-today-tasks")
    expect(today_tasks.locator(f'[data-id="{late}"]')).to_be_visible()
    expect_marked(late)
    expect(item(due_today).get_by_test_id("task-overdue")).to_have_count(0)
    expect(item(due_today)).not_to_have_class(re.compile(r"\bis-overdue\b"))
    # In one step in the page: home may redraw (a sync arriving) between finding and scrolling.
    phone.page.evaluate("id => document.querySelector(`[data-testid=record-item][data-id='${id}']`).scrollIntoView({block: 'center'})", late)
    screenshot(phone.page, f"details-home-overdue-{tag}")

    phone.testid("nav-tasks").click()
    area[0] = phone.page.locator("body")
    expect(item(finished)).to_be_attached()
    expect_marked(late)
    expect(item(due_today).get_by_test_id("task-overdue")).to_have_count(0)
    expect(item(finished).get_by_test_id("task-overdue")).to_have_count(0)  # done: not overdue
    phone.assert_no_errors()


# ---- 8. Exports carry the photos, with progress; older exports still import --------------------

def test_an_export_shows_its_progress_while_it_packs_the_photos(phones, tmp_path):
    phone = phones("foreman2")
    phone.login("foreman2")
    phone.go_offline()
    phone.goto("/tasks/new")
    phone.testid("task-title").fill("A01 围挡照片三张")
    for colour in ((200, 40, 40), (40, 200, 40), (40, 40, 200)):
        phone.testid("task-photo").set_input_files(jpeg(colour, size=(640, 480)))
    shas = phone.testid("task-photo-list").get_by_test_id("photo-thumb")
    expect(shas).to_have_count(3)
    phone.testid("task-save").click()
    expect(phone.page).to_have_url(re.compile(r"/r/task/"))
    phone.expect_pending(1)

    phone.goto("/more")
    expect(phone.testid("transfer-status")).to_have_attribute("data-photos", "3")
    # Every state of the progress line, as the page draws it.
    phone.page.evaluate("""() => {
      const line = document.querySelector('[data-testid=export-progress]');
      const bar = line.querySelector('progress');
      window.progressSeen = [];
      new MutationObserver(() => window.progressSeen.push({hidden: line.hidden, value: bar.value, max: bar.max, text: line.textContent}))
        .observe(line, {attributes: true, childList: true, subtree: true, characterData: true});
    }""")
    with phone.page.expect_download() as download:
        phone.testid("export-unsynced").click()
    path = tmp_path / "export.json"
    download.value.save_as(path)
    document = json.loads(path.read_text())
    assert document["version"] == 2
    assert len(document["blobs"]) == 3
    total = sum(len(base64.b64decode(b["base64"])) for b in document["blobs"])
    seen = phone.page.evaluate("window.progressSeen")
    shown = [s for s in seen if not s["hidden"]]
    assert shown, f"the progress line never showed: {seen}"
    assert shown[-1]["value"] == shown[-1]["max"] == total
    assert any(0 < s["value"] < total for s in shown), f"no step between start and end: {shown}"
    expect(phone.testid("export-progress")).to_be_hidden()
    phone.assert_no_errors()


def export_file(path: Path, api, version: int, fields: dict, task_id: str,
                blobs: list | None = None) -> Path:
    """An export of foreman1's unsynced changes as a phone writes it: one task put, and
    from version 2 the photos not yet uploaded."""
    content = {
        "format": "gridline-unsynced-changes", "version": version, "client_id": str(uuid.uuid4()),
        "user_id": api.user["id"], "username": "foreman1", "exported_at": "2026-01-05T08:00:00Z",
        "mutations": [{"mid": 1, "op": "put", "type": "task", "id": task_id, "hlc": api.hlc(),
                       "fields": fields}]}
    if blobs is not None:
        content["blobs"] = blobs
    path.write_text(json.dumps(content))
    return path


def test_an_older_export_without_photos_or_with_a_damaged_one_still_imports(phones, server_api, tmp_path):
    api = server_api("foreman1")
    phone = phones("foreman1")
    phone.login("foreman1")
    phone.goto("/more")
    result = phone.testid("import-result")

    # Version 1 of the file: changes only, no `blobs`.
    old_task = str(uuid.uuid4())
    old_file = export_file(tmp_path / "v1.json", api, 1, {
        "project_id": api.project_id, "title": "C01 旧版导出的任务"}, old_task)
    since = phone.now()
    phone.testid("import-unsynced").set_input_files(old_file)
    expect(result).to_have_attribute("data-imported", "1")
    expect(result).to_have_attribute("data-photos", "0")
    phone.wait_synced(since)
    assert api.record("task", old_task)["data"]["title"] == "C01 旧版导出的任务"

    # A photo whose bytes no longer match its name is left out and counted; the rest goes through.
    good = jpeg((90, 90, 90))["buffer"]
    good_sha = hashlib.sha256(good).hexdigest()
    damaged = jpeg((10, 200, 10))["buffer"]
    damaged_sha = hashlib.sha256(damaged).hexdigest()
    task_id = str(uuid.uuid4())
    new_file = export_file(tmp_path / "v2.json", api, 2, {
        "project_id": api.project_id, "title": "C01 带照片的导出",
        "photos": {"add": [good_sha, damaged_sha]}}, task_id, blobs=[
        {"sha256": good_sha, "content_type": "image/jpeg", "size": len(good),
         "base64": base64.b64encode(good).decode()},
        {"sha256": damaged_sha, "content_type": "image/jpeg", "size": len(damaged),
         "base64": base64.b64encode(damaged[:-40]).decode()}])
    since = phone.now()
    phone.testid("import-unsynced").set_input_files(new_file)
    expect(result).to_have_attribute("data-imported", "1")
    expect(result).to_have_attribute("data-photos", "1")
    expect(result).to_have_attribute("data-damaged", "1")
    expect(result).to_contain_text(ui("zh-CN", "transfer.damagedPhotos", count=1))
    phone.wait_synced(since)
    expect(phone.testid("transfer-status")).to_have_attribute("data-photos", "0")
    assert api.request("HEAD", f"/api/blobs/{good_sha}")[0] == 200
    assert api.request("HEAD", f"/api/blobs/{damaged_sha}")[0] == 404
    assert sorted(api.record("task", task_id)["data"]["photos"]) == sorted([good_sha, damaged_sha])
    phone.assert_no_errors()
