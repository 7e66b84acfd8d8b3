"""Nothing typed is lost: every form keeps a draft on the phone as it is typed (IndexedDB), gives
it back after a reload offline, a return from another tab, a logout and login, an expired login
and an app update, lists it on the home screen, and forgets it when saved or discarded.
"""
from __future__ import annotations

import io
import re
import time
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import SCHEMA_1_STORES


PASSWORD = "demo-pass-1"
DRAFT_WRITE_SECONDS = 3  # the form writes its draft ~0.6 s after the last change; slack for a busy machine


def _jpeg() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(out, "JPEG", quality=90)
    return {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _drafts(phone) -> list[dict]:
    """Every draft on the phone ([] where the app has no drafts store at all)."""
    return phone.page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open('gridline');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('drafts')) { db.close(); resolve([]); return; }
          const request = db.transaction('drafts').objectStore('drafts').getAll();
          request.onsuccess = () => { db.close(); resolve(request.result); };
          request.onerror = () => reject(request.error);
        };
    })""")


def _wait_for_draft(phone, route: str, contains: str) -> dict:
    """The draft of `route` once it holds `contains` (written by the debounce, not by leaving)."""
    deadline = time.monotonic() + DRAFT_WRITE_SECONDS
    while time.monotonic() < deadline:
        for draft in _drafts(phone):
            if draft["route"] == route and contains in repr(draft["state"]):
                return draft
        time.sleep(0.1)
    raise AssertionError(f"no draft of {route} holding {contains!r}: {_drafts(phone)}")


def _radio(page, name: str, value: str):
    return page.locator(f'input[name="{name}"][value="{value}"]')


# Each form: its route, what is typed into it, and how to see that the typing is back.
def _type_task(page):
    page.get_by_test_id("task-title").fill("D-17 排水沟清淤 草稿样本")
    page.get_by_test_id("task-description").fill("先清东侧 20 m")
    page.get_by_test_id("task-priority").select_option("high")
    page.get_by_test_id("task-photo").set_input_files(_jpeg())
    expect(page.get_by_test_id("task-photo-list").get_by_test_id("photo-thumb")).to_have_count(1)
    return "D-17"


def _task_is_back(page):
    expect(page.get_by_test_id("task-title")).to_have_value("D-17 排水沟清淤 草稿样本")
    expect(page.get_by_test_id("task-description")).to_have_value("先清东侧 20 m")
    expect(page.get_by_test_id("task-priority")).to_have_value("high")
    expect(page.get_by_test_id("task-photo-list").get_by_test_id("photo-thumb")).to_have_count(1)


def _type_feedback(page):
    page.get_by_test_id("feedback-category-dust").click()
    page.get_by_test_id("feedback-description").fill("工地扬尘 草稿样本，3 号楼住户")
    page.get_by_test_id("feedback-resident-phone").fill("13812345678")
    return "扬尘 草稿样本"


def _feedback_is_back(page):
    expect(_radio(page, "category", "dust")).to_be_checked()
    expect(page.get_by_test_id("feedback-description")).to_have_value("工地扬尘 草稿样本，3 号楼住户")
    expect(page.get_by_test_id("feedback-resident-phone")).to_have_value("13812345678")


def _type_check(page):
    page.get_by_test_id("check-template-excavation").click()
    page.get_by_test_id("check-item-EX02-fail").click()
    page.get_by_test_id("check-item-EX02-note").fill("槽边堆土 草稿样本")
    page.get_by_test_id("check-item-EX04-more").click()
    page.get_by_test_id("check-item-EX04-note").fill("管线已插旗 草稿样本")
    page.get_by_test_id("item-risk-EX02-2-3").click()  # the check's grade follows its worst item
    return "槽边堆土 草稿样本"


def _check_is_back(page):
    expect(page.get_by_test_id("check-template-chosen")).to_have_attribute("data-code", "excavation")
    expect(_radio(page, "result-EX02", "fail")).to_be_checked()
    expect(page.get_by_test_id("check-item-EX02-note")).to_have_value("槽边堆土 草稿样本")
    expect(page.get_by_test_id("action-EX02")).to_be_visible()
    expect(page.get_by_test_id("check-item-EX04-note")).to_have_value("管线已插旗 草稿样本")
    expect(page.get_by_test_id("item-risk-EX02-2-3")).to_be_checked()
    expect(page.get_by_test_id("risk-cell-2-3")).to_be_checked()
    expect(page.get_by_test_id("risk-grade")).to_have_attribute("data-score", "6")


def _type_section(page):
    page.get_by_test_id("section-code").fill("DR9")
    page.get_by_test_id("section-name").fill("草稿网格 草稿样本")
    return "草稿网格 草稿样本"


def _section_is_back(page):
    expect(page.get_by_test_id("section-code")).to_have_value("DR9")
    expect(page.get_by_test_id("section-name")).to_have_value("草稿网格 草稿样本")


def _type_checklist(page):
    page.get_by_test_id("checklist-code").fill("scaffold-draft")
    page.get_by_test_id("checklist-name").fill("脚手架 草稿样本")
    page.get_by_test_id("checklist-items").fill("立杆垫板\n剪刀撑")
    return "剪刀撑"


def _checklist_is_back(page):
    expect(page.get_by_test_id("checklist-code")).to_have_value("scaffold-draft")
    expect(page.get_by_test_id("checklist-name")).to_have_value("脚手架 草稿样本")
    expect(page.get_by_test_id("checklist-items")).to_have_value("立杆垫板\n剪刀撑")


def _type_briefing(page):
    # Typed but not yet left: the briefing queues a field only when it is left.
    page.get_by_test_id("briefing-key-tasks").fill("1. 吊装 草稿样本\n2. 管沟回填")
    return "吊装 草稿样本"


def _briefing_is_back(page):
    expect(page.get_by_test_id("briefing-key-tasks")).to_have_value("1. 吊装 草稿样本\n2. 管沟回填")


def _type_crew(page):
    # The add form waits folded above the roster: opened, then typed into.
    page.get_by_test_id("crew-add-toggle").click()
    page.get_by_test_id("crew-name").fill("新工人 草稿样本")
    page.get_by_test_id("crew-trade").fill("架子工")
    return "新工人 草稿样本"


def _crew_is_back(page):
    expect(page.get_by_test_id("crew-name")).to_have_value("新工人 草稿样本")
    expect(page.get_by_test_id("crew-trade")).to_have_value("架子工")


FORMS = {
    "/tasks/new": (_type_task, _task_is_back, "task-title"),
    "/feedback/new": (_type_feedback, _feedback_is_back, "feedback-description"),
    "/checks/new": (_type_check, _check_is_back, "check-form"),
    "/sections/new": (_type_section, _section_is_back, "section-name"),
    "/checklists/new": (_type_checklist, _checklist_is_back, "checklist-name"),
    "/today": (_type_briefing, _briefing_is_back, "briefing-key-tasks"),
    "/crew": (_type_crew, _crew_is_back, "crew-add"),
}


def _expect_fits_a_thumb(phone, name: str, screenshot) -> None:
    """At 390 and 360 px: no sideways scroll, the discard button and draft links ≥ 44 px tall; a screenshot of each."""
    page = phone.page
    for width, height in ((390, 844), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
        boxes = page.evaluate("""() => [...document.querySelectorAll(
            '[data-testid=draft-discard], [data-testid=home-draft]')].map((el) => el.getBoundingClientRect().toJSON())""")
        assert boxes, f"{name}: nothing to tap"
        for box in boxes:
            assert box["height"] >= 44 and box["width"] >= 44, f"{name} at {width} px: a {box} tap target"
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 390, "height": 844})


def _open_form(phone, route: str) -> None:
    phone.goto(route)
    expect(phone.testid(FORMS[route][2])).to_be_visible()


def _expect_restored(phone, route: str) -> None:
    expect(phone.testid(FORMS[route][2])).to_be_visible()
    banner = phone.testid("draft-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(phone.text("draft.restored"))
    expect(phone.testid("draft-discard")).to_have_text(phone.text("draft.discard"))
    FORMS[route][1](phone.page)


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_form_gives_its_typing_back_after_an_offline_reload_a_return_and_a_new_login(phones, locale, screenshot):
    phone = phones("admin")  # admins may use every form; the locale fixture sets the language
    phone.login("admin1")

    for route, (type_into, _, _) in FORMS.items():
        _open_form(phone, route)
        marker = type_into(phone.page)
        _wait_for_draft(phone, route, marker)

    # A reload with no network: each form comes back as typed, and says so.
    phone.go_offline()
    for route in FORMS:
        phone.goto(route)
        _expect_restored(phone, route)
        if route == "/tasks/new":
            _expect_fits_a_thumb(phone, f"draft-restored-task-{locale}", screenshot)

    # Home lists every unfinished draft, each a link back to its form.
    phone.testid("nav-home").click()
    drafts = phone.testid("home-drafts")
    expect(drafts).to_contain_text(phone.text("draft.listTitle"))
    expect(drafts.get_by_test_id("home-draft")).to_have_count(len(FORMS))
    # Scrolled so the list's heading shows below the status bar.
    phone.page.evaluate("window.scrollTo(0, document.querySelector('[data-testid=home-drafts]').offsetTop - 160)")
    _expect_fits_a_thumb(phone, f"draft-home-list-{locale}", screenshot)
    drafts.locator('[data-route="/feedback/new"]').click()
    expect(phone.page).to_have_url(re.compile(r"/feedback/new$"))
    _expect_restored(phone, "/feedback/new")

    # Leaving a half-filled form for another tab keeps it; Back shows it again.
    phone.testid("feedback-description").fill("工地扬尘 草稿样本，3 号楼住户，又补一句")
    phone.testid("nav-tasks").click()
    expect(phone.page).to_have_url(re.compile(r"/tasks$"))
    phone.page.go_back()
    expect(phone.testid("feedback-description")).to_have_value("工地扬尘 草稿样本，3 号楼住户，又补一句")
    expect(phone.testid("draft-banner")).to_be_visible()

    # Logging out and in again (same user) keeps every draft.
    phone.go_online()
    phone.goto("/more")
    phone.testid("logout").click()
    phone.testid("logout").click()
    expect(phone.page).to_have_url(re.compile(r"/login"))
    phone.login("admin1")
    for route in FORMS:
        if route != "/feedback/new":
            phone.goto(route)
            _expect_restored(phone, route)

    # Discard (a second tap confirms): the form starts afresh and the draft is gone everywhere.
    for route in FORMS:
        phone.goto(route)
        expect(phone.testid("draft-banner")).to_be_visible()
        phone.testid("draft-discard").click()
        expect(phone.testid("draft-discard")).to_have_text(phone.text("draft.discardConfirm"))
        phone.testid("draft-discard").click()
        expect(phone.testid("draft-banner")).to_have_count(0)
    expect(phone.testid("task-title")).to_have_count(0)  # the last one was the briefing
    phone.goto("/tasks/new")
    expect(phone.testid("task-title")).to_have_value("")
    expect(phone.testid("task-photo-list").get_by_test_id("photo-thumb")).to_have_count(0)
    assert _drafts(phone) == []
    phone.goto("/")
    expect(phone.testid("home-drafts")).to_have_count(0)
    phone.assert_no_errors()


def test_a_draft_belongs_to_the_user_who_typed_it_and_outlives_an_update_and_another_users_login(phones):
    # The phone ran the app before drafts existed (database version 1): the update keeps its data.
    phone = phones("shared phone")
    phone.goto("/manifest.webmanifest")  # the app's origin, without the app running
    phone.page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open('gridline', 1);
        open.onupgradeneeded = () => {
          const db = open.result;""" + SCHEMA_1_STORES + """
          open.transaction.objectStore('meta').put('0b8e1f0a-8a3b-4c55-9d7e-000000000001', 'client_id');
        };
        open.onsuccess = () => { open.result.close(); resolve(); };
        open.onerror = () => reject(open.error);
    })""")
    phone.login("foreman1")
    assert phone.idb("meta", "client_id") == "0b8e1f0a-8a3b-4c55-9d7e-000000000001"
    _open_form(phone, "/tasks/new")
    phone.testid("task-title").fill("foreman1 的草稿 草稿样本")
    _wait_for_draft(phone, "/tasks/new", "foreman1")

    # foreman2 logs in on the same phone (nothing is queued, so the device is reset for him).
    phone.goto("/more")
    phone.testid("logout").click()
    phone.testid("logout").click()
    expect(phone.page).to_have_url(re.compile(r"/login"))
    phone.login("foreman2")
    expect(phone.testid("home-drafts")).to_have_count(0)
    phone.goto("/tasks/new")
    expect(phone.testid("task-title")).to_have_value("")
    expect(phone.testid("draft-banner")).to_have_count(0)

    # foreman1 comes back: his draft is still his.
    phone.goto("/more")
    phone.testid("logout").click()
    phone.testid("logout").click()
    expect(phone.page).to_have_url(re.compile(r"/login"))
    phone.login("foreman1")
    expect(phone.testid("home-drafts").get_by_test_id("home-draft")).to_have_count(1)
    phone.goto("/tasks/new")
    expect(phone.testid("draft-banner")).to_be_visible()
    expect(phone.testid("task-title")).to_have_value("foreman1 的草稿 草稿样本")
    phone.assert_no_errors()


def test_a_draft_survives_an_expired_login_and_goes_once_saved(phones, server_api):
    phone = phones("foreman1")
    phone.login("foreman1")
    _open_form(phone, "/tasks/new")
    phone.testid("task-title").fill("登录过期前 草稿样本")
    _wait_for_draft(phone, "/tasks/new", "登录过期前")

    # The session ends on the server; the next sync is refused while the form holds typing, so
    # the app offers a login instead of leaving; logging in leaves the form and comes back to it.
    server_api("foreman1").revoke(phone.idb("meta", "token"))
    phone.allow_401 = True
    phone.testid("sync-now").click()
    expect(phone.testid("login-required-banner")).to_be_visible()
    phone.testid("login-required-login").click()
    expect(phone.page).to_have_url(re.compile(r"/login\?next="))
    phone.testid("login-password").fill(PASSWORD)
    phone.testid("login-submit").click()
    expect(phone.page).to_have_url(re.compile(r"/tasks/new$"))
    expect(phone.testid("draft-banner")).to_be_visible()
    expect(phone.testid("task-title")).to_have_value("登录过期前 草稿样本")

    # Saved, the draft is gone.
    phone.testid("task-title").fill("B03 模板支设 草稿样本")
    _wait_for_draft(phone, "/tasks/new", "B03")
    phone.testid("task-save").click()
    expect(phone.page).to_have_url(re.compile(r"/r/task/[0-9a-f-]{36}$"))
    task_id = phone.page.url.rsplit("/", 1)[1]
    assert _drafts(phone) == []

    # An edit is a draft of its own (keyed by the record), and Save removes it too.
    phone.goto(f"/r/task/{task_id}/edit")
    phone.testid("task-description").fill("木模板 草稿样本")
    route = f"/r/task/{task_id}/edit"
    _wait_for_draft(phone, route, "木模板")
    phone.goto(route)
    expect(phone.testid("draft-banner")).to_be_visible()
    expect(phone.testid("task-description")).to_have_value("木模板 草稿样本")
    expect(phone.testid("task-title")).to_have_value("B03 模板支设 草稿样本")
    phone.testid("task-save").click()
    expect(phone.page).to_have_url(re.compile(rf"/r/task/{task_id}$"))
    assert _drafts(phone) == []
    phone.goto("/tasks/new")
    expect(phone.testid("task-title")).to_have_value("")
    expect(phone.testid("draft-banner")).to_have_count(0)
    phone.assert_no_errors()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_half_typed_reason_and_an_action_done_note_come_back_after_an_offline_reload(phones, server_api, locale):
    admin = server_api("admin1")
    task_id = admin.create_task(f"{locale} 退回原因 草稿样本", progress=100)
    for state in ("doing", "done"):
        admin.put("task", task_id, status=state)
    check_id, action_id = str(uuid.uuid4()), str(uuid.uuid4())
    admin.put("safety_check", check_id, project_id=admin.project_id, template="excavation",
              date="2020-01-05", results={"EX02": "fail"})
    admin.put("action", action_id, project_id=admin.project_id, check_id=check_id, item="EX02",
              description=f"{locale} 槽边堆土 草稿样本")
    phone = phones("admin")
    phone.login("admin1")

    # Sending the task back: the reason is typed, then the phone reloads with no network.
    phone.open_record("task", task_id)
    phone.testid("status-to-doing").click()
    phone.testid("status-reason").fill("压实度不足 草稿样本，重新碾压")
    _wait_for_draft(phone, f"/r/task/{task_id}#decision", "压实度不足")
    # Marking the action done: a note and an "after" photo, then the same.
    phone.open_record("action", action_id)
    phone.testid("status-to-done").click()
    phone.testid("action-done-note").fill("堆土已运走 草稿样本")
    phone.page.locator("#action-done-photo").set_input_files(_jpeg())
    _wait_for_draft(phone, f"/r/action/{action_id}#decision", "'shas': ['")

    phone.go_offline()
    phone.open_record("task", task_id)
    expect(phone.testid("status-confirm-panel")).to_be_visible()
    expect(phone.testid("status-reason")).to_have_value("压实度不足 草稿样本，重新碾压")
    phone.open_record("action", action_id)
    expect(phone.testid("action-done-panel")).to_be_visible()
    expect(phone.testid("action-done-note")).to_have_value("堆土已运走 草稿样本")
    expect(phone.testid("action-done-panel").get_by_test_id("photo-thumb")).to_have_count(1)

    # Home lists both among the unfinished drafts, each a link back to its record.
    phone.testid("nav-home").click()
    drafts = phone.testid("home-drafts")
    expect(drafts.locator(f'[data-route="/r/task/{task_id}#decision"]')).to_contain_text(phone.text("record.reasonDraft"))
    expect(drafts.locator(f'[data-route="/r/action/{action_id}#decision"]')).to_contain_text(phone.text("actions.doneDraft"))
    drafts.locator(f'[data-route="/r/task/{task_id}#decision"]').click()
    expect(phone.testid("status-reason")).to_have_value("压实度不足 草稿样本，重新碾压")

    # Sending it queues the move and forgets the draft; cancelling the other forgets it too.
    phone.testid("status-confirm").click()
    expect(phone.testid("status-confirm-panel")).to_have_count(0)
    phone.open_record("action", action_id)
    phone.testid("action-done-cancel").click()
    expect(phone.testid("action-done-panel")).to_have_count(0)
    deadline = time.monotonic() + DRAFT_WRITE_SECONDS
    while _drafts(phone) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _drafts(phone) == []
    phone.go_online()
    assert admin.record("task", task_id)["data"]["status"] == "doing"
    phone.assert_no_errors()


def test_a_redraw_while_a_reason_is_typed_hands_the_focus_and_caret_to_the_new_box(phones, server_api):
    """A sync redrawing the screen mid-typing: the next keystroke lands in the new box, not nowhere."""
    admin = server_api("admin1")
    task_id = admin.create_task("重绘 焦点 样本", progress=100)
    for state in ("doing", "done"):
        admin.put("task", task_id, status=state)
    phone = phones("admin")
    phone.login("admin1")
    phone.open_record("task", task_id)
    phone.testid("status-to-doing").click()
    box = phone.testid("status-reason")
    box.fill("压实度不足")
    box.press("Home")
    # The screen redraws on a change heard from another tab; the observer sees the new box the
    # moment it is put in place, before any later task (a keystroke) could run.
    seen = phone.page.evaluate("""() => new Promise((resolve) => {
        const old = document.getElementById('status-reason');
        const observer = new MutationObserver(() => {
          const now = document.getElementById('status-reason');
          if (!now || now === old) return;
          observer.disconnect();
          resolve({ focused: document.activeElement === now, start: now.selectionStart, value: now.value });
        });
        observer.observe(document.body, { childList: true, subtree: true });
        new BroadcastChannel('gridline-changes').postMessage('records');
    })""")
    assert seen == {"focused": True, "start": 0, "value": "压实度不足"}
    phone.page.keyboard.type("压实度")
    expect(phone.testid("status-reason")).to_have_value("压实度压实度不足")
    phone.assert_no_errors()


def _setting_for_the_inner_forms(server_api, locale: str) -> dict:
    """A work step waiting for its self-inspection, a document, an approval waiting for admin1's
    decision and a change of admin1's the server refused: what the forms opened from a record need."""
    admin, foreman = server_api("admin1"), server_api("foreman2")
    changes = admin.get(f"/api/sync/pull?client_id={uuid.uuid4()}&limit=1000")["changes"]
    section_id = next(c["id"] for c in changes if c["type"] == "section" and c["data"]["code"] == "B01")
    step_id, document_id, approval_id = (str(uuid.uuid4()) for _ in range(3))
    admin.put("work_step", step_id, project_id=admin.project_id, section_id=section_id, step=f"回填 {locale}", crew="路面班")
    admin.put("work_step", step_id, status="in_progress")  # started: its self-inspection is awaited
    admin.put("document", document_id, project_id=admin.project_id, kind="drawing",
              title=f"检查井大样图 草稿样本 {locale}", number=f"道施-{uuid.uuid4().hex[:4]}")
    task_id = foreman.create_task(f"{locale} 待验收 草稿样本")
    foreman.put("approval", approval_id, project_id=foreman.project_id, subject_type="task",
                subject_id=task_id, kind="acceptance", note=f"{locale} 请验收")
    refused_id = admin.create_task(f"{locale} 被退回的修改")
    [result] = admin.push({"op": "put", "type": "task", "id": refused_id,
                           "fields": {"status": "accepted", "title": f"{locale} 被退回的修改"}})
    assert result["status"] == "rejected", result
    return {"section": section_id, "step": step_id, "document": document_id, "approval": approval_id, "refused": refused_id}


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_forms_opened_on_a_record_give_their_typing_back_after_an_offline_reload(phones, server_api, locale, screenshot):
    """A new work step, an inspection, a drawing's new version, a rejection's reason and a refused
    change being corrected: each is typed, the phone reloads with no network at the same address,
    and the form is open again with the typing and the draft banner; home links back to each."""
    ids = _setting_for_the_inner_forms(server_api, locale)
    phone = phones("admin")
    phone.login("admin1")
    page = phone.page

    typed = {}  # address after typing -> (what shows it is back)
    phone.goto(f"/work-steps/new?section={ids['section']}")
    phone.testid("work-step-step").fill("沟槽开挖 草稿样本")
    phone.testid("work-step-notes").fill("东侧放坡 1:0.75")
    _wait_for_draft(phone, f"/work-steps/new?section={ids['section']}", "东侧放坡")
    typed[page.url] = lambda: (expect(phone.testid("work-step-step")).to_have_value("沟槽开挖 草稿样本"),
                               expect(phone.testid("work-step-notes")).to_have_value("东侧放坡 1:0.75"))

    phone.goto(f"/r/work_step/{ids['step']}/inspect?level=self")
    phone.testid("inspection-notes").fill("压实度 93%，低于 95% 草稿样本")
    phone.testid("inspection-result-fail").check()
    _wait_for_draft(phone, f"/r/work_step/{ids['step']}/inspect?level=self", "低于 95%")
    typed[page.url] = lambda: (expect(phone.testid("inspection-notes")).to_have_value("压实度 93%，低于 95% 草稿样本"),
                               expect(phone.testid("inspection-result-fail")).to_be_checked())

    phone.goto(f"/r/document/{ids['document']}")
    phone.testid("version-upload").locator("summary").click()
    phone.testid("version-revision").fill("B")
    phone.testid("version-note").fill("W13 东移 2 m 草稿样本")
    _wait_for_draft(phone, f"/r/document/{ids['document']}", "东移")
    typed[page.url] = lambda: (expect(phone.testid("version-note")).to_have_value("W13 东移 2 m 草稿样本"),
                               expect(phone.testid("version-revision")).to_have_value("B"))

    phone.goto("/approvals")
    page.locator(f'[data-testid="approval-card"][data-id="{ids["approval"]}"]').get_by_test_id("approval-reject").click()
    phone.testid("reject-reason").fill("井底高程不符 草稿样本")
    _wait_for_draft(phone, f"/approvals?reject={ids['approval']}", "井底高程")
    expect(page).to_have_url(re.compile(rf"/approvals\?reject={ids['approval']}$"))
    typed[page.url] = lambda: expect(phone.testid("reject-reason")).to_have_value("井底高程不符 草稿样本")

    phone.goto("/attention")
    if locale == "zh-CN":  # the tab of refused changes says what to do with them, not 待处理
        expect(phone.testid("nav-attention")).to_contain_text("需修正")
    item = phone.testid("attention-item").filter(has_text=f"{locale} 被退回的修改")
    item.get_by_test_id("attention-edit").click()
    phone.testid("resend-field-status").select_option("doing")
    phone.testid("resend-field-title").fill(f"{locale} 被退回的修改 草稿样本")
    expect(page).to_have_url(re.compile(r"/attention\?edit="))
    attention = page.url
    route = attention.split(page.url.split("/attention")[0], 1)[1]
    _wait_for_draft(phone, route, "被退回的修改 草稿样本")
    typed[attention] = lambda: (expect(phone.testid("resend-field-title")).to_have_value(f"{locale} 被退回的修改 草稿样本"),
                                expect(phone.testid("resend-field-status")).to_have_value("doing"))

    # A reload at each address with no network: the form is open again, as typed, and says so.
    phone.go_offline()
    for address, is_back in typed.items():
        page.goto(address)
        expect(phone.testid("draft-banner")).to_be_visible()
        is_back()
    screenshot(page, f"draft-restored-attention-{locale}")

    # Home lists the five, each a link back to its open form.
    phone.testid("nav-home").click()
    drafts = phone.testid("home-drafts").get_by_test_id("home-draft")
    expect(drafts).to_have_count(len(typed))
    phone.testid("home-drafts").locator(f'[data-route="{route}"]').click()
    expect(phone.testid("attention-editor")).to_be_visible()
    typed[attention]()

    # Resent, the correction's draft is gone and the server has it.
    phone.go_online()
    since = phone.now()
    phone.testid("attention-resend").click()
    phone.wait_synced(since)
    assert [d["route"] for d in _drafts(phone) if d["route"].startswith("/attention")] == []
    held = server_api("admin1").record("task", ids["refused"])["data"]
    assert (held["status"], held["title"]) == ("doing", f"{locale} 被退回的修改 草稿样本")
    phone.assert_no_errors()


def _supervisor_on_an_approval(phones, server_api, title: str):
    """The supervisor's phone on an acceptance asked for a new task, once the page's own sync
    and its history are in (each redraws it); the phone, the task's id and the link to it."""
    foreman = server_api("foreman2")
    task_id = foreman.create_task(title)
    approval_id = str(uuid.uuid4())
    foreman.put("approval", approval_id, project_id=foreman.project_id, subject_type="task",
                subject_id=task_id, kind="acceptance", note="请验收")
    phone = phones("supervisor1")
    phone.login("supervisor1")
    since = phone.now()
    phone.open_record("approval", approval_id)
    phone.wait_synced(since)
    expect(phone.testid("record-history")).to_be_visible()
    link = phone.page.locator(f'[data-testid=record-link][href="/r/task/{task_id}"]')
    expect(link).to_be_visible()
    return phone, task_id, link


def _box(locator) -> dict:
    """Where `locator` is: measured again if a redraw replaced it between finding and measuring."""
    for _ in range(20):
        box = locator.bounding_box()
        if box:
            return box
    raise AssertionError("the element never stayed long enough to be measured")


def test_a_redraw_while_a_finger_is_down_waits_so_the_tap_still_opens_the_link(phones, server_api):
    """A sync redrawing the page between the press and the release of a tap: the link pressed
    is still the one released on, so the tap opens it."""
    phone, task_id, link = _supervisor_on_an_approval(phones, server_api, "按下时重绘 样本")
    box = _box(link)
    phone.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    phone.page.mouse.down()
    # The screen is asked to redraw (a change heard from another tab) while the finger is down.
    phone.page.evaluate("new BroadcastChannel('gridline-changes').postMessage('records')")
    phone.page.wait_for_timeout(400)
    phone.page.mouse.up()
    expect(phone.page).to_have_url(re.compile(rf"/r/task/{task_id}$"))
    phone.assert_no_errors()


# Another connection holds every store of the device's database until `window.holdStores` is
# false: a redraw asked for meanwhile starts and waits for its reads.
HOLD_STORES = """() => new Promise((resolve) => {
    const opening = indexedDB.open('gridline');
    opening.onsuccess = () => {
      const db = opening.result;
      const tx = db.transaction([...db.objectStoreNames], 'readwrite');
      window.holdStores = true;
      const spin = () => { if (window.holdStores) tx.objectStore('meta').get('held').onsuccess = spin; };
      spin();
      resolve();
    };
  })"""


def test_a_redraw_already_under_way_when_the_finger_comes_down_waits_to_show_so_the_tap_opens_the_link(phones, server_api):
    """A redraw that started before the press (a sync's, reading the device's records) and ends
    while the finger is down: what it built waits for the release, so the pressed link is still
    there and the tap opens it."""
    phone, task_id, link = _supervisor_on_an_approval(phones, server_api, "重绘途中按下 样本")
    # Another connection holds the device's stores, so the redraw asked for next starts and
    # waits for its reads until the finger is down.
    phone.page.evaluate(HOLD_STORES)
    phone.page.evaluate("""() => { window.drawn = 0;
        new MutationObserver(() => { window.drawn += 1; }).observe(document.querySelector('main'), { childList: true, subtree: true });
        new BroadcastChannel('gridline-changes').postMessage('records'); }""")
    phone.page.wait_for_timeout(300)
    box = _box(link)
    phone.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    phone.page.mouse.down()
    phone.page.evaluate("window.holdStores = false")
    phone.page.wait_for_timeout(400)
    assert phone.page.evaluate("window.drawn") == 0, "the redraw showed its content under the finger"
    phone.page.mouse.up()
    expect(phone.page).to_have_url(re.compile(rf"/r/task/{task_id}$"))
    phone.assert_no_errors()


# The start of a page script for the tests of taps during redraws: a Screen, Probe, that shows
# "<render number>: <state>"; each of its first `waiting` renders (a const the script declares)
# waits after building until `reads[i]()` lets it go on; and `tap(element)`, a finger's press.
PROBE = """
      const { Screen } = await import('/js/ui/screen.js');
      const { h } = await import('/js/ui/dom.js');
      let state = 'before the tap';
      const reads = [];
      const renders = [];
      const tap = (element) => {
        element.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
        element.dispatchEvent(new PointerEvent('pointerup', { bubbles: true }));
      };
      class Probe extends Screen {
        async render() {
          renders.push(state);
          const built = h('p', {}, `${renders.length}: ${state}`);
          if (renders.length <= waiting) await new Promise((resolve) => { reads[renders.length - 1] = resolve; });
          this.show(built);
        }
      }
"""


def test_a_redraw_that_began_before_a_tap_shows_nothing_it_built_and_draws_again_after_it(phones):
    """A sync's redraw builds the screen from its state, waits for a read, and shows what it built.
    A tap in between (one that opened a question, say) changed that state: what was built before
    is not shown, and the screen is drawn again from the state the tap left."""
    phone = phones("foreman1")
    phone.login("foreman1")
    got = phone.page.evaluate("async () => {" + PROBE + """
      const waiting = 1;
      const probe = new Probe({});
      document.body.append(probe.element);
      const redrawn = probe.redraw();
      tap(probe.element);
      state = 'after the tap';
      reads[0]();
      await redrawn;
      const shownOnceRead = probe.element.textContent;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      probe.destroy();
      probe.element.remove();
      return { shownOnceRead, shown: probe.element.textContent, renders };
    }""")
    assert got == {"shownOnceRead": "", "shown": "2: after the tap", "renders": ["before the tap", "after the tap"]}
    phone.assert_no_errors()


def test_of_two_redraws_under_way_the_one_ending_after_a_tap_shows_nothing_though_the_other_ended_first(phones):
    """Two redraws run at once (a sync's and a record's first render, say). The later one ends
    first and shows; a tap then changes the screen's state; the earlier one, built before the tap,
    ends last. What it built is not shown, and the screen is drawn again from the state the tap
    left. The first redraw to end once turned the check off for the other."""
    phone = phones("foreman1")
    phone.login("foreman1")
    got = phone.page.evaluate("async () => {" + PROBE + """
      const waiting = 2;
      const probe = new Probe({});
      document.body.append(probe.element);
      const first = probe.redraw();
      const second = probe.redraw();
      reads[1]();
      await second;
      const shownBeforeTap = probe.element.textContent;
      tap(probe.element);
      state = 'after the tap';
      reads[0]();
      await first;
      const shownOnceFirstEnded = probe.element.textContent;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      probe.destroy();
      probe.element.remove();
      return { shownBeforeTap, shownOnceFirstEnded, shown: probe.element.textContent };
    }""")
    assert got == {"shownBeforeTap": "2: before the tap", "shownOnceFirstEnded": "2: before the tap",
                   "shown": "3: after the tap"}
    phone.assert_no_errors()


def test_a_screens_first_render_begun_before_a_tap_shows_nothing_it_built_and_draws_again_after_it(phones):
    """The router's first render of a screen waits on reads like any redraw (a record opened just
    after login). A tap meanwhile changed the screen's state: what the first render built is not
    shown, and the screen is drawn again from the state the tap left. The router once rendered
    a new screen outside the redraw that checks this."""
    phone = phones("foreman1")
    phone.login("foreman1")
    got = phone.page.evaluate("async () => {" + PROBE + """
      const waiting = 1;
      const { Router } = await import('/js/ui/router.js');
      const outlet = document.createElement('div');
      document.body.append(outlet);
      const app = { loginRedirect: () => null, onRouteChange: () => {} };
      const router = new Router(app, [
        { name: 'probe', path: location.pathname, screen: Probe },
        { name: 'not-found', path: '/not-found', screen: Screen },
      ], outlet);
      const shown = router.show();
      await new Promise((resolve) => setTimeout(resolve, 0));
      const { screen } = router.current;
      tap(screen.element);
      state = 'after the tap';
      reads[0]();
      await shown;
      const shownOnceRead = screen.element.textContent;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      screen.destroy();
      outlet.remove();
      return { shownOnceRead, shown: screen.element.textContent };
    }""")
    assert got == {"shownOnceRead": "", "shown": "2: after the tap"}
    phone.assert_no_errors()


def test_a_redraw_while_a_complaints_answer_is_typed_keeps_the_focus_in_the_same_box(phones, server_api):
    """The answer box is kept across redraws (the same element put back, not a twin): taken out
    and put back, a box loses the focus, so the phone's keyboard closed and the next keystroke
    went nowhere. It keeps the focus and the caret."""
    liaison = server_api("liaison1")
    feedback_id = str(uuid.uuid4())
    liaison.put("feedback", feedback_id, project_id=liaison.project_id, category="dust",
                description="重绘 焦点 答复样本", channel="phone")
    for state in ("acknowledged", "in_progress"):
        liaison.put("feedback", feedback_id, status=state)
    phone = phones("liaison1")
    phone.login("liaison1")
    phone.goto(f"/r/feedback/{feedback_id}")
    box = phone.testid("feedback-answer")
    box.fill("已洒水")
    box.press("Home")
    seen = phone.page.evaluate("""() => new Promise((resolve) => {
        const box = document.getElementById('feedback-answer');
        const heading = document.querySelector('[data-testid="feedback-page"]');
        const observer = new MutationObserver(() => {
          const now = document.querySelector('[data-testid="feedback-page"]');
          if (!now || now === heading) return;
          observer.disconnect();
          resolve({ same: document.getElementById('feedback-answer') === box, focused: document.activeElement === box, start: box.selectionStart });
        });
        observer.observe(document.body, { childList: true, subtree: true });
        new BroadcastChannel('gridline-changes').postMessage('records');
    })""")
    assert seen == {"same": True, "focused": True, "start": 0}
    phone.page.keyboard.type("每日")
    expect(box).to_have_value("每日已洒水")
    _wait_for_draft(phone, f"/r/feedback/{feedback_id}", "每日已洒水")
    phone.assert_no_errors()
