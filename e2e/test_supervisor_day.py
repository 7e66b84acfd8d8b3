"""The supervisor's day on phones: the inbox of approvals (offline decisions, undo, batch),
escalations, my day and what the author of the work sees of a decision."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import scroll_into_view
from layout_audit import Tour, assert_no_problems, dismiss_storage_warning
from server.approvals.table import approval_id as derived_approval_id

CASES = json.loads((Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "my_day_cases.json")
                   .read_text(encoding="utf-8"))
UNDO_SECONDS = 8  # status_actions.js UNDO_MS: a decision is held back this long


def _jpeg(colour=(150, 90, 40)) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, "JPEG", quality=90)
    return {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _upload(api, photo: dict) -> str:
    """Puts a photo's bytes on the server as `api`'s user; its sha256 name."""
    sha = hashlib.sha256(photo["buffer"]).hexdigest()
    request = urllib.request.Request(f"{api.base_url}/api/blobs/{sha}", data=photo["buffer"], method="PUT",
                                     headers={"Content-Type": "image/jpeg", "Authorization": f"Bearer {api.token}"})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status in (200, 201)
    return sha


def _task_waiting_for_acceptance(server_api, title: str, foreman: str = "foreman2") -> tuple[str, str]:
    """A task the foreman marked done, and the approval the server opened for it: (task id,
    approval id)."""
    api = server_api(foreman)
    task_id = api.create_task(title, assignee_id=api.user["id"], progress=100)
    api.put("task", task_id, status="doing")
    api.put("task", task_id, status="done")
    approval_id = derived_approval_id("task", task_id, "task_acceptance", 1)
    assert api.record("approval", approval_id)["data"]["status"] == "pending"
    return task_id, approval_id


def _card(phone, approval_id: str):
    return phone.page.locator(f'[data-testid="approval-card"][data-id="{approval_id}"]')


def test_the_phone_puts_the_shared_cases_in_the_same_buckets_as_the_server(phones):
    """pwa/js/sync/my_day.js, imported in the page, gives every user of the shared cases the
    ids the server's rules give (tests/server/test_my_day.py checks the same file)."""
    phone = phones("foreman1")
    phone.login("foreman1")  # the permission table the rules ask comes with the login
    got = phone.page.evaluate("""async (cases) => {
        const { myDay } = await import('/js/sync/my_day.js');
        const records = {};
        for (const r of cases.records) {
          (records[r.type] ??= []).push({ type: r.type, id: r.id, createdBy: r.created_by, updatedAt: r.updated_at, serverSeq: 1, fields: r.fields });
        }
        return cases.cases.map((c) => Object.fromEntries(Object.entries(myDay({
          records, user: { id: c.user }, roles: c.roles, today: cases.today, now: cases.now, dayEnd: cases.day_end,
        })).map(([name, entries]) => [name, entries.map((entry) => entry.id)])));
    }""", CASES)
    assert got == [case["expected"] for case in CASES["cases"]]
    phone.assert_no_errors()


def test_a_change_to_one_task_works_out_the_tasks_part_of_the_day_again_and_no_other(phones):
    """The day the phone keeps (approval_subjects.heldDay) is the day of my_day.js for every shared
    case, and it reads again only the records that could have moved it: none for a redraw with
    nothing new; only the tasks (and the few sections) when one task changed; only the
    complaints and what reads them when a response deadline passed."""
    phone = phones("foreman1")
    phone.login("foreman1")
    now = dt.datetime.fromisoformat(CASES["now"].replace("Z", "+00:00"))
    day_end = dt.datetime.fromisoformat(CASES["day_end"].replace("Z", "+00:00"))
    later = min(at for at in (dt.datetime.fromisoformat(r["fields"]["response_due"].replace("Z", "+00:00"))
                              for r in CASES["records"] if r["type"] == "feedback" and r["fields"].get("response_due"))
                if now < at < day_end)
    got = phone.page.evaluate("""async ([cases, laterMs]) => {
        const { myDay } = await import('/js/sync/my_day.js');
        const { heldDay } = await import('/js/ui/approvals/approval_subjects.js');
        const reads = {};
        // Each list counts the reads of its items and length, as a scan of it makes them.
        const counted = (type, views) => new Proxy(Object.freeze(views), { get(target, key, receiver) {
          if (key === 'length' || key === Symbol.iterator) reads[type] = (reads[type] ?? 0) + 1;
          return Reflect.get(target, key, receiver);
        } });
        const base = {};
        for (const r of cases.records) {
          (base[r.type] ??= []).push({ type: r.type, id: r.id, createdBy: r.created_by, updatedAt: r.updated_at, serverSeq: 1, fields: r.fields });
        }
        const ids = (day) => Object.fromEntries(Object.entries(day).map(([name, entries]) => [name, entries.map((entry) => entry.id)]));
        const now = Date.parse(cases.now);
        const dayOfCase = (c, records, at) => {
          for (const key of Object.keys(reads)) delete reads[key];
          const held = ids(heldDay(records, { id: c.user }, c.roles, cases.today, at, cases.day_end));
          const heldReads = { ...reads };
          const fresh = ids(myDay({ records, user: { id: c.user }, roles: c.roles, today: cases.today,
            now: new Date(at).toISOString(), dayEnd: cases.day_end }));
          return { held, fresh, reads: heldReads };
        };
        return cases.cases.map((c) => {
          const records = Object.fromEntries(Object.entries(base).map(([type, views]) => [type, counted(type, views)]));
          const first = dayOfCase(c, records, now);
          const same = dayOfCase(c, records, now);
          // One task is done now: a new list of tasks, the other lists as they were.
          const tasks = base.task.map((view, i) => (i === 0 ? { ...view, fields: { ...view.fields, status: 'done' } } : view));
          const changed = { ...records, task: counted('task', tasks) };
          const oneTask = dayOfCase(c, changed, now);
          const deadline = dayOfCase(c, changed, laterMs + 1000);
          return { first, same, oneTask, deadline };
        });
    }""", [CASES, later.timestamp() * 1000])
    for case, day in zip(CASES["cases"], got):
        assert day["first"]["held"] == case["expected"], case["user"]
        assert day["same"]["held"] == case["expected"] and day["same"]["reads"] == {}, case["user"]
        assert day["oneTask"]["held"] == day["oneTask"]["fresh"], case["user"]
        # The tasks, and the sections that say which are mine; not the complaints, actions, approvals.
        assert set(day["oneTask"]["reads"]) - {"section"} == {"task"}, (case["user"], day["oneTask"]["reads"])
        assert day["deadline"]["held"] == day["deadline"]["fresh"], case["user"]
        assert "feedback" in day["deadline"]["reads"] and "task" not in day["deadline"]["reads"], (case["user"], day["deadline"]["reads"])
    # The deadline that passed moved a complaint: the cases cover a day the clock changes.
    assert any(day["deadline"]["held"] != day["oneTask"]["held"] for day in got)
    phone.assert_no_errors()


def test_a_supervisor_offline_sends_work_back_with_a_reason_and_a_photo_and_the_foreman_sees_it(
        phones, server_api, screenshot):
    """Offline, the supervisor rejects with a quick reason, a typed one and a photo; both phones
    sync; the foreman's home shows it sent back by 陈明, with the reason, the photo and the way to fix it."""
    task_id, approval_id = _task_waiting_for_acceptance(server_api, "雨水管 W16–W18 开槽")
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    dismiss_storage_warning(supervisor.page)
    supervisor.go_offline()
    supervisor.page.goto("/approvals")
    card = _card(supervisor, approval_id)
    expect(card.get_by_test_id("approval-subject")).to_have_text("雨水管 W16–W18 开槽")
    expect(card.get_by_test_id("approval-asker")).to_contain_text("李志强")
    expect(card.get_by_test_id("fact-progress")).to_contain_text("100")
    expect(supervisor.testid("nav-approvals-count")).to_be_visible()

    card.get_by_test_id("approval-reject").click()
    form = supervisor.testid("reject-form")
    form.get_by_test_id("reject-confirm").click()  # no reason yet: it asks for one
    expect(form.get_by_test_id("reject-reason-missing")).to_be_visible()
    form.get_by_test_id("reject-quick-rework").click()
    expect(form.get_by_test_id("reject-reason")).to_have_value("质量不合格，需返工")
    form.get_by_test_id("reject-reason").press("End")
    form.get_by_test_id("reject-reason").type("；沟槽底部仍有积水")
    form.get_by_test_id("reject-photo").set_input_files(_jpeg())
    expect(form.get_by_test_id("reject-photo-list").locator("li")).to_have_count(1, timeout=20_000)
    screenshot(supervisor.page, "approvals-reject-zh-CN")
    form.get_by_test_id("reject-confirm").click()
    expect(supervisor.testid("reject-form")).to_have_count(0)
    expect(card).to_have_count(0)
    supervisor.expect_pending(1)

    # Back online: the decision goes out once its undo window has passed.
    supervisor.page.wait_for_timeout(UNDO_SECONDS * 1000)
    supervisor.go_online()
    decided = server_api("foreman2").record("approval", approval_id)["data"]
    assert decided["status"] == "rejected"
    assert decided["decision_comment"] == "质量不合格，需返工；沟槽底部仍有积水"
    assert len(decided["photos"]) == 1

    foreman = phones("foreman2")
    foreman.login("foreman2")
    dismiss_storage_warning(foreman.page)
    item = foreman.page.locator(f'[data-testid="sent-back-item"][data-id="{approval_id}"]')
    expect(item).to_contain_text("陈明 退回")
    expect(item).to_contain_text("照片 1 张")
    expect(item.get_by_test_id("sent-back-reason")).to_have_text("质量不合格，需返工；沟槽底部仍有积水")
    expect(item.get_by_test_id("sent-back-photos").locator("img")).to_have_count(1, timeout=20_000)
    expect(item.get_by_test_id("sent-back-fix")).to_have_attribute("href", f"/r/task/{task_id}")
    scroll_into_view(item)
    screenshot(foreman.page, "my-day-sent-back-zh-CN")
    supervisor.assert_no_errors()
    foreman.assert_no_errors()


def test_approving_is_one_tap_that_can_be_undone_and_several_go_at_once(phones, server_api):
    """Approve hides the card with an undo; undo brings it back and nothing is sent. Two
    picked are approved with one confirmation and reach the server."""
    _, first = _task_waiting_for_acceptance(server_api, "检查井 J3 砌筑")
    _, second = _task_waiting_for_acceptance(server_api, "检查井 J4 砌筑")
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    supervisor.page.goto("/approvals")
    _card(supervisor, first).get_by_test_id("approval-approve").click()
    expect(_card(supervisor, first)).to_have_count(0)
    supervisor.testid("undo").click()
    expect(_card(supervisor, first)).to_have_count(1)
    expect(supervisor.page.locator("#toast")).to_contain_text(supervisor.text("record.undone"))
    supervisor.expect_pending(0)

    for approval_id in (first, second):
        _card(supervisor, approval_id).get_by_test_id("approval-select").check()
    supervisor.testid("batch-approve").click()
    expect(supervisor.testid("batch-panel")).to_contain_text("2")
    since = supervisor.now()
    supervisor.testid("batch-confirm").click()
    expect(_card(supervisor, first)).to_have_count(0)
    expect(_card(supervisor, second)).to_have_count(0)
    supervisor.wait_synced(since, timeout=60_000)
    api = server_api("supervisor1")
    assert [api.record("approval", a)["data"]["status"] for a in (first, second)] == ["approved", "approved"]
    supervisor.assert_no_errors()


def test_a_decision_made_offline_after_another_phone_decided_says_what_won_and_by_whom(phones, server_api):
    """The supervisor sends work back offline while the admin approves it online: the first
    committed wins, and the supervisor's phone says the admin approved it first."""
    _, approval_id = _task_waiting_for_acceptance(server_api, "路灯基础 L7 浇筑")
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    supervisor.go_offline()
    supervisor.page.goto("/approvals")
    _card(supervisor, approval_id).get_by_test_id("approval-reject").click()
    supervisor.testid("reject-reason").fill("基础顶标高偏低 3 cm")
    supervisor.testid("reject-confirm").click()
    supervisor.expect_pending(1)
    server_api("admin1").put("approval", approval_id, status="approved")

    supervisor.page.wait_for_timeout(UNDO_SECONDS * 1000)
    supervisor.go_online()
    supervisor.page.goto("/attention")
    item = supervisor.testid("attention-item")
    expect(item.get_by_test_id("attention-reason")).to_have_attribute("data-code", "invalid_transition")
    expect(item.get_by_test_id("attention-decided-first")).to_have_text("赵磊 已先作出决定：已批准。您的决定未生效。")
    expect(item.get_by_test_id("attention-field-decision_comment")).to_have_text("基础顶标高偏低 3 cm")
    assert server_api("admin1").record("approval", approval_id)["data"]["status"] == "approved"
    supervisor.assert_no_errors()


def test_a_rectification_shows_the_failed_items_photo_beside_the_after_photo(phones, server_api, screenshot):
    """A rectification waiting for verification shows before (the failed item's photo on its
    check) and after (the action's photo) side by side, with the check's risk grade."""
    safety, foreman = server_api("safety1"), server_api("foreman2")
    before = _upload(safety, _jpeg((200, 40, 40)))
    after = _upload(foreman, _jpeg((40, 160, 60)))
    check_id, action_id = str(uuid.uuid4()), str(uuid.uuid4())
    safety.put("safety_check", check_id, project_id=safety.project_id, date="2026-12-03", template="excavation",
               likelihood=4, severity=4, results={"EX02": "fail"}, item_photos={"EX02": [before]})
    safety.put("action", action_id, project_id=safety.project_id, check_id=check_id, item="EX02",
               description="W20 段槽边堆土清运", owner_id=foreman.user["id"], deadline="2026-12-05")
    foreman.put("action", action_id, photos={"add": [after]}, status="done")
    approval_id = derived_approval_id("action", action_id, "rectification", 1)
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    dismiss_storage_warning(supervisor.page)
    supervisor.page.goto("/approvals")
    card = _card(supervisor, approval_id)
    expect(card.get_by_test_id("approval-subject")).to_have_text("W20 段槽边堆土清运")
    expect(card.get_by_test_id("fact-risk")).to_have_attribute("data-level", "significant")
    expect(card.get_by_test_id("evidence-before-side").locator("img")).to_have_count(1, timeout=20_000)
    expect(card.get_by_test_id("evidence-after-side").locator("img")).to_have_count(1, timeout=20_000)
    scroll_into_view(card)
    screenshot(supervisor.page, "approvals-rectification-zh-CN")
    supervisor.assert_no_errors()


def test_a_complaint_past_its_deadline_is_escalated_on_the_supervisors_phone_offline(phones):
    """The demo's complaint 16 hours past its response deadline shows escalated, with how
    long, on the supervisor's inbox and his day, with the phone offline."""
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    supervisor.sync_now()  # the escalation the server recorded at the first sync comes down
    supervisor.go_offline()
    supervisor.page.goto("/approvals")
    escalated = supervisor.page.locator('[data-testid="escalated-item"][data-reason="response_overdue"]')
    expect(escalated.first).to_be_visible()
    late = escalated.filter(has_text="小区北门临时通道")
    expect(late.get_by_test_id("escalated-overdue")).to_contain_text("已超时 16 小时")
    # "54秒前升级", not the long style's "54秒钟前已升级".
    expect(late.get_by_test_id("escalated-at")).to_have_text(re.compile(r"^(刚刚|\d+秒前|\d+分钟前)升级$"))
    supervisor.page.goto("/")
    expect(supervisor.testid("my-day-escalated")).to_be_visible()
    supervisor.assert_no_errors()


def test_a_complaint_whose_deadline_passes_while_the_app_is_open_joins_the_escalated_on_the_next_redraw(phones, server_api):
    """My day is kept between redraws while nothing it reads changed; a response deadline that
    passes in the meantime still moves its complaint to the escalated ones."""
    liaison = server_api("liaison1")
    due = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 180))
    liaison.put("feedback", str(uuid.uuid4()), project_id=liaison.project_id, category="noise", channel="phone",
                description="夜间破碎锤噪音，三分钟后到答复时限", response_due=due)
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    page = supervisor.page
    page.clock.install()
    escalated = supervisor.testid("my-day-escalated")
    expect(escalated).to_be_visible()
    before = int(escalated.get_attribute("data-count"))
    # A redraw for nothing new (to "More" and back) gives the same day.
    for _ in range(2):
        supervisor.testid("nav-more").click()
        expect(page).to_have_url(re.compile(r"/more$"))
        supervisor.testid("nav-home").click()
        expect(escalated).to_have_attribute("data-count", str(before))
    page.clock.fast_forward("04:00")
    supervisor.testid("nav-more").click()
    expect(page).to_have_url(re.compile(r"/more$"))
    supervisor.testid("nav-home").click()
    expect(escalated).to_have_attribute("data-count", str(before + 1))
    supervisor.assert_no_errors()


@pytest.mark.parametrize("locale", ["zh-CN", "en"], indirect=True)
def test_screens_of_the_inbox_a_decision_and_my_day_read_well_at_both_widths(phones, server_api, screenshot, locale):
    """Screenshots at 390 and 360 px of the inbox, the reject form and my day (supervisor and
    foreman) in both languages; the layout audit finds nothing."""
    _task_waiting_for_acceptance(server_api, "人行道透水砖铺装 D01-3")
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    dismiss_storage_warning(supervisor.page)
    tour = Tour(supervisor.page, locale, screenshot, prefix="supervisor-day-", who="supervisor")
    tour.visit("inbox", "/approvals", ready="approval-card", full_page=True)
    supervisor.testid("approval-reject").first.click()
    supervisor.testid("reject-quick-photoUnclear").click()
    tour.visit("reject", ready="reject-form", full_page=True)
    supervisor.testid("reject-cancel").click()
    tour.visit("my-day", "/", ready="my-day", full_page=True)
    foreman = phones("foreman2")
    foreman.login("foreman2")
    dismiss_storage_warning(foreman.page)
    foreman_tour = Tour(foreman.page, locale, screenshot, prefix="supervisor-day-", who="foreman")
    foreman_tour.visit("foreman-my-day", "/", ready="my-day", full_page=True)
    assert_no_problems(tour, foreman_tour)
    supervisor.assert_no_errors()
    foreman.assert_no_errors()


def test_a_sync_that_brings_work_sent_back_shows_one_notification(phones, server_api):
    """With notifications allowed, the foreman's next sync after a rejection shows one
    notification naming it."""
    _, approval_id = _task_waiting_for_acceptance(server_api, "给水管 DN600 试压", foreman="foreman1")
    foreman = phones("foreman1", permissions=["notifications"])
    foreman.login("foreman1")
    foreman.sync_now()  # what is there at the first sync is taken as told
    server_api("supervisor1").put("approval", approval_id, status="rejected", decision_comment="试压记录缺签字")
    foreman.sync_now()
    # Read in the same poll that finds them: the app may close a notification once its news is on screen.
    deadline, shown = time.monotonic() + 20, []
    while not shown and time.monotonic() < deadline:
        shown = foreman.page.evaluate("""() => navigator.serviceWorker.ready
            .then((registration) => registration.getNotifications())
            .then((shown) => shown.map((n) => ({ title: n.title, body: n.body, url: n.data?.url })))""")
        if not shown:
            foreman.page.wait_for_timeout(200)
    assert len(shown) == 1
    assert shown[0]["title"] == foreman.text("notify.title")
    assert "1 项工作被退回" in shown[0]["body"]
    foreman.assert_no_errors()


def _status_chip(phone, type_name: str, record_id: str, state: str) -> None:
    """Opens a record on `phone` and waits until its status chip shows `state`."""
    phone.open_record(type_name, record_id)
    expect(phone.testid("record-status")).to_have_class(re.compile(rf"\bchip-{state}\b"), timeout=20_000)


def _reject_offline(decider, approval_id: str, reason: str) -> None:
    """The decider, offline, sends an approval back with a typed reason and a photo, then syncs."""
    decider.go_offline()
    decider.page.goto("/approvals")
    card = _card(decider, approval_id)
    card.get_by_test_id("approval-reject").click()
    form = decider.testid("reject-form")
    form.get_by_test_id("reject-reason").fill(reason)
    form.get_by_test_id("reject-photo").set_input_files(_jpeg((90, 90, 200)))
    expect(form.get_by_test_id("reject-photo-list").locator("li")).to_have_count(1, timeout=20_000)
    form.get_by_test_id("reject-confirm").click()
    expect(card).to_have_count(0)
    decider.expect_pending(1)
    decider.page.wait_for_timeout(UNDO_SECONDS * 1000)
    decider.go_online()


def _approve_offline(decider, approval_id: str) -> None:
    """The decider, offline, approves in one tap; the approval goes out when the phone syncs."""
    decider.go_offline()
    decider.page.goto("/approvals")
    _card(decider, approval_id).get_by_test_id("approval-approve").click()
    expect(_card(decider, approval_id)).to_have_count(0)
    decider.page.wait_for_timeout(UNDO_SECONDS * 1000)
    decider.expect_pending(1)
    decider.go_online()


def test_a_task_sent_back_offline_is_fixed_done_again_and_accepted_on_both_phones(phones, server_api):
    """The foreman marks a task done offline and syncs; the supervisor, offline, sends it back
    with a reason and a photo; both sync and the foreman sees it back in doing; he marks it
    done again (a second round), the supervisor approves, and both phones show it accepted."""
    api = server_api("foreman2")
    task_id = api.create_task("雨水管 W22–W24 开槽", assignee_id=api.user["id"], progress=100, status="doing")
    foreman, supervisor = phones("foreman2"), phones("supervisor1")
    foreman.login("foreman2")
    supervisor.login("supervisor1")
    dismiss_storage_warning(foreman.page)
    dismiss_storage_warning(supervisor.page)

    foreman.go_offline()
    foreman.open_record("task", task_id)
    foreman.testid("status-to-done").click()
    foreman.expect_pending(1)
    foreman.go_online()
    first = derived_approval_id("task", task_id, "task_acceptance", 1)
    assert api.record("approval", first)["data"]["status"] == "pending"

    supervisor.sync_now()
    _reject_offline(supervisor, first, "沟槽底部仍有积水")
    assert api.record("task", task_id)["data"]["status"] == "doing"

    foreman.sync_now()
    foreman.page.goto("/")
    item = foreman.page.locator(f'[data-testid="sent-back-item"][data-id="{first}"]')
    expect(item.get_by_test_id("sent-back-reason")).to_have_text("沟槽底部仍有积水")
    expect(item.get_by_test_id("sent-back-photos").locator("img")).to_have_count(1, timeout=20_000)
    item.get_by_test_id("sent-back-fix").click()
    expect(foreman.testid("record-status")).to_have_class(re.compile(r"\bchip-doing\b"), timeout=20_000)
    foreman.go_offline()
    foreman.testid("status-to-done").click()
    foreman.expect_pending(1)
    foreman.go_online()
    second = derived_approval_id("task", task_id, "task_acceptance", 2)
    assert api.record("approval", second)["data"]["status"] == "pending"

    supervisor.sync_now()
    _approve_offline(supervisor, second)
    assert api.record("task", task_id)["data"]["status"] == "accepted"
    foreman.sync_now()
    _status_chip(foreman, "task", task_id, "accepted")
    _status_chip(supervisor, "task", task_id, "accepted")
    foreman.assert_no_errors()
    supervisor.assert_no_errors()


def test_a_rectification_sent_back_offline_is_redone_and_verified_by_the_safety_officer(phones, server_api):
    """A failed item's action (its check holds the before photo): the foreman marks it done
    offline with an after photo; the safety officer, offline, sees before beside after and sends
    it back with a reason and a photo; the foreman sees it reopened, redoes it with a new after
    photo, the safety officer verifies it, and both phones show it verified."""
    safety = server_api("safety1")
    before = _upload(safety, _jpeg((200, 40, 40)))
    check_id, action_id = str(uuid.uuid4()), str(uuid.uuid4())
    safety.put("safety_check", check_id, project_id=safety.project_id, date="2026-12-03", template="excavation",
               likelihood=3, severity=3, results={"EX02": "fail"}, item_photos={"EX02": [before]})
    safety.put("action", action_id, project_id=safety.project_id, check_id=check_id, item="EX02",
               description="W26 段槽边堆土清运", owner_id=server_api("foreman2").user["id"], deadline="2026-12-08")
    foreman, officer = phones("foreman2"), phones("safety1")
    foreman.login("foreman2")
    officer.login("safety1")
    dismiss_storage_warning(foreman.page)
    dismiss_storage_warning(officer.page)

    def mark_done(note: str, colour: tuple) -> None:
        foreman.go_offline()
        foreman.open_record("action", action_id)
        foreman.testid("status-to-done").click()
        foreman.testid("action-done-note").fill(note)
        foreman.testid("action-done-photo").set_input_files(_jpeg(colour))
        expect(foreman.testid("action-done-photo-list").locator('[data-testid="photo-thumb"]')).to_have_count(1)
        foreman.testid("action-done-confirm").click()
        expect(foreman.testid("record-status")).to_have_class(re.compile(r"\bchip-done\b"))
        foreman.go_online()

    mark_done("堆土已运走", (40, 160, 60))
    first = derived_approval_id("action", action_id, "rectification", 1)
    assert safety.record("approval", first)["data"]["status"] == "pending"

    officer.sync_now()
    officer.page.goto("/approvals")
    card = _card(officer, first)
    expect(card.get_by_test_id("approval-subject")).to_have_text("W26 段槽边堆土清运")
    expect(card.get_by_test_id("evidence-before-side").locator("img")).to_have_count(1, timeout=20_000)
    expect(card.get_by_test_id("evidence-after-side").locator("img")).to_have_count(1, timeout=20_000)
    _reject_offline(officer, first, "槽边 1 m 内仍有堆土")
    assert safety.record("action", action_id)["data"]["status"] == "open"

    foreman.sync_now()
    foreman.page.goto("/")
    item = foreman.page.locator(f'[data-testid="sent-back-item"][data-id="{first}"]')
    expect(item.get_by_test_id("sent-back-reason")).to_have_text("槽边 1 m 内仍有堆土")
    _status_chip(foreman, "action", action_id, "open")
    mark_done("槽边已清空", (60, 180, 90))
    second = derived_approval_id("action", action_id, "rectification", 2)
    assert safety.record("approval", second)["data"]["status"] == "pending"

    officer.sync_now()
    _approve_offline(officer, second)
    assert safety.record("action", action_id)["data"]["status"] == "verified"
    foreman.sync_now()
    _status_chip(foreman, "action", action_id, "verified")
    _status_chip(officer, "action", action_id, "verified")
    foreman.assert_no_errors()
    officer.assert_no_errors()
