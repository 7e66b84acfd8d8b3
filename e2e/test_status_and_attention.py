"""The status bar, "Needs attention", the briefing's prefill and a complaint's page on a phone, in
Chinese and English, at 390 px and 360 px (the layout audit of layout_audit.py at both widths):

- the status bar counts a photo still waiting for upload as not synced (offline, and when the
  push went through but the photo's upload failed), shows the upload's progress, and clears once
  the photo is on the server; it stays two short lines with a Sync button ≥ 44 px tall; an error
  it retries is one line of its own between them, and many changes and photos waiting are never cut;
- the storage warning is one compact row;
- a refused safety-check change shows its item notes as "item: note" lines and its photos as
  how many, in the card and in the editor, and the corrected change goes out with its photos;
- the morning briefing's prefill carries a failed item's note;
- closing a complaint says what to do first in plain text (the button is off, not faded), and the
  deadline chip stays one line with the date and time beside it.

Screenshots go to e2e/screenshots/status-<screen>-<zh|en>.png (and -360.png).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import uuid
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError, expect

from conftest import scroll_into_view
from layout_audit import NARROW, Tour, assert_no_problems, dismiss_storage_warning

I18N = Path(__file__).resolve().parent.parent / "pwa" / "i18n"
LOCALES = ["zh-CN", "en"]
SHA256 = re.compile(r"[0-9a-f]{64}")
SETTLE_MS = 300  # longer than a screen waits before it redraws for changed records (80 ms, screen.js)


def ui(locale: str, key: str, **params) -> str:
    """The app's string `key` in `locale`, with `{name}` filled and the plural form for `count`."""
    strings = json.loads((I18N / f"{locale}.json").read_text(encoding="utf-8"))
    text = strings.get(key)
    if "count" in params:
        form = "zero" if params["count"] == 0 and f"{key}.zero" in strings else (
            "one" if params["count"] == 1 and locale == "en" else "other")
        text = strings.get(f"{key}.{form}", text)
    assert text is not None, f"{locale} has no string {key}"
    return re.sub(r"\{(\w+)\}", lambda m: str(params.get(m.group(1), m.group(0))), text)


def tag_of(locale: str) -> str:
    return "zh" if locale == "zh-CN" else "en"


def jpeg(colour) -> dict:
    """A small generated JPEG for the camera input (a colour of its own: photos are named by their bytes)."""
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "JPEG", quality=90)
    return {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def ignore_blob_failures(phone, statuses: tuple[str, ...] = ("503 for PUT", "404 for HEAD")) -> None:
    """Forgets the failed photo uploads a test caused on purpose (any other error still fails it)."""
    phone.errors[:] = [e for e in phone.errors
                       if not ("/api/blobs/" in e and any(f"HTTP {status}" in e for status in statuses))]


def row_box(locator) -> dict:
    return locator.evaluate("e => e.getBoundingClientRect().toJSON()")


# ---- 1. The status bar: a waiting photo is not "all synced" -------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
def test_the_status_bar_counts_a_waiting_photo_until_it_is_uploaded(locale, phones, server_api, screenshot):
    task_id = server_api("admin1").create_task(f"A01 围挡立柱加固（{locale}）")
    phone, tour = status_tour(phones, locale, screenshot)
    page, count = phone.page, phone.testid("pending-count")
    phone.open_record("task", task_id)
    expect(count).to_have_text(ui(locale, "status.pending", count=0, n=0))

    # Offline, a photo of the task: one change (the record names the photo) and one photo wait.
    phone.go_offline()
    phone.testid("record-photo").set_input_files(jpeg((30, 140, 200) if locale == "en" else (200, 60, 30)))
    thumb = phone.testid("record-photo-list").get_by_test_id("photo-thumb")
    expect(thumb).to_have_count(1)
    sha = thumb.get_attribute("data-sha")
    expect(count).to_have_attribute("data-count", "1")
    expect(count).to_have_attribute("data-photos", "1")
    expect(count).to_have_text(ui(locale, "status.pendingAndPhotos",
                                  changes=ui(locale, "status.changes", count=1, n=1),
                                  photos=ui(locale, "status.photosShort", count=1, n=1)))
    page.evaluate("window.scrollTo(0, 0)")
    tour.visit("photo-offline")

    # Back online, the server takes the change but its photo upload fails: the change is synced,
    # the photo is not, and the bar says so (not "all synced").
    page.route("**/api/blobs/*", lambda route: route.fulfill(status=503, content_type="application/json",
                                                             body='{"error": {"code": "unavailable"}}')
               if route.request.method == "PUT" else route.fallback())
    phone.go_online(wait=False)
    expect(phone.testid("sync-error")).to_have_attribute("data-code", "server", timeout=20_000)
    expect(phone.testid("status-bar")).to_have_attribute("data-phase", "idle")
    expect(count).to_have_attribute("data-count", "0")
    expect(count).to_have_attribute("data-photos", "1")
    expect(count).to_have_text(ui(locale, "status.photos", count=1, n=1))
    assert phone.outbox() == []
    assert server_api("foreman1").record("task", task_id)["data"]["photos"] == [sha]
    assert server_api("foreman1").request("HEAD", f"/api/blobs/{sha}")[0] == 404
    tour.visit("photo-stuck")
    page.unroute("**/api/blobs/*")

    # "Sync now": the upload shows its progress (held on the way, as on a slow site network) …
    held = []
    page.route("**/api/blobs/*", lambda route: held.append(route) if route.request.method == "PUT" else route.fallback())
    # The retry the app scheduled after the failed upload may start it first (the button is then
    # disabled while it runs); otherwise the tap does.
    sync_now, tapped = phone.testid("sync-now"), False
    for _ in range(250):  # the route handler runs while Playwright waits
        if held:
            break
        if not tapped and sync_now.is_enabled():
            try:
                sync_now.click(timeout=2000)
                tapped = True
            except PlaywrightTimeoutError:
                pass  # a retry started between the look and the tap
        page.wait_for_timeout(20)
    assert held, "the photo was not uploaded again"
    expect(phone.testid("status-bar")).to_have_attribute("data-phase", "uploading")
    progress = phone.testid("sync-progress")
    expect(progress).to_have_attribute("data-uploads", "1")
    expect(progress).to_have_text(ui(locale, "status.uploading", done=1, total=1))
    expect(count).to_have_attribute("data-photos", "1")
    tour.visit("uploading")
    # … and once the photo is on the server, nothing waits any more.
    since = phone.now()
    held[0].fallback()
    page.unroute("**/api/blobs/*")
    phone.wait_synced(since)
    expect(count).to_have_attribute("data-photos", "0")
    expect(count).to_have_text(ui(locale, "status.pending", count=0, n=0))
    expect(thumb.get_by_test_id("photo-pending")).to_have_count(0)
    assert server_api("foreman1").request("HEAD", f"/api/blobs/{sha}")[0] == 200
    ignore_blob_failures(phone)
    phone.assert_no_errors()
    assert_no_problems(tour)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_status_bar_and_the_storage_warning_stay_short_on_a_narrow_phone(locale, phones, screenshot):
    phone = phones("liaison1")
    phone.login("liaison1")
    page = phone.page
    page.set_viewport_size(NARROW)
    page.wait_for_function("""() => navigator.storage.persisted().then((kept) =>
        kept || document.querySelector('[data-testid=storage-warning-dismiss]') !== null)""")
    warning = phone.testid("storage-warning")
    shown = warning.is_visible()
    screenshot(page, f"status-home-{tag_of(locale)}-360")

    # The bar: what waits and "Sync" on one line, the connection and last sync under it.
    bar, button, count = phone.testid("status-bar"), phone.testid("sync-now"), phone.testid("pending-count")
    bar_box, button_box, count_box = row_box(bar), row_box(button), row_box(count)
    assert button_box["height"] >= 44 and button_box["width"] >= 44, button_box
    assert count_box["top"] < button_box["bottom"] and count_box["bottom"] > button_box["top"], "count and Sync on two lines"
    assert bar_box["height"] <= 90, f"status bar {bar_box['height']}px tall"
    last_sync = row_box(phone.testid("last-sync"))
    assert last_sync["top"] >= button_box["bottom"] - 1 and last_sync["bottom"] <= bar_box["bottom"] + 1

    # The warning (when this browser may clear the data): one row, its button beside the text.
    if shown:
        dismiss, text = phone.testid("storage-warning-dismiss"), warning.locator("span")
        dismiss_box, text_box, warning_box = row_box(dismiss), row_box(text), row_box(warning)
        assert dismiss_box["height"] >= 44 and dismiss_box["width"] >= 44, dismiss_box
        assert dismiss_box["left"] >= text_box["right"] - 1, "the button is under the text, not beside it"
        assert warning_box["height"] <= 72, f"storage warning {warning_box['height']}px tall"
        dismiss.click()
        expect(warning).to_be_hidden()
    phone.assert_no_errors()


def test_the_storage_warning_is_in_place_before_the_first_screen_so_nothing_moves_under_a_tap(phones):
    """The warning came in after the screen was drawn and pushed it down by its height: a tap
    aimed at a link landed on what had been above it. It is decided before the first screen."""
    phone = phones("liaison1")
    phone.login("liaison1")
    page = phone.page
    if page.evaluate("() => navigator.storage.persisted()"):
        pytest.skip("this browser keeps the data for good: no warning to place")
    # What the page held the moment the first screen's content arrived.
    page.add_init_script("""(() => {
        new MutationObserver((records, observer) => {
          const main = document.querySelector('main');
          if (!main || !main.querySelector('h1')) return;
          observer.disconnect();
          const warning = document.querySelector('[data-testid=storage-warning]');
          window.firstScreen = { warning: Boolean(warning && !warning.hidden), top: main.getBoundingClientRect().top };
        }).observe(document, { childList: true, subtree: true });
    })()""")
    page.reload()
    expect(phone.testid("storage-warning")).to_be_visible()
    page.wait_for_function("() => window.firstScreen !== undefined")
    first = page.evaluate("window.firstScreen")
    assert first["warning"] is True, first
    assert abs(page.evaluate("document.querySelector('main').getBoundingClientRect().top") - first["top"]) < 1
    phone.assert_no_errors()


# Every label the status bar's progress showed, in order (a cycle can be over within a frame).
PROGRESS_LABELS = """(() => {
  window.progressLabels = [];
  new MutationObserver(() => {
    const label = document.querySelector('[data-testid=sync-progress] .sync-progress-label')?.textContent;
    if (label && label !== window.progressLabels.at(-1)) window.progressLabels.push(label);
  }).observe(document, { childList: true, subtree: true, characterData: true });
})()"""


def test_a_sync_with_nothing_to_send_never_says_it_is_sending_changes(phones, server_api):
    """Every cycle began in the "sending" phase, so one with nothing queued read "正在上传更改…"
    beside "已全部同步". It says it is checking for changes; a change queued is still "sending"."""
    phone = phones("foreman1")
    phone.login("foreman1")
    page = phone.page
    page.add_init_script(PROGRESS_LABELS)
    since = phone.now()
    page.reload()  # the start's cycle, with nothing queued
    phone.wait_synced(since)
    labels = page.evaluate("window.progressLabels")
    assert phone.text("status.checking") in labels, labels
    assert phone.text("status.pushing") not in labels, labels
    expect(phone.testid("pending-count")).to_have_text(phone.text("status.pending.zero"))

    # A change queued: that cycle says it is sending.
    page.evaluate("window.progressLabels = []")
    since = phone.now()
    phone.create_task("状态栏 上传中 文案")
    phone.wait_synced(since)
    assert phone.text("status.pushing") in page.evaluate("window.progressLabels")
    phone.assert_no_errors()


# What the status bar shows of an error and of what waits, measured in one read in the page.
STATUS_LAYOUT = """() => {
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = [...range.getClientRects()].map((box) => box.top).sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top > tops[i - 1] + 8).length;
  };
  const box = (el) => el.getBoundingClientRect().toJSON();
  const error = document.querySelector('[data-testid=sync-error]');
  const pending = document.querySelector('[data-testid=pending-count]');
  const leaves = [...pending.querySelectorAll('span:not(.pending-separator)')].concat(pending.children.length ? [] : [pending]);
  return {
    bar: box(document.querySelector('[data-testid=status-bar]')),
    row: error ? box(error.parentElement) : null,
    error: error ? { ...box(error), lines: lines(error), text: error.textContent } : null,
    lastSync: box(document.querySelector('[data-testid=last-sync]')),
    waiting: leaves.map((el) => ({ text: el.textContent, lines: lines(el), cut: el.scrollWidth > el.clientWidth + 1 })),
    sync: box(document.querySelector('[data-testid=sync-now]')),
  };
}"""

# A way to make each error the bar retries by itself happen on the next pull.
PULL_FAILURES = {
    "server": lambda route: route.fulfill(status=503, content_type="application/json",
                                          body='{"error": {"code": "unavailable", "message": "down"}}'),
    "http": lambda route: route.fulfill(status=409, content_type="application/json",
                                        body='{"error": {"code": "conflict", "message": "no"}}'),
    "network": lambda route: route.abort("connectionreset"),
    "client": lambda route: route.fulfill(status=200, content_type="application/json", body="not json"),
    "forbidden": lambda route: route.fulfill(status=403, content_type="application/json",
                                             body='{"error": {"code": "forbidden", "message": "no"}}'),
}


def status_tour(phones, locale, screenshot):
    """foreman1 logged in on a phone, the storage warning out of the way, and a Tour of it."""
    phone = phones("foreman1")
    phone.login("foreman1")
    dismiss_storage_warning(phone.page)
    return phone, Tour(phone.page, locale, screenshot, prefix="status-", tag=tag_of(locale), who="foreman1")


def fail_a_sync(phone, code: str) -> None:
    """Syncs with the pull failing as PULL_FAILURES[code] says, until the status bar shows it
    (the failure stays in place until the caller unroutes it)."""
    phone.page.route("**/api/sync/pull*", PULL_FAILURES[code])
    phone.testid("sync-now").click()
    expect(phone.testid("sync-error")).to_have_attribute("data-code", code, timeout=20_000)


@pytest.mark.parametrize("locale", LOCALES)
def test_an_error_the_app_retries_is_one_line_of_its_own_in_the_status_bar(locale, phones, screenshot):
    # Regression: at 360 px "Server problem (503). Will retry." wrapped onto two lines beside the last sync.
    phone, tour = status_tour(phones, locale, screenshot)
    page, phone_size = phone.page, phone.page.viewport_size

    # One line above the connection and last sync, at both widths; an error that asks for action
    # (forbidden) may take more lines, the bar's full width.
    # The failure stays routed while the bar is measured: the app retries within a second or two,
    # and a retry that got through would clear the error under the measurement.
    for code in PULL_FAILURES:
        fail_a_sync(phone, code)
        for size in (NARROW, phone_size):
            page.set_viewport_size(size)
            expect(phone.testid("status-bar")).to_have_attribute("data-phase", "idle")
            expect(phone.testid("sync-error")).to_have_attribute("data-code", code)
            layout = page.evaluate(STATUS_LAYOUT)
            error, where = layout["error"], f"{code} error at {size['width']}px"
            assert error["text"] == ui(locale, f"sync.error.{code}", status={"server": 503, "http": 409}.get(code, ""))
            if code != "forbidden":
                assert error["lines"] == 1, f"{where} on {error['lines']} lines: {error['text']}"
                assert layout["bar"]["height"] <= 110, f"status bar {layout['bar']['height']}px tall with the {where}"
            assert abs(error["width"] - layout["row"]["width"]) <= 1, f"{where} shares its line: {layout}"
            assert layout["lastSync"]["top"] >= error["bottom"] - 1, f"the last sync beside the {where}"
        page.set_viewport_size(phone_size)
        if code in ("server", "forbidden"):
            tour.visit(f"error-{code}")
        page.unroute("**/api/sync/pull*")
    # The failures were made on purpose; the next sync clears the error.
    phone.errors[:] = [e for e in phone.errors if "/api/sync/pull" not in e]
    phone.sync_now()
    expect(phone.testid("sync-error")).to_have_count(0)
    phone.assert_no_errors()
    assert_no_problems(tour)


def test_an_error_the_app_retries_gives_way_to_offline_but_one_asking_for_action_stays(phones):
    # Regression: "Server error (503). Will retry." stayed on screen after the phone went offline.
    phone = phones("foreman1")
    phone.login("foreman1")
    page = phone.page
    for code, stays in (("server", False), ("forbidden", True)):
        fail_a_sync(phone, code)
        page.unroute("**/api/sync/pull*")
        phone.go_offline()
        expect(phone.testid("sync-error")).to_have_count(1 if stays else 0)
        phone.go_online()
        expect(phone.testid("sync-error")).to_have_count(0)
    phone.errors[:] = [e for e in phone.errors if "/api/sync/pull" not in e]
    phone.assert_no_errors()


@pytest.mark.parametrize("locale", LOCALES)
def test_many_changes_and_photos_waiting_are_never_cut_in_the_status_bar(locale, phones, screenshot):
    # Regression: at 360 px "128 changes · 12 photos" was cut to "128 changes · 12 ph…".
    phone, tour = status_tour(phones, locale, screenshot)
    page, phone_size = phone.page, phone.page.viewport_size
    phone.go_offline()
    page.evaluate("""async () => {
      const { enqueue } = await import('/js/sync/outbox.js');
      const { savePendingBlob } = await import('/js/db/pending_blobs.js');
      await enqueue(Array.from({ length: 128 }, (_, i) => ({
        op: 'put', type: 'task', id: crypto.randomUUID(), fields: { title: `C${i} 路缘石安装` } })));
      for (let i = 0; i < 12; i += 1) await savePendingBlob(`${i}`.padStart(64, 'f'), new Uint8Array([i]).buffer, 'image/jpeg');
    }""")
    count = phone.testid("pending-count")
    expect(count).to_have_attribute("data-count", "128")
    expect(count).to_have_attribute("data-photos", "12")
    changes, photos = ui(locale, "status.changes", count=128, n=128), ui(locale, "status.photosShort", count=12, n=12)
    expect(count).to_have_text(ui(locale, "status.pendingAndPhotos", changes=changes, photos=photos))

    # Both counts in full beside "Sync", each on one line, and the bar no taller than usual.
    for size in (NARROW, phone_size):
        page.set_viewport_size(size)
        layout = page.evaluate(STATUS_LAYOUT)
        cut = [line["text"] for line in layout["waiting"] if line["cut"] or line["lines"] > 1]
        assert cut == [], f"cut or wrapped at {size['width']}px: {cut}"
        shown = " ".join(line["text"] for line in layout["waiting"])
        assert changes in shown and photos in shown, shown
        assert layout["bar"]["height"] <= 90, f"status bar {layout['bar']['height']}px tall at {size['width']}px"
        assert layout["sync"]["height"] >= 44 and layout["sync"]["width"] >= 44, layout["sync"]
    page.set_viewport_size(phone_size)
    tour.visit("waiting-many")
    phone.assert_no_errors()
    assert_no_problems(tour)


# ---- 2. "Needs attention": item notes as lines, photos as counts --------------------------------

def refused_check_change(api, note: str) -> tuple[str, dict, dict]:
    """A safety check of the user's, then a change to it the server refuses (open → verified at
    once) that carries item notes and photos. Returns (check id, item_notes, item_photos)."""
    check_id = str(uuid.uuid4())
    api.put("safety_check", check_id, project_id=api.project_id, date=dt.date.today().isoformat(),
            template="excavation", results={"EX01": "pass", "EX02": "fail"})
    shas = [hashlib.sha256(f"{check_id}-{i}".encode()).hexdigest() for i in range(3)]
    notes = {"EX02": note, "EX03": "已设挡水坎"}
    photos = {"EX02": shas[:2], "EX03": shas[2:]}
    [result] = api.push({"op": "put", "type": "safety_check", "id": check_id, "fields": {
        "status": "verified", "results": {"EX02": "fail", "EX03": "pass"},
        "item_notes": notes, "item_photos": photos, "photos": {"add": [shas[0]]}}})
    assert result["status"] == "rejected" and result["error"]["code"] == "invalid_transition", result
    return check_id, notes, photos


EX02 = {"zh-CN": "槽边 1 m 内无堆土、无重载车辆", "en": "No spoil or heavy vehicles within 1 m of the edge"}


@pytest.mark.parametrize("locale", LOCALES)
def test_needs_attention_shows_item_notes_as_lines_and_photos_as_counts(locale, phones, server_api, screenshot):
    api = server_api("safety1")
    note = f"W13 东侧槽边堆土约 3 m³（{locale}）"
    check_id, notes, photos = refused_check_change(api, note)
    phone = phones("safety1")
    phone.login("safety1")
    dismiss_storage_warning(phone.page)
    tour = Tour(phone.page, locale, screenshot, prefix="status-", tag=tag_of(locale), who="safety1")
    phone.testid("nav-attention").click()
    item = phone.testid("attention-item").filter(has=phone.page.locator('[data-testid=attention-field-item_notes] li[data-key=EX02]', has_text=note))
    expect(item).to_have_count(1)

    # The card: one line per item, named by its checklist text; photos counted; no JSON, no photo names.
    fields = item.get_by_test_id("attention-fields")
    ex02_note = item.get_by_test_id("attention-field-item_notes").locator("li[data-key=EX02]")
    expect(ex02_note).to_contain_text(f"EX02 {EX02[locale]}")
    expect(ex02_note).to_contain_text(note)
    expect(item.get_by_test_id("attention-field-item_photos").locator("li[data-key=EX02]")).to_contain_text(
        ui(locale, "record.photoCount", count=2))
    expect(item.get_by_test_id("attention-field-item_photos").locator("li[data-key=EX03]")).to_contain_text(
        ui(locale, "record.photoCount", count=1))
    expect(item.get_by_test_id("attention-field-photos")).to_have_text(ui(locale, "record.photosAdded", count=1))
    expect(item.get_by_test_id("attention-field-results").locator("li[data-key=EX03]")).to_contain_text(ui(locale, "result.pass"))
    shown = fields.inner_text()
    assert not SHA256.search(shown) and "{" not in shown and "[" not in shown, shown
    scroll_into_view(fields)
    tour.visit("attention", scroll_to=item.get_by_test_id("attention-field-item_notes"))

    # The editor: a note box per item, photos counted and sent again as they were.
    item.get_by_test_id("attention-edit").click()
    editor = phone.testid("attention-editor")
    expect(editor).to_be_visible()
    expect(phone.testid("resend-field-item_notes-EX02")).to_have_value(note)
    expect(phone.testid("resend-field-results-EX02")).to_have_value("fail")
    photo_text = phone.testid("resend-field-item_photos").inner_text()
    assert ui(locale, "record.photoCount", count=2) in photo_text and not SHA256.search(photo_text), photo_text
    assert not SHA256.search(editor.inner_text())
    tour.visit("attention-edit", scroll_to=phone.testid("resend-field-item_notes-EX02"))

    # Corrected (the next step instead of "verified", the note completed) and resent.
    phone.testid("resend-field-status").select_option("rectifying")
    phone.testid("resend-field-item_notes-EX02").fill(f"{note}，已清运")
    since = phone.now()
    phone.testid("attention-resend").click()
    phone.wait_synced(since)
    check = api.record("safety_check", check_id)["data"]
    assert check["status"] == "rectifying"
    assert check["item_notes"] == {**notes, "EX02": f"{note}，已清运"}
    assert check["item_photos"] == photos
    assert check["results"] == {"EX01": "pass", "EX02": "fail", "EX03": "pass"}
    expect(item).to_have_count(0)
    phone.assert_no_errors()
    assert_no_problems(tour)


# ---- 3. The briefing's prefill carries a failed item's note -------------------------------------

def test_the_briefing_prefill_carries_the_note_of_a_failed_item(phones, server_api):
    # A section of admin1's own (who holds no briefing today), checked yesterday with one item failed.
    admin = server_api("admin1")
    section_id, check_id = str(uuid.uuid4()), str(uuid.uuid4())
    code = f"Z{uuid.uuid4().hex[:4].upper()}"
    admin.put("section", section_id, project_id=admin.project_id, code=code, name="临时堆场",
              owner_id=admin.user["id"])
    note = "东侧堆土距槽边不足 1 m，\n挖掘机停在槽边。"
    admin.put("safety_check", check_id, project_id=admin.project_id, section_id=section_id,
              date=(dt.date.today() - dt.timedelta(days=1)).isoformat(), template="excavation",
              results={"EX01": "pass", "EX02": "fail"}, item_notes={"EX02": note, "EX01": "放坡 1:0.75"})
    phone = phones("admin1")
    phone.login("admin1")
    phone.goto("/today")
    risks = phone.testid("briefing-risk-points")
    expect(risks).to_be_visible()
    expect(phone.testid("briefing-summary-failed")).to_have_attribute("data-count", "1")
    line = f"- [{code}] {ui('zh-CN', 'briefing.failedItemNote', item=EX02['zh-CN'], note='东侧堆土距槽边不足 1 m， 挖掘机停在槽边。')}"
    assert line in risks.input_value().splitlines(), risks.input_value()
    assert "放坡" not in risks.input_value()  # a passed item's note is not a risk
    phone.assert_no_errors()


# ---- 4. Closing a complaint; its deadline in one line -------------------------------------------

def complaint(api, text: str, hours_ago: float, status: str) -> str:
    """A complaint due `hours_ago` hours ago, moved step by step to `status`; returns its id."""
    feedback_id = str(uuid.uuid4())
    due = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=hours_ago)
    api.put("feedback", feedback_id, project_id=api.project_id, category="noise", description=text,
            channel="phone", response_due=due.strftime("%Y-%m-%dT%H:%M:%SZ"))
    steps = ["acknowledged", "in_progress", "resolved"]
    for step in steps[:steps.index(status) + 1] if status in steps else []:
        api.put("feedback", feedback_id, status=step)
    return feedback_id


@pytest.mark.parametrize("locale", LOCALES)
def test_closing_a_complaint_says_what_to_do_first_and_its_deadline_stays_one_line(locale, phones, server_api, screenshot):
    api = server_api("liaison1")
    resolved = complaint(api, f"夜间渣土车鸣笛（{locale}）", hours_ago=5.5, status="resolved")
    overdue = complaint(api, f"围挡占用盲道（{locale}）", hours_ago=5.5, status="in_progress")
    phone = phones("liaison1")
    phone.login("liaison1")
    dismiss_storage_warning(phone.page)
    page = phone.page
    tour = Tour(page, locale, screenshot, prefix="status-", tag=tag_of(locale), who="liaison1")

    def open_settled(path: str) -> None:
        """Opens `path` and waits for the sync the page load starts (it redraws the screen)."""
        since = phone.now()
        phone.goto(path)
        phone.wait_synced(since)
        page.wait_for_timeout(SETTLE_MS)

    def due_chip_is_one_line() -> None:
        """The deadline chip is no taller than the status chip beside it (one line) at both widths."""
        phone_size = page.viewport_size
        for size in (NARROW, phone_size):
            page.set_viewport_size(size)
            expect(phone.testid("feedback-due")).to_be_visible()
            due, status = row_box(phone.testid("feedback-due")), row_box(phone.testid("record-status"))
            assert due["height"] <= status["height"] + 1, f"due chip {due['height']}px tall at {size['width']}px"
        page.set_viewport_size(phone_size)

    # Overdue and not answered: how long overdue in the chip, the deadline itself beside it.
    open_settled(f"/r/feedback/{overdue}")
    chip = phone.testid("feedback-due")
    expect(chip).to_have_attribute("data-overdue", "true")
    expect(chip).to_have_text(re.compile("^" + re.escape(ui(locale, "due.overdue", span="")) + r"\d"))
    expect(phone.testid("feedback-due-at")).to_have_text(re.compile("^" + re.escape(ui(locale, "due.at", when=""))))
    due_chip_is_one_line()
    tour.visit("feedback-overdue", ready="feedback-page")

    # Resolved: the deadline in short (no seconds, no year this year), and closing needs a score.
    open_settled(f"/r/feedback/{resolved}")
    expect(phone.testid("feedback-satisfaction")).to_be_visible()
    expect(phone.testid("feedback-due")).to_have_text(re.compile("^" + re.escape(ui(locale, "due.was", when=""))))
    expect(phone.testid("feedback-due-at")).to_have_count(0)
    due_chip_is_one_line()
    close, needs = phone.testid("status-to-closed"), phone.testid("feedback-close-needs-score")
    expect(needs).to_have_text(ui(locale, "feedback.pickScoreFirst"))
    expect(close).to_be_disabled()
    expect(close).to_have_text(ui(locale, "feedback.close"))
    # Off, not faded: full opacity and the muted ink (≥ 4.5:1), the instruction in the page's ink.
    assert close.evaluate("e => getComputedStyle(e).opacity") == "1"
    assert close.evaluate("e => getComputedStyle(e).color") == "rgb(75, 85, 99)"
    assert needs.evaluate("e => getComputedStyle(e).opacity") == "1"
    tour.visit("feedback-close", scroll_to=close)

    phone.testid("feedback-satisfaction-4").click()
    expect(needs).to_have_count(0)
    expect(close).to_be_enabled()
    expect(close).to_have_text(ui(locale, "feedback.closeWith", score=4))
    since = phone.now()
    close.click()
    expect(phone.testid("feedback-page")).to_have_attribute("data-status", "closed")
    phone.wait_synced(since)
    assert api.record("feedback", resolved)["data"]["status"] == "closed"
    phone.assert_no_errors()
    assert_no_problems(tour)
