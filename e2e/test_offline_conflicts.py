"""Two people, one task, no network: what the protocol promises about their edits, on phones.

- Different fields both survive; the same field goes to the newest clock (highest hlc), and
  the loser finds their value under "Conflicts" and can put it back with "Keep mine".
- A change the server refuses waits under "Needs attention" with what was typed, and can be
  discarded, or corrected and sent again.
- What is settled in those inboxes stays settled, even when a sync was reading them meanwhile.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect


def _on_server(server_api, task_id: str) -> dict:
    return server_api("admin1").record("task", task_id)["data"]


def test_concurrent_offline_edits_merge_by_field_and_the_loser_can_keep_theirs(phones, server_api):
    task_id = server_api("admin1").create_task("A02 夜间疏导标志更换", description="原说明", progress=0)
    foreman = phones("foreman1")
    foreman.login("foreman1")
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    foreman.open_record("task", task_id)
    supervisor.open_record("task", task_id)

    # Both lose the network on site and edit the same task: the title on both phones, and one
    # other field each. The foreman saves first, so the supervisor's title carries the newer clock.
    foreman.go_offline()
    supervisor.go_offline()
    foreman.edit_task(task_id, title="A02 夜间标志更换（张）", description="反光锥加密至 5 m 一个")
    supervisor.edit_task(task_id, title="A02 夜间疏导标志更换（陈）", progress=50)
    [mine], [theirs] = foreman.outbox(), supervisor.outbox()
    assert mine["hlc"] < theirs["hlc"]

    # The newer title arrives first; the older one arrives later and still loses (order-free).
    supervisor.go_online()
    foreman.go_online()
    data = _on_server(server_api, task_id)
    assert data["title"] == "A02 夜间疏导标志更换（陈）"
    assert data["description"] == "反光锥加密至 5 m 一个"
    assert data["progress"] == 50
    history = server_api("admin1").history("task", task_id)
    assert [e["new"] for e in history if e["field"] == "title" and e["lost"]] == ["A02 夜间标志更换（张）"]

    # The foreman's lost title is kept for him, beside the value kept.
    expect(foreman.testid("nav-conflicts-count")).to_be_visible()
    foreman.testid("nav-conflicts").click()
    conflict = foreman.page.locator(f'[data-testid=conflict-item][data-field=title]:has(a[href="/r/task/{task_id}"])')
    expect(conflict).to_have_count(1)
    expect(conflict.get_by_test_id("conflict-yours")).to_have_text("A02 夜间标志更换（张）")
    expect(conflict.get_by_test_id("conflict-kept")).to_have_text("A02 夜间疏导标志更换（陈）")
    expect(conflict).to_contain_text("陈明")  # who the kept value came from
    on_server = [c for c in server_api("foreman1").conflicts() if c["record_id"] == task_id]
    assert [(c["field"], c["yours"], c["kept"]) for c in on_server] == [
        ("title", "A02 夜间标志更换（张）", "A02 夜间疏导标志更换（陈）")]

    # "Keep mine" sends the value again with a new clock: it wins now, and the conflict is gone.
    since = foreman.now()
    conflict.get_by_test_id("keep-mine").click()
    expect(conflict).to_have_count(0)
    foreman.wait_synced(since)
    assert _on_server(server_api, task_id)["title"] == "A02 夜间标志更换（张）"
    assert [c for c in server_api("foreman1").conflicts() if c["record_id"] == task_id] == []

    # The supervisor's phone converges on the same task.
    supervisor.sync_now()
    supervisor.open_record("task", task_id)
    expect(supervisor.page.get_by_role("heading", level=1)).to_have_text("A02 夜间标志更换（张）")
    expect(supervisor.testid("record-field-description")).to_have_text("反光锥加密至 5 m 一个")
    expect(supervisor.testid("record-field-progress")).to_contain_text("50")
    foreman.assert_no_errors()
    supervisor.assert_no_errors()


def test_a_status_move_overtaken_by_acceptance_waits_under_needs_attention_and_can_be_discarded(
        phones, server_api):
    admin = server_api("admin1")
    task_id = admin.create_task("B01 阀门井砌筑")
    admin.put("task", task_id, status="doing")
    admin.put("task", task_id, status="done")
    foreman = phones("foreman1")
    foreman.login("foreman1")
    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")

    # Offline, the foreman reopens the finished task for rework …
    foreman.go_offline()
    foreman.move_status(task_id, "doing")
    # … while the supervisor, online, accepts it as it is.
    since = supervisor.now()
    supervisor.move_status(task_id, "accepted")
    supervisor.wait_synced(since)
    assert _on_server(server_api, task_id)["status"] == "accepted"

    # The reopening reaches a task that can no longer go back: refused, with its data kept.
    foreman.go_online()
    expect(foreman.testid("record-status")).to_have_text(foreman.text("state.accepted"))
    expect(foreman.testid("nav-attention-count")).to_be_visible()
    foreman.testid("nav-attention").click()
    item = foreman.testid("attention-item").filter(has_text="B01 阀门井砌筑")
    expect(item).to_have_count(1)
    expect(item.get_by_test_id("attention-reason")).to_have_attribute("data-code", "invalid_transition")
    expect(item.get_by_test_id("attention-reason")).to_have_text(foreman.text("rejection.invalid_transition"))
    expect(item.get_by_test_id("attention-fields")).to_contain_text(foreman.text("state.doing"))
    [refused] = [r for r in server_api("foreman1").rejected() if r["record_id"] == task_id]
    assert refused["error"]["code"] == "invalid_transition"
    # The move carries the day work started too (the phone stamps it on a task that has none).
    assert refused["payload"]["fields"]["status"] == "doing"
    assert set(refused["payload"]["fields"]) <= {"status", "actual_start"}

    # Discarding takes two taps (gloves slip) and also clears it on the server.
    item.get_by_test_id("attention-discard").click()
    expect(item).to_have_count(1)
    deleted = lambda r: r.request.method == "DELETE" and "/api/sync/rejected/" in r.url  # noqa: E731
    with foreman.page.expect_response(deleted) as dismissed:
        item.get_by_test_id("attention-discard").click()
    assert dismissed.value.status == 204
    expect(item).to_have_count(0)
    assert [r for r in server_api("foreman1").rejected() if r["record_id"] == task_id] == []
    assert _on_server(server_api, task_id)["status"] == "accepted"
    foreman.assert_no_errors()
    supervisor.assert_no_errors()


def test_a_change_the_server_refuses_can_be_corrected_and_resent(phones, server_api):
    task_id = server_api("admin1").create_task("C01 水稳层养护", description="洒水养护 7 天")
    foreman = phones("foreman1")
    foreman.login("foreman1")

    # A site log pasted into the description: longer than the server keeps (4000 characters).
    too_long = "K0+350–K0+500 水稳层养护记录：洒水两次，覆盖土工布。" * 150
    assert len(too_long) > 4000
    foreman.go_offline()
    # The form caps typing at the server's limit (maxlength), so the text is set as a script would
    # (as an app from before the cap queued it): the server's refusal is what is tested here.
    foreman.goto(f"/r/task/{task_id}/edit")
    foreman.testid("task-description").evaluate("(area, text) => { area.value = text; }", too_long)
    foreman.testid("task-save").click()
    expect(foreman.page).to_have_url(re.compile(rf"/r/task/{task_id}$"))
    foreman.expect_pending(1)
    foreman.go_online()

    foreman.testid("nav-attention").click()
    item = foreman.testid("attention-item").filter(has_text="C01 水稳层养护")
    expect(item).to_have_count(1)
    expect(item.get_by_test_id("attention-reason")).to_have_attribute("data-code", "invalid")
    expect(item.get_by_test_id("attention-field-errors")).to_contain_text(foreman.text("field.description"))
    expect(item.get_by_test_id("attention-fields")).to_contain_text("水稳层养护记录")
    assert _on_server(server_api, task_id)["description"] == "洒水养护 7 天"

    # "Edit and resend": the typed text comes back in an editor; shortened, it goes through.
    item.get_by_test_id("attention-edit").click()
    editor = foreman.testid("attention-editor")
    expect(editor.get_by_test_id("resend-field-description")).to_have_value(too_long)
    editor.get_by_test_id("resend-field-description").fill("K0+350–K0+500 水稳层养护：洒水两次，覆盖土工布，7 天。")
    since = foreman.now()
    editor.get_by_test_id("attention-resend").click()
    expect(foreman.testid("attention-item").filter(has_text="C01 水稳层养护")).to_have_count(0)
    foreman.wait_synced(since)
    assert _on_server(server_api, task_id)["description"] == "K0+350–K0+500 水稳层养护：洒水两次，覆盖土工布，7 天。"
    assert [r for r in server_api("foreman1").rejected() if r["record_id"] == task_id] == []
    descriptions = [e["new"] for e in server_api("admin1").history("task", task_id) if e["field"] == "description"]
    assert descriptions == ["洒水养护 7 天", "K0+350–K0+500 水稳层养护：洒水两次，覆盖土工布，7 天。"]
    foreman.assert_no_errors()


def test_a_conflict_dismissed_while_a_sync_reads_the_list_stays_dismissed(phones, server_api):
    admin = server_api("admin1")
    task_id = admin.create_task("D01 透水砖样板段")
    foreman = phones("foreman2")
    foreman.login("foreman2")
    foreman.go_offline()
    foreman.edit_task(task_id, title="D01 透水砖样板段（东侧）")
    admin.put("task", task_id, title="D01 透水砖样板段（西侧）")
    foreman.go_online()
    foreman.testid("nav-conflicts").click()
    conflict = foreman.page.locator(f'[data-testid=conflict-item]:has(a[href="/r/task/{task_id}"])')
    expect(conflict).to_have_count(1)

    # A sync asks for the conflict list (slow site network: the answer is held back) …
    held = []
    foreman.page.route("**/api/sync/conflicts", lambda route: held.append(route))
    foreman.testid("sync-now").click()
    for _ in range(250):  # the route handler runs while Playwright waits
        if held:
            break
        foreman.page.wait_for_timeout(20)
    stale = held[0].fetch()  # the list as it is now: the conflict still in it
    # … while the foreman settles the conflict ("keep theirs"), which the server records at once.
    with foreman.page.expect_response(lambda r: r.request.method == "DELETE" and "/api/sync/conflicts/" in r.url):
        conflict.get_by_test_id("keep-theirs").click()
    expect(conflict).to_have_count(0)
    since = foreman.now()
    held[0].fulfill(response=stale)
    foreman.page.unroute_all()
    foreman.wait_synced(since)

    # The late list does not bring it back (drawn afresh from what the phone stored).
    foreman.testid("nav-home").click()
    foreman.testid("nav-conflicts").click()
    expect(foreman.testid("conflicts-empty")).to_be_visible()
    expect(conflict).to_have_count(0)
    expect(foreman.testid("nav-conflicts-count")).to_have_count(0)
    assert [c for c in server_api("foreman2").conflicts() if c["record_id"] == task_id] == []
    foreman.assert_no_errors()
