"""Lists stay light on a large project: a few thousand records written straight into the phone's
IndexedDB (as a long first sync would leave them), then the lists drawn.

Each list must draw a bounded number of rows (a page, then the next as asked), and its filters
and counts must give the answers worked out here from the same records.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
import uuid

import pytest
from playwright.sync_api import expect

from conftest import SCHEMA_1_STORES, scroll_into_view

PAGE_ROWS = 40  # pwa/js/ui/components/paged_list.js
CARDS_PER_KIND = 20  # pwa/js/ui/approvals/approvals_screen.js
GANTT_ROWS = 60  # pwa/js/ui/dashboard/gantt_chart.js
TASKS = 3000
OTHERS = 400  # actions, complaints and checks each
STATES = ("todo", "doing", "done", "accepted")

# Writes records of one type into the app's `records` store in one transaction, the shape
# pwa/js/db/records.js stores pulled records in (with their order keys).
SEED = """([type, records]) => import('/js/db/order_keys.js').then(({ addOrderKey }) => new Promise((resolve, reject) => {
    const open = indexedDB.open('gridline');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('records', 'readwrite');
      const store = tx.objectStore('records');
      for (const record of records) store.put(addOrderKey({ type, seq: 1, updated_at: '2026-01-01T00:00:00Z', updated_by: null, created_by: null, ...record }));
      tx.oncomplete = () => { open.result.close(); resolve(records.length); };
      tx.onerror = () => reject(tx.error);
    };
}))"""


def _task(i: int, project_id: str, sections: list[str], me: str, today: dt.date) -> dict:
    data = {"project_id": project_id, "title": f"批量任务 {i:05d}", "status": STATES[i % 4],
            "section_id": sections[i % len(sections)], "progress": i % 100,
            "due_date": (today + dt.timedelta(days=(i % 21) - 10)).isoformat()}
    if i % 3 == 0:
        data["assignee_id"] = me
    return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"task-{i}")), "data": data}


def _early_rows_watch(list_id: str = "record-list", item_id: str = "record-item") -> str:
    """A script that keeps the ids of the first rows (testid `item_id`) drawn while the list
    (testid `list_id`) says it is still loading (aria-busy)."""
    return """(() => {
  window.__earlyRows = null;
  const seen = new MutationObserver(() => {
    const list = document.querySelector('[data-testid=LIST][aria-busy=true]');
    const ids = list ? [...list.querySelectorAll('[data-testid=ITEM]')].map((row) => row.dataset.id) : [];
    if (!ids.length) return;
    window.__earlyRows = { ids, loading: Boolean(list.querySelector('[data-testid=list-loading]')), total: list.dataset.total ?? null };
    seen.disconnect();
  });
  seen.observe(document, { childList: true, subtree: true, attributes: true });
})()""".replace("LIST", list_id).replace("ITEM", item_id)


EARLY_ROWS = _early_rows_watch()
EARLY_DOCUMENTS = _early_rows_watch("document-list", "document-item")


def _rows(page) -> int:
    return page.get_by_test_id("record-item").count()


def _drawn_ids(page) -> list[str]:
    return page.get_by_test_id("record-item").evaluate_all("(rows) => rows.map((row) => row.dataset.id)")


def _assert_drawn_early(page, address: str, ids: list[str]) -> None:
    """Loads `address` afresh (EARLY_ROWS watching) and checks that it first drew `ids`, marked as
    loading and counting nothing, and then the whole list with the same first rows."""
    page.goto(address)
    expect(page.get_by_test_id("record-list")).to_have_attribute("aria-busy", "false", timeout=60_000)
    early = page.evaluate("window.__earlyRows")
    assert early and early["loading"] and early["total"] is None, address
    assert early["ids"] == ids, address
    assert _drawn_ids(page) == ids, address


def _wait_kept(phone, address: str, ids: list[str]) -> None:
    """Waits until the app has stored `ids` as the first rows of `address` (written after the draw)."""
    for _ in range(100):
        pages = dict(phone.idb("meta", "first_pages") or [])
        if pages.get(address) == ids:
            return
        phone.page.wait_for_timeout(100)
    raise AssertionError(f"first rows of {address} not kept: {pages.get(address)}")


@pytest.mark.parametrize("locale", ["zh-CN"])
def test_a_large_project_draws_a_page_of_rows_and_filters_and_counts_all_of_them(phones, server_api, locale, screenshot):
    """3,000 tasks and 400 actions, complaints and checks: each list draws one page, counts all."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    page = phone.page
    today = dt.date.fromisoformat(page.evaluate(
        "() => import('/js/ui/home/home_sections.js').then((m) => m.localToday())"))
    sections = [record["id"] for record in phone.idb("records") if record["type"] == "section"]
    tasks = [_task(i, admin.project_id, sections, admin.user["id"], today) for i in range(TASKS)]
    page.evaluate(SEED, ["task", tasks])
    page.evaluate(SEED, ["action", [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "title": f"整改 {i:04d}", "status": ("open", "done", "verified")[i % 3],
        "deadline": (today + dt.timedelta(days=i % 9)).isoformat()}} for i in range(OTHERS)]])
    page.evaluate(SEED, ["feedback", [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "description": f"夜间施工噪音 {i:04d}", "category": "noise",
        "status": ("received", "closed")[i % 2], "response_due": "2030-01-01T08:00:00Z"}} for i in range(OTHERS)]])
    page.evaluate(SEED, ["safety_check", [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "date": today.isoformat(), "status": ("open", "closed")[i % 2],
        "results": {"A1": "pass"}}} for i in range(OTHERS)]])
    stored = [record for record in phone.idb("records") if record["type"] == "task"]
    assert len(stored) >= TASKS

    # What the filters must find, worked out here from the same stored tasks.
    def count(keep) -> int:
        return sum(1 for record in stored if keep(record["data"]))

    status = lambda data: data.get("status", "todo")  # noqa: E731
    expected = {
        "all": len(stored),
        "done": count(lambda d: status(d) == "done"),
        "open": count(lambda d: status(d) in ("todo", "doing")),
        "overdue": count(lambda d: status(d) in ("todo", "doing") and d.get("due_date", "9999") < today.isoformat()),
    }

    page.goto("/tasks")  # a fresh page: nothing of the lists held in memory yet
    listed = page.get_by_test_id("record-list")
    counted = page.get_by_test_id("task-count")
    expect(counted).to_have_attribute("data-count", str(expected["all"]), timeout=60_000)
    assert _rows(page) == PAGE_ROWS
    screenshot(page, f"large-tasks-{locale}-390")
    # Overdue tasks come first, as they always have.
    assert page.get_by_test_id("record-item").first.get_attribute("class").count("is-overdue") == 1

    # A fresh start draws the rows the list showed first last time before reading every task,
    # marked as loading and counting nothing; they are the exact list's first rows.
    first_rows = _drawn_ids(page)
    _wait_kept(phone, "/tasks", first_rows)
    page.add_init_script(EARLY_ROWS)
    page.goto("/tasks")
    expect(counted).to_have_attribute("data-count", str(expected["all"]), timeout=60_000)
    early = page.evaluate("window.__earlyRows")
    assert early and early["loading"] and early["total"] is None
    assert early["ids"] == first_rows
    assert _drawn_ids(page) == first_rows
    expect(listed).to_have_attribute("aria-busy", "false")
    expect(page.get_by_test_id("list-loading")).to_have_count(0)

    # With a filter in the address, a task changed since (no longer done) is not drawn among
    # the early rows, and the exact list then counts without it.
    page.goto("/tasks?state=done")
    expect(counted).to_have_attribute("data-count", str(expected["done"]), timeout=60_000)
    done_rows = _drawn_ids(page)
    _wait_kept(phone, "/tasks?state=done", done_rows)
    changed = next(record for record in stored if record["id"] == done_rows[1])
    page.evaluate(SEED, ["task", [{**changed, "data": {**changed["data"], "status": "doing"}}]])
    page.goto("/tasks?state=done")
    expect(counted).to_have_attribute("data-count", str(expected["done"] - 1), timeout=60_000)
    early = page.evaluate("window.__earlyRows")
    assert early and early["ids"] == [done_rows[0], *done_rows[2:]]
    assert _drawn_ids(page)[:PAGE_ROWS - 1] == early["ids"]
    assert changed["id"] not in _drawn_ids(page)
    page.evaluate(SEED, ["task", [changed]])
    page.goto("/tasks")
    expect(counted).to_have_attribute("data-count", str(expected["all"]), timeout=60_000)
    for state in ("done", "open", "overdue"):
        page.get_by_test_id(f"task-filter-state-{state}").click()
        expect(counted).to_have_attribute("data-count", str(expected[state]), timeout=30_000)
        expect(listed).to_have_attribute("data-total", str(expected[state]))
        assert _rows(page) == min(PAGE_ROWS, expected[state])

    page.get_by_test_id("task-filter-state-all").click()
    page.get_by_test_id("record-filter").fill("批量任务 01234")
    expect(counted).to_have_attribute("data-count", "1", timeout=30_000)
    expect(page.get_by_test_id("record-item")).to_have_count(1)
    page.get_by_test_id("record-filter").fill("批量任务")
    expect(counted).to_have_attribute("data-count", str(TASKS), timeout=30_000)

    # The next page comes with a tap on "more" (or by scrolling near it), a page at a time. The tap
    # is dispatched where the row is: Playwright's click scrolls it into view first, and on a busy
    # machine the list's scroll watcher answers that scroll with pages of its own before the click.
    page.get_by_test_id("list-more").dispatch_event("click")
    expect(page.get_by_test_id("record-item")).to_have_count(2 * PAGE_ROWS)
    scroll_into_view(page.get_by_test_id("list-more"))
    expect(page.get_by_test_id("record-item")).to_have_count(3 * PAGE_ROWS, timeout=30_000)
    page.set_viewport_size({"width": 360, "height": 740})
    scroll_into_view(page.get_by_test_id("list-more"))
    screenshot(page, f"large-tasks-more-{locale}-360")

    for path in ("/records/action", "/feedback?show=all", "/checks?show=all"):
        page.goto(path)
        expect(page.get_by_test_id("list-more")).to_be_visible(timeout=60_000)
        assert _rows(page) == PAGE_ROWS, path
        total = listed.get_attribute("data-total")
        assert int(total) >= OTHERS, path
        # Opened afresh, the list draws the rows it showed first before it has read the rest
        # (marked as loading, counting nothing), then the exact list with the same first rows.
        first_rows = _drawn_ids(page)
        _wait_kept(phone, path, first_rows)
        page.goto(path)
        expect(listed).to_have_attribute("data-total", total, timeout=60_000)
        early = page.evaluate("window.__earlyRows")
        assert early and early["loading"] and early["total"] is None, path
        assert early["ids"] == first_rows, path
        assert _drawn_ids(page) == first_rows, path
        expect(page.get_by_test_id("list-loading")).to_have_count(0)
    page.goto("/checks")  # open ones only: half of those seeded, plus the demo's open checks
    expect(page.get_by_test_id("list-more")).to_be_visible(timeout=60_000)
    open_checks = sum(1 for record in phone.idb("records")
                      if record["type"] == "safety_check" and record["data"].get("status", "open") != "closed")
    expect(listed).to_have_attribute("data-total", str(open_checks))
    phone.assert_no_errors()


def _wait_worked_out_ahead(phone) -> None:
    """Waits until the app has worked out the first rows of its lists after the sync (the last of
    them the documents'), so that none of that work lands after the test changed the records."""
    for _ in range(150):
        if "/documents" in dict(phone.idb("meta", "first_pages") or []):
            return
        phone.page.wait_for_timeout(100)
    raise AssertionError("the lists' first rows were not worked out after the sync")


# Forgets the first rows every list kept (as on a phone that never opened a list), through the
# app's own store; each test loads the page again after it, so nothing held in memory writes them back.
FORGET_FIRST_ROWS = "() => import('/js/db/meta.js').then((meta) => meta.setMeta('first_pages', []))"


def test_a_list_never_opened_draws_its_first_rows_early_on_its_first_visit(phones, server_api):
    """After a sync the app works out, while the phone is idle, the first rows of each list not
    yet opened, so the first visit of a large list draws its first screen early as well."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    _wait_worked_out_ahead(phone)
    page = phone.page
    start = dt.datetime(2020, 1, 1, 2, tzinfo=dt.timezone.utc)
    complaints = [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "description": f"夜间施工噪音 {i:04d}", "category": "noise",
        "status": ("received", "closed")[i % 2],
        "response_due": (start + dt.timedelta(hours=i + 1)).strftime("%Y-%m-%dT%H:%M:%SZ")}} for i in range(OTHERS)]
    # Deadlines are ordered by the time they mean, whatever the offset they were written with.
    complaints += [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "description": f"时区 {name}", "category": "noise", "response_due": due}}
        for name, due in (("UTC", "2020-01-01T00:30:00Z"), ("东八区", "2020-01-01T08:00:00+08:00"))]
    page.evaluate(SEED, ["feedback", complaints])
    page.evaluate(SEED, ["safety_check", [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "date": (dt.date(2031, 1, 1) + dt.timedelta(days=i)).isoformat(),
        "status": ("open", "closed")[i % 2], "results": {"A1": "pass"}}} for i in range(OTHERS)]])
    # As on a phone that synced these and never opened either list.
    page.evaluate(FORGET_FIRST_ROWS)
    page.goto("/more")

    records = phone.idb("records")

    def due(record):
        text = record["data"].get("response_due")
        return dt.datetime.fromisoformat(text).timestamp() if text else float("-inf")

    open_complaints = sorted((r for r in records if r["type"] == "feedback" and r["data"].get("status") != "closed"),
                             key=lambda r: (r["data"].get("status") in ("resolved", "closed"), due(r)))
    expected = {
        "/feedback": [r["id"] for r in open_complaints[:PAGE_ROWS]],
        "/checks": [r["id"] for r in sorted(
            (r for r in records if r["type"] == "safety_check" and r["data"].get("status") != "closed"),
            key=lambda r: r["data"].get("date", ""), reverse=True)[:PAGE_ROWS]],
    }
    assert [r["data"]["description"] for r in open_complaints[:2]] == ["时区 东八区", "时区 UTC"]
    for address, ids in expected.items():
        _wait_kept(phone, address, ids)

    page.add_init_script(EARLY_ROWS)
    for address, ids in expected.items():
        _assert_drawn_early(page, address, ids)
    phone.assert_no_errors()


def test_a_large_document_library_draws_a_page_and_finds_every_document_and_its_current_revision(phones, server_api):
    """1,200 drawings with two revisions each: the list draws one page, counts them all, finds one
    by its number, and shows each drawn document's newest revision."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    _wait_worked_out_ahead(phone)
    page = phone.page
    documents, versions = [], []
    for i in range(1200):
        document_id = str(uuid.uuid4())
        documents.append({"id": document_id, "data": {
            "project_id": admin.project_id, "kind": "drawing", "number": f"施-{i:04d}", "title": f"雨水管线平面图 {i:04d}",
            "discipline": "给排水"}})
        for seq, revision in ((2 * i + 10, "A"), (2 * i + 11, "B")):
            versions.append({"id": str(uuid.uuid4()), "seq": seq, "data": {
                "project_id": admin.project_id, "document_id": document_id, "revision": revision, "date": "2026-12-01"}})
    page.evaluate(SEED, ["document", documents])
    page.evaluate(SEED, ["document_version", versions])
    total = sum(1 for record in phone.idb("records") if record["type"] == "document"
                and record["data"].get("project_id") == admin.project_id)
    # As on a phone that synced these and never opened the library: its first rows are worked
    # out while the app is idle elsewhere.
    page.evaluate(FORGET_FIRST_ROWS)
    page.goto("/more")
    for _ in range(100):
        kept = dict(phone.idb("meta", "first_pages") or []).get("/documents")
        if kept:
            break
        page.wait_for_timeout(100)
    assert kept and len(kept) == PAGE_ROWS, kept

    # The first visit draws those rows at once, under "loading", then the whole library with
    # the same first rows.
    page.add_init_script(EARLY_DOCUMENTS)
    page.goto("/documents")
    count = page.get_by_test_id("document-count")
    expect(count).to_contain_text(f"{total}", timeout=60_000)
    rows = page.get_by_test_id("document-item")
    assert rows.count() == PAGE_ROWS
    expect(count).to_have_attribute("data-count", str(total))
    early = page.evaluate("window.__earlyRows")
    assert early and early["loading"] and early["ids"] == kept
    assert rows.evaluate_all("(items) => items.map((item) => item.dataset.id)") == kept
    page.get_by_test_id("list-more").click()
    # The next page at least (the list draws more pages as its end scrolls near, and the tap
    # leaves it there), a page at a time.
    expect(rows).not_to_have_count(PAGE_ROWS)
    assert rows.count() % PAGE_ROWS == 0, rows.count()
    # Every seeded document drawn says its revision B, the newer by the server's order (other
    # tests' documents on the same server may be drawn too: the seeded ones are picked by id).
    seeded_ids = {document["id"] for document in documents}
    drawn = rows.evaluate_all("(items) => items.map((item) => [item.dataset.id, item.textContent])")
    seeded = [text for row_id, text in drawn if row_id in seeded_ids]
    assert seeded
    for text in seeded:
        assert "B 版" in text and "A 版" not in text, text

    page.get_by_test_id("document-search").fill("施-0777")
    expect(count).to_have_attribute("data-count", "1", timeout=30_000)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("雨水管线平面图 0777")
    phone.assert_no_errors()


def test_a_backlog_of_approvals_draws_a_page_of_cards_per_kind_and_keeps_the_kinds_below_in_reach(phones, server_api):
    """150 task acceptances waiting: the inbox draws 20 of them, counts all 150, draws 20 more on
    "Show more", and the rectifications below stay a short scroll away."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    page = phone.page
    tasks, approvals = [], []
    for i in range(150):
        task_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"backlog-task-{i}"))
        tasks.append({"id": task_id, "data": {"project_id": admin.project_id, "title": f"待验收 {i:03d}", "status": "done"}})
        approvals.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"backlog-approval-{i}")), "data": {
            "project_id": admin.project_id, "kind": "task_acceptance", "status": "pending", "subject_type": "task",
            "subject_id": task_id, "round": 1, "note": f"请验收 {i:03d}"}})
    for i in range(3):
        approvals.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"backlog-rectification-{i}")), "data": {
            "project_id": admin.project_id, "kind": "rectification", "status": "pending", "subject_type": "action",
            "subject_id": str(uuid.uuid4()), "round": 1, "note": f"整改复查 {i}"}})
    page.evaluate(SEED, ["task", tasks])
    page.evaluate(SEED, ["approval", approvals])
    pending = {}
    for record in phone.idb("records"):
        if record["type"] == "approval" and record["data"].get("status", "pending") == "pending" \
                and record["data"].get("project_id") == admin.project_id:
            pending[record["data"]["kind"]] = pending.get(record["data"]["kind"], 0) + 1
    assert pending["task_acceptance"] >= 150 and pending["rectification"] >= 3

    page.goto("/approvals")
    expect(phone.testid("approvals-count")).to_have_attribute("data-count", str(sum(pending.values())), timeout=30_000)
    acceptances = phone.testid("approvals-task_acceptance")
    cards = acceptances.get_by_test_id("approval-card")
    expect(cards).to_have_count(CARDS_PER_KIND)
    expect(acceptances.locator("h2")).to_contain_text(f"({pending['task_acceptance']})")
    for kind, count in pending.items():
        expect(phone.testid(f"approvals-{kind}").get_by_test_id("approval-card")).to_have_count(min(count, CARDS_PER_KIND))
    # Scrolling down to the next kind draws none of the backlog's other cards on the way.
    scroll_into_view(phone.testid("approvals-rectification").get_by_test_id("approval-card").last)
    page.wait_for_timeout(300)
    expect(cards).to_have_count(CARDS_PER_KIND)

    more = acceptances.get_by_test_id("list-more")
    expect(more).to_contain_text(str(pending["task_acceptance"] - CARDS_PER_KIND))
    more.click()
    expect(cards).to_have_count(2 * CARDS_PER_KIND)
    # A redraw (a record arrives from the server) keeps the cards drawn so far.
    task_id = admin.create_task("新到任务")
    phone.sync_now()
    assert any(record["id"] == task_id for record in phone.idb("records") if record["type"] == "task")
    page.wait_for_timeout(500)
    expect(cards).to_have_count(2 * CARDS_PER_KIND)
    phone.assert_no_errors()


def test_a_large_schedule_draws_a_page_of_gantt_rows_on_an_axis_that_spans_every_task(phones, server_api):
    """300 planned tasks more: the Gantt draws 60 rows and its table the same 60, the critical
    path is worked out over all of them, and "Show more" draws the next 60 below the first."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    page = phone.page
    sections = [record["id"] for record in phone.idb("records")
                if record["type"] == "section" and record["data"].get("project_id") == admin.project_id]
    start = dt.date(2026, 1, 1)
    planned = []
    for i in range(300):
        begin = start + dt.timedelta(days=(i * 7) % 700)
        data = {"project_id": admin.project_id, "section_id": sections[(i // 20) % len(sections)], "title": f"排水管 W{i} 段开槽",
                "status": "todo", "planned_start": begin.isoformat(), "planned_end": (begin + dt.timedelta(days=3 + i % 25)).isoformat()}
        if i % 20:
            data["depends_on"] = [planned[-1]["id"]]
        planned.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"planned-{i}")), "data": data})
    # Chains of 20 tasks each waiting for the one before: the critical path runs through one.
    page.evaluate(SEED, ["task", planned])
    every = sum(1 for record in phone.idb("records") if record["type"] == "task" and not record.get("deleted")
                and record["data"].get("project_id") == admin.project_id
                and record["data"].get("planned_start") and record["data"].get("planned_end"))

    page.goto("/dashboard")
    gantt = phone.testid("gantt")
    rows = gantt.get_by_test_id("gantt-row")
    expect(rows.first).to_be_visible(timeout=30_000)
    expect(rows).to_have_count(GANTT_ROWS)
    expect(gantt).to_have_attribute("data-rows", str(every))
    expect(gantt.get_by_test_id("gantt-table").locator("tbody tr")).to_have_count(GANTT_ROWS)
    critical = phone.testid("critical-path")
    on_path = critical.get_attribute("data-ids").split()
    assert len(on_path) >= 20 and set(on_path) & {task["id"] for task in planned}
    first = rows.evaluate_all("(rows) => rows.map((row) => row.dataset.id)")
    axis = gantt.locator(".gantt-axis").all_text_contents()

    more = gantt.get_by_test_id("gantt-more")
    expect(more).to_contain_text(str(every - GANTT_ROWS))
    more.click()
    gantt = phone.testid("gantt")
    rows = gantt.get_by_test_id("gantt-row")
    expect(rows).to_have_count(2 * GANTT_ROWS)
    assert rows.evaluate_all("(rows) => rows.map((row) => row.dataset.id)")[:GANTT_ROWS] == first
    assert gantt.locator(".gantt-axis").all_text_contents() == axis
    expect(gantt.get_by_test_id("gantt-more")).to_be_focused()
    # A redraw (a record arrives from the server) keeps the rows drawn so far.
    admin.create_task("新到任务")
    phone.sync_now()
    page.wait_for_timeout(500)
    expect(phone.testid("gantt").get_by_test_id("gantt-row")).to_have_count(2 * GANTT_ROWS)
    phone.assert_no_errors()


def _as_schema(version: int) -> str:
    """A script that makes the phone's database as a version of the app with schema `version` (2:
    before the complaints' index; 3: before the documents' order keys; 5: before the index of
    actions by deadline) left it, holding what it holds now: every store of those versions with
    its records (without the order keys a version before 4 lacks), and the meta entries but the
    lists' first rows (as on a phone that never opened a list)."""
    indexes = {3: "store.createIndex('by_state_due', ['type', 'data.status', 'data.response_due']);",
               4: "store.createIndex('by_order', ['type', 'order']);",
               5: "store.createIndex('by_state', ['type', 'data.status']);"}
    indexes = "".join(create for since, create in indexes.items() if version >= since)
    kept = "record" if version >= 4 else "{ order, ...record }"
    return """async () => {
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const now = await request(indexedDB.open('gridline'));
  const tx = now.transaction(['records', 'meta'], 'readonly');
  const [records, keys, values] = await Promise.all([request(tx.objectStore('records').getAll()),
    request(tx.objectStore('meta').getAllKeys()), request(tx.objectStore('meta').getAll())]);
  now.close();
  await request(indexedDB.deleteDatabase('gridline'));
  const open = indexedDB.open('gridline', %d);
  open.onupgradeneeded = () => {
    const db = open.result;""" % version + SCHEMA_1_STORES + """
    db.createObjectStore('drafts', { keyPath: ['user_id', 'route'] }).createIndex('by_user', 'user_id');
    const store = open.transaction.objectStore('records');
    """ + indexes + """
    for (const """ + kept + """ of records) store.put(record);
    const meta = open.transaction.objectStore('meta');
    keys.forEach((key, i) => { if (key !== 'first_pages') meta.put(values[i], key); });
  };
  (await request(open)).close();
}"""


AS_SCHEMA_2 = _as_schema(2)

# Queues changes (`[type, id, fields]`) through the app's outbox, as the screens save them.
QUEUE = """async (changes) => {
  const { enqueue } = await import('/js/sync/outbox.js');
  await enqueue(changes.map(([type, id, fields]) => ({ op: 'put', type, id, fields })));
}"""


def test_the_complaints_first_visit_with_nothing_kept_reads_its_first_page_through_an_index(phones, server_api, wait_for_service_worker):
    """A phone that never opened the complaints list, updated from the app's schema 2, draws the
    list's first page (open complaints, earliest deadline first) before reading the rest, and it
    is the exact list's first page, with changes still queued on the phone."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    _wait_worked_out_ahead(phone)
    page = phone.page
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    states = ("received", "closed", "acknowledged", "closed", "in_progress", "resolved", "closed")
    # Deadlines as the server writes them; the closed complaints have the earliest ones.
    complaints = [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "description": f"道路开挖投诉 {i:04d}", "category": "dust",
        "status": states[i % len(states)],
        "response_due": (start + dt.timedelta(hours=(i * 7919) % OTHERS)).strftime("%Y-%m-%dT%H:%M:%SZ")}}
        for i in range(OTHERS)]
    page.evaluate(SEED, ["feedback", complaints])
    wait_for_service_worker(page)
    page.goto("/manifest.webmanifest")
    page.evaluate(AS_SCHEMA_2)

    def first_page(queued: dict) -> list[str]:
        views = [{**r["data"], **queued.get(r["id"], {}), "id": r["id"]}
                 for r in phone.idb("records") if r["type"] == "feedback"]
        due = lambda v: dt.datetime.fromisoformat(v["response_due"].replace("Z", "+00:00"))  # noqa: E731
        shown = sorted((v for v in views if v.get("status", "received") != "closed"),
                       key=lambda v: (v.get("status") in ("resolved", "closed"), due(v)))
        return [v["id"] for v in shown[:PAGE_ROWS]]

    page.add_init_script(EARLY_ROWS)
    expected = first_page({})
    assert len(expected) == PAGE_ROWS
    for queued in ({}, "queued"):
        if queued:
            # Offline, three changes wait on the phone: the first complaint is resolved, one from
            # far down the list gets the earliest deadline, and one closed complaint is reopened
            # (as a change the server would refuse still shows until it answers).
            phone.go_offline()
            later = next(r for r in complaints if r["data"]["status"] == "received" and r["id"] not in expected)
            reopened = min((r for r in complaints if r["data"]["status"] == "closed"), key=lambda r: r["data"]["response_due"])
            queued = {expected[0]: {"status": "resolved"},
                      later["id"]: {"response_due": "2019-12-31T00:00:00Z"},
                      reopened["id"]: {"status": "in_progress"}}
            page.evaluate(QUEUE, [["feedback", id, fields] for id, fields in queued.items()])
            page.goto("/manifest.webmanifest")
            page.evaluate(FORGET_FIRST_ROWS)
            expected = first_page(queued)
            assert expected[0] == later["id"] and reopened["id"] in expected
        _assert_drawn_early(page, "/feedback", expected)
    phone.assert_no_errors()


def _natural(value) -> str:
    """The register's natural text (pwa/js/db/order_keys.js): forms folded, each run of digits
    as its length and its digits without leading zeros."""
    def digits(match) -> str:
        significant = match[0].lstrip("0") or "0"
        return chr(0x30 + min(len(significant), 0xFF)) + significant
    return re.sub(r"[0-9]+", digits, unicodedata.normalize("NFKC", str(value or "")).upper())


def _register_key(document_id: str, fields: dict) -> str:
    number = fields.get("number")
    key = (f"1{_natural(number)}\0{_natural(fields.get('title'))}" if number is not None and str(number).strip()
           else f"2{_natural(fields.get('title'))}")
    return f"{key}\0{document_id}"


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_the_document_registers_first_visit_with_nothing_kept_reads_its_first_page_through_an_index(
        phones, server_api, wait_for_service_worker):
    """A phone that never opened the documents, updated from the app's schema 3, draws the
    register's first page (by number in natural order: S-9 before S-10, case and full-width forms
    folded) before reading the rest, and it is the exact register's first page, with changes
    still queued on the phone and without another project's documents."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    _wait_worked_out_ahead(phone)
    page = phone.page
    numbers = list(range(10, 400))
    random.Random(7).shuffle(numbers)
    forms = (lambda n: f"S-{n}", lambda n: f"s-{n}", lambda n: f"施-{n:04d}", lambda n: _full_width(f"S-{n}"))
    documents = [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "kind": "drawing", "number": forms[i % 4](n), "title": f"雨水管线平面图 {i}"}}
        for i, n in enumerate(numbers[:300])]
    documents += [{"id": str(uuid.uuid4()), "data": {
        "project_id": admin.project_id, "kind": "minutes", "title": f"协调会纪要 {'甲乙丙丁戊'[i % 5]}{'子丑寅'[i % 3]}"}}
        for i in range(15)]
    elsewhere = [{"id": str(uuid.uuid4()), "data": {
        "project_id": str(uuid.uuid4()), "kind": "drawing", "number": f"S-{i}", "title": "别的项目"}} for i in range(1, 6)]
    page.evaluate(SEED, ["document", documents + elsewhere])
    wait_for_service_worker(page)
    phone.go_offline()  # nothing pulled from here on: the register is what the phone holds
    page.goto("/manifest.webmanifest")
    page.evaluate(_as_schema(3))
    stored = {r["id"]: r["data"] for r in phone.idb("records")
              if r["type"] == "document" and r["data"].get("project_id") == admin.project_id}
    assert not any("order" in r for r in phone.idb("records"))

    def first_page(queued: dict) -> list[str]:
        views = {id: {**stored.get(id, {}), **fields} for id, fields in {**{id: {} for id in stored}, **queued}.items()}
        return sorted(views, key=lambda id: _register_key(id, views[id]))[:PAGE_ROWS]

    def drawn_early(expected: list[str]) -> None:
        page.goto("/documents")
        expect(page.get_by_test_id("document-list")).to_have_attribute("aria-busy", "false", timeout=60_000)
        early = page.evaluate("window.__earlyRows")
        assert early and early["loading"], early
        assert early["ids"] == expected
        rows = page.get_by_test_id("document-item")
        assert rows.evaluate_all("(items) => items.map((item) => item.dataset.id)") == expected

    page.add_init_script(EARLY_DOCUMENTS)
    expected = first_page({})
    drawn_early(expected)
    # The update gave every stored document its order key, in the index the first page came from.
    assert all("order" in r for r in phone.idb("records") if r["type"] == "document")
    # Natural order: the first page holds the smallest numbers after "S-", growing, whatever their
    # case and form (S-, s- and Ｓ－ alike), and none after "施-".
    by_id = {document["id"]: document for document in documents}
    drawn_numbers = [int(re.sub(r"\D", "", unicodedata.normalize("NFKC", by_id[id]["data"]["number"]))) for id in expected]
    s_numbers = sorted(n for i, n in enumerate(numbers[:300]) if forms[i % 4] is not forms[2])
    # (in plain text order S-100 would come right after S-10)
    assert drawn_numbers == s_numbers[:PAGE_ROWS] and drawn_numbers[-1] < 100 <= s_numbers[-1]
    assert {by_id[id]["data"]["number"][0] for id in expected} == {"S", "s", "Ｓ"}
    texts = page.get_by_test_id("document-item").all_text_contents()
    assert texts[0].startswith(by_id[expected[0]]["data"]["number"])

    # Offline, three changes wait on the phone: the first drawing is renumbered to the end, one
    # from far down gets the first number, and a drawing registered on the phone comes second.
    later = next(d["id"] for d in documents[:300] if d["id"] not in expected and d["data"]["number"].startswith("施"))
    new_id = str(uuid.uuid4())
    queued = {expected[0]: {"number": "施-99999"}, later: {"number": "s-1"},
              new_id: {"project_id": admin.project_id, "kind": "drawing", "number": "S-2", "title": "新增图纸"}}
    page.evaluate(QUEUE, [["document", id, fields] for id, fields in queued.items()])
    page.goto("/manifest.webmanifest")
    page.evaluate(FORGET_FIRST_ROWS)
    expected = first_page(queued)
    assert expected[:2] == [later, new_id] and queued and expected[0] != documents[0]["id"]
    drawn_early(expected)
    phone.assert_no_errors()


def _assert_first_page_drawn_early(page, address: str) -> list[str]:
    """Loads `address` afresh (EARLY_ROWS watching) and checks that it first drew a whole page,
    marked as loading and counting nothing, and that the exact list then drew the same first rows;
    returns them."""
    page.goto(address)
    expect(page.get_by_test_id("record-list")).to_have_attribute("aria-busy", "false", timeout=60_000)
    early = page.evaluate("window.__earlyRows")
    assert early and early["loading"] and early["total"] is None, (address, early)
    assert len(early["ids"]) == PAGE_ROWS and _drawn_ids(page)[:PAGE_ROWS] == early["ids"], address
    return early["ids"]


def test_the_record_lists_first_visit_with_nothing_kept_reads_its_first_page_through_an_index(
        phones, server_api, wait_for_service_worker):
    """A phone that never opened its lists, updated from the app's schema 3, draws the first page
    of the tasks (overdue first), the corrective actions, the work steps and the open safety checks
    before reading the rest of each, and it is the exact list's first page, with changes still
    queued on the phone."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    _wait_worked_out_ahead(phone)
    page = phone.page
    today = dt.date.fromisoformat(page.evaluate(
        "() => import('/js/ui/home/home_sections.js').then((m) => m.localToday())"))
    pid = admin.project_id
    shuffled = random.Random(11)

    def changed_at(i: int) -> str:  # each record's last change at its own time, in no order
        return (dt.datetime(2026, 1, 1) + dt.timedelta(minutes=shuffled.randrange(500_000))).strftime("%Y-%m-%dT%H:%M:%S.%fZ") + str(i % 7)

    tasks = [{"id": str(uuid.uuid4()), "updated_at": changed_at(i), "data": {
        "project_id": pid, "title": f"索引任务 {i:03d}", "status": STATES[i % 4],
        **({"due_date": (today + dt.timedelta(days=(i * 37) % 41 - 20)).isoformat()} if i % 9 else {})}}
        for i in range(400)]
    actions = [{"id": str(uuid.uuid4()), "updated_at": changed_at(i), "data": {
        "project_id": pid, "description": f"索引整改 {i:03d}", "status": ("open", "done", "verified")[i % 3],
        **({"deadline": (today + dt.timedelta(days=(i * 13) % 30 - 10)).isoformat()} if i % 5 else {})}}
        for i in range(300)]
    work_steps = [{"id": str(uuid.uuid4()), "updated_at": changed_at(i), "data": {
        "project_id": pid, "step": ("沟槽开挖", "管道安装", "回填")[i % 3], "crew": f"管道{i % 7 + 1}班"}}
        for i in range(300)]
    checks = [{"id": str(uuid.uuid4()), "updated_at": changed_at(i), "data": {
        "project_id": pid, "date": (today - dt.timedelta(days=1 + (i * 7) % 60)).isoformat(),
        "status": ("open", "closed")[i % 2], "results": {"A1": "pass"}}} for i in range(300)]
    for kind, records in (("task", tasks), ("action", actions), ("work_step", work_steps), ("safety_check", checks)):
        page.evaluate(SEED, [kind, records])
    wait_for_service_worker(page)
    phone.go_offline()  # nothing pulled from here on: the lists are what the phone holds
    page.goto("/manifest.webmanifest")
    page.evaluate(_as_schema(3))
    assert not any("order" in r for r in phone.idb("records"))
    page.add_init_script(EARLY_ROWS)

    addresses = ("/tasks", "/records/action", "/records/work_step", "/checks")
    first = {address: _assert_first_page_drawn_early(page, address) for address in addresses}
    assert all("order" in r for r in phone.idb("records") if r["type"] in ("task", "action", "work_step", "safety_check"))
    page.goto("/tasks")
    expect(page.get_by_test_id("record-list")).to_have_attribute("aria-busy", "false", timeout=60_000)
    assert "is-overdue" in page.get_by_test_id("record-item").first.get_attribute("class")

    # Offline, changes wait on the phone: an open task far down falls due last month (so it comes
    # first among the overdue), the first task is done; an action far down gets the earliest
    # deadline; a work step is registered on the phone; the first open check is closed and a
    # closed one reopened with today's date.
    far_task = next(t["id"] for t in tasks if t["id"] not in first["/tasks"] and t["data"]["status"] in ("todo", "doing"))
    far_action = next(a["id"] for a in actions if a["id"] not in first["/records/action"])
    reopened = next(c["id"] for c in checks if c["data"]["status"] == "closed")
    page.evaluate(QUEUE, [
        ["task", far_task, {"due_date": (today - dt.timedelta(days=30)).isoformat()}],
        ["task", first["/tasks"][0], {"status": "done"}],
        ["action", far_action, {"deadline": "2020-01-01"}],
        ["work_step", str(uuid.uuid4()), {"project_id": pid, "step": "回填", "crew": "新来的班组"}],
        ["safety_check", first["/checks"][0], {"status": "closed"}],
        ["safety_check", reopened, {"status": "open", "date": today.isoformat()}],
    ])
    page.goto("/manifest.webmanifest")
    page.evaluate(FORGET_FIRST_ROWS)
    again = {address: _assert_first_page_drawn_early(page, address) for address in addresses}
    # (other tests' records on the same server may come before them: these are placed by id)
    assert far_task in again["/tasks"] and first["/tasks"][0] not in again["/tasks"]
    assert far_action in again["/records/action"]
    assert reopened in again["/checks"] and first["/checks"][0] not in again["/checks"]
    phone.assert_no_errors()


# The supervisor's day worked out from every record on the phone (my_day.js, as home does), and the
# types of records the page holds whole in memory (db/records.js).
WHOLE_DAY = """async () => {
  const { myDay, localDayEnd } = await import('/js/sync/my_day.js');
  const { loadViews } = await import('/js/sync/local_view.js');
  const { getMeta } = await import('/js/db/meta.js');
  const { rolesIn } = await import('/js/sync/permissions.js');
  const { localToday } = await import('/js/ui/home/home_sections.js');
  const user = await getMeta('user');
  const records = {};
  for (const type of ['section', 'task', 'action', 'feedback', 'approval', 'escalation']) records[type] = await loadViews(type);
  const today = localToday();
  const roles = rolesIn({ roles: user.roles, memberships: user.memberships }, user.memberships[0]?.project_id);
  const day = myDay({ records, user, roles, today, now: new Date().toISOString(), dayEnd: localDayEnd(today) });
  return { to_decide: day.to_decide.map((e) => [e.kind, e.id]), escalated: day.escalated.map((e) => [e.type, e.id, e.reason]),
    accepted: day.accepted.map((e) => e.id), sent_back: day.sent_back.map((e) => e.id) };
}"""
# Every record read through an index of the records store, as [type, {id, status, deadline, state}].
INDEX_READS = """(() => {
  const getAll = IDBIndex.prototype.getAll;
  window.indexReads = [];
  IDBIndex.prototype.getAll = function (...args) {
    const request = getAll.apply(this, args);
    request.addEventListener('success', () => {
      for (const record of request.result ?? []) {
        if (record?.type && record.data) {
          const { status, deadline, state } = record.data;
          window.indexReads.push([record.type, { id: record.id, status, deadline, state }]);
        }
      }
    });
    return request;
  };
})()"""
HELD_WHOLE = """() => import('/js/db/records.js').then(({ isTypeHeld }) =>
  ['task', 'approval', 'action', 'feedback', 'safety_check', 'document', 'document_version', 'work_step'].filter(isTypeHeld))"""


def test_the_inbox_reads_the_approvals_waiting_and_what_is_open_not_every_task(phones, server_api):
    """A large project on a supervisor's phone: the inbox reads the approvals waiting, the open
    actions and complaints and what they name, not every task, action, complaint or approval; it
    shows what the day worked out from every record gives, with changes queued on the phone, and
    draws a page of what is escalated."""
    admin = server_api("admin1")
    phone = phones("admin1")
    phone.login("admin1")
    page = phone.page
    pid = admin.project_id
    today = dt.date.fromisoformat(page.evaluate(
        "() => import('/js/ui/home/home_sections.js').then((m) => m.localToday())"))
    now = dt.datetime.now(dt.timezone.utc)
    made = lambda kind, i: str(uuid.uuid5(uuid.NAMESPACE_URL, f"inbox-{kind}-{i}"))  # noqa: E731
    tasks = [{"id": made("task", i), "data": {"project_id": pid, "title": f"收件箱任务 {i:04d}",
                                              "status": STATES[i % 4]}} for i in range(1200)]
    checks = [{"id": made("check", i), "data": {"project_id": pid, "date": today.isoformat(), "status": "rectifying",
                                                "section_id": None, "results": {"A1": "fail"}}} for i in range(40)]
    actions = [{"id": made("action", i), "data": {
        "project_id": pid, "description": f"收件箱整改 {i:03d}", "check_id": checks[i % 40]["id"],
        "status": ("open", "done", "verified")[i % 3], "deadline": (today + dt.timedelta(days=i % 20 - 12)).isoformat()}}
        for i in range(300)]
    complaints = [{"id": made("complaint", i), "data": {
        "project_id": pid, "description": f"收件箱投诉 {i:03d}", "category": "noise",
        "status": ("received", "acknowledged", "in_progress", "resolved", "closed")[i % 5],
        "response_due": (now + dt.timedelta(days=i % 9 - 4, hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ")}}
        for i in range(300)]
    approvals = [{"id": made("approval", i), "data": {
        "project_id": pid, "kind": "task_acceptance", "subject_type": "task", "subject_id": tasks[i]["id"],
        "status": "pending" if i % 10 == 0 else ("approved", "rejected")[i % 2], "cycle": 1}} for i in range(600)]
    approvals += [{"id": made("rectification", i), "data": {
        "project_id": pid, "kind": "rectification", "subject_type": "action", "subject_id": actions[i * 3 + 1]["id"],
        "status": "pending", "cycle": 1}} for i in range(5)]
    escalations = [{"id": made("escalation", i), "data": {
        "project_id": pid, "subject_type": "action", "subject_id": actions[i * 3]["id"], "state": ("open", "resolved")[i // 3],
        "escalated_at": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}} for i in range(6)]
    for kind, records in (("task", tasks), ("safety_check", checks), ("action", actions), ("feedback", complaints),
                          ("approval", approvals), ("escalation", escalations)):
        page.evaluate(SEED, [kind, records])
    phone.go_offline()  # nothing pulled from here on: the inbox is what the phone holds
    # As a phone the app of schema 5 left: its update adds the indexes the inbox reads through.
    page.goto("/manifest.webmanifest")
    page.evaluate(_as_schema(5))
    titles = {t["id"]: t["data"]["title"] for t in tasks}
    subject_of = {a["id"]: a["data"]["subject_id"] for a in approvals if a["data"]["subject_type"] == "task"}

    page.add_init_script(INDEX_READS)

    def inbox_is_the_day() -> dict:
        page.goto("/approvals")
        expect(phone.testid("approvals-count")).to_have_attribute("data-count", re.compile(r"\d+"), timeout=30_000)
        assert page.evaluate(HELD_WHOLE) == []
        # Of the actions and escalations, the inbox reads through indexes the open actions past
        # their deadline and the open escalations alone (a few more are read by id: those named).
        read = page.evaluate("window.indexReads")
        actions_read = [fields for type, fields in read if type == "action"]
        assert actions_read and all(a["status"] == "open" and a["deadline"] < today.isoformat() for a in actions_read)
        assert {a["id"] for a in actions if a["data"]["status"] == "open" and a["data"]["deadline"] < today.isoformat()} \
            <= {a["id"] for a in actions_read}
        escalations_read = [fields for type, fields in read if type == "escalation"]
        assert {e["id"] for e in escalations_read} >= {e["id"] for e in escalations if e["data"]["state"] == "open"}
        assert all(e["state"] == "open" for e in escalations_read)
        day = page.evaluate(WHOLE_DAY)
        expect(phone.testid("approvals-count")).to_have_attribute("data-count", str(len(day["to_decide"])))
        for kind in ("task_acceptance", "rectification"):
            ids = [id for k, id in day["to_decide"] if k == kind]
            cards = phone.testid(f"approvals-{kind}").get_by_test_id("approval-card")
            expect(cards).to_have_count(min(len(ids), CARDS_PER_KIND))
            assert cards.evaluate_all("(cards) => cards.map((card) => card.dataset.id)") == ids[:CARDS_PER_KIND]
        # Each acceptance seeded here names its task, read by id (other tests' approvals on the
        # same server may be among them).
        drawn = phone.testid("approvals-task_acceptance").get_by_test_id("approval-card").evaluate_all(
            "(cards) => cards.map((card) => [card.dataset.id, card.querySelector('a[data-testid=approval-subject]')?.textContent])")
        named = [(title, titles[subject_of[id]]) for id, title in drawn if id in subject_of]
        assert named and all(shown == seeded for shown, seeded in named)
        escalated = phone.testid("escalated")
        expect(escalated.locator("h2")).to_contain_text(f"({len(day['escalated'])})")
        rows = escalated.get_by_test_id("escalated-item")
        expect(rows).to_have_count(CARDS_PER_KIND)
        assert rows.evaluate_all("(rows) => rows.map((r) => [r.dataset.type, r.dataset.id, r.dataset.reason])") \
            == day["escalated"][:CARDS_PER_KIND]
        expect(escalated.get_by_test_id("list-more")).to_contain_text(str(len(day["escalated"]) - CARDS_PER_KIND))
        return day

    day = inbox_is_the_day()
    assert len([1 for kind, _ in day["to_decide"] if kind == "task_acceptance"]) >= 60
    assert any(e[0] == "feedback" for e in day["escalated"]) and any(e[0] == "action" for e in day["escalated"])
    assert len(day["escalated"]) > CARDS_PER_KIND

    # Changes wait on the phone: the first acceptance is approved, a decided approval is asked
    # again, a new one is asked on the phone, the first escalated action is done and the first
    # escalated complaint resolved.
    waiting = [id for _, id in day["to_decide"]]
    decided = next(a for a in approvals if a["data"]["status"] != "pending")
    new_id = str(uuid.uuid4())
    action_id = next(id for type, id, _ in day["escalated"] if type == "action")
    complaint_id = next(id for type, id, _ in day["escalated"] if type == "feedback")
    page.evaluate(QUEUE, [
        ["approval", waiting[0], {"status": "approved"}],
        ["approval", decided["id"], {"status": "pending"}],
        ["approval", new_id, {"project_id": pid, "kind": "task_acceptance", "subject_type": "task",
                              "subject_id": tasks[-1]["id"], "status": "pending", "cycle": 1}],
        ["action", action_id, {"status": "done"}],
        ["feedback", complaint_id, {"status": "resolved"}],
    ])
    again = inbox_is_the_day()
    ids = [id for _, id in again["to_decide"]]
    assert waiting[0] not in ids and decided["id"] in ids and new_id in ids
    assert all(id not in (action_id, complaint_id) for _, id, _ in again["escalated"])
    phone.assert_no_errors()


@pytest.mark.parametrize("locale", ["zh-CN"])
@pytest.mark.parametrize("decision, bucket, task_status", [("approved", "accepted", "accepted"), ("rejected", "sent_back", "done")])
def test_my_day_on_home_shows_the_latest_of_many_decisions_and_counts_them_all(phones, decision, bucket, task_status):
    """A foreman whose 60 finished tasks were accepted (or sent back) in the last days: home draws
    the eight latest decisions, newest first, under a heading that counts them all, not a row (or
    a card with its photos) for each."""
    phone = phones("foreman1")
    phone.login("foreman1")
    page = phone.page
    me = page.evaluate("() => import('/js/db/meta.js').then((meta) => meta.getMeta('user')).then((user) => user.id)")
    pid = page.evaluate("() => import('/js/db/meta.js').then((meta) => meta.getMeta('user')).then((user) => user.memberships[0].project_id)")
    now = dt.datetime.now(dt.timezone.utc)
    tasks, approvals = [], []
    for i in range(60):
        task_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{bucket}-task-{i}"))
        tasks.append({"id": task_id, "data": {"project_id": pid, "title": f"已决定 {i:03d}", "status": task_status}})
        approvals.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{bucket}-approval-{i}")),
                          "updated_at": (now - dt.timedelta(minutes=7 * i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                          "data": {"project_id": pid, "kind": "task_acceptance", "status": decision, "subject_type": "task",
                                   "subject_id": task_id, "requested_by": me, "cycle": 1,
                                   "decision_comment": f"退回原因 {i:03d}" if decision == "rejected" else None}})
    page.evaluate(SEED, ["task", tasks])
    page.evaluate(SEED, ["approval", approvals])
    phone.go_offline()
    page.goto("/")
    section = phone.testid(f"my-day-{bucket.replace('_', '-')}")
    day = page.evaluate(WHOLE_DAY)
    assert len(day[bucket]) >= 60
    expect(section.locator("h3")).to_contain_text(f"({len(day[bucket])})")
    rows = section.get_by_test_id(f"{bucket.replace('_', '-')}-item")
    expect(rows).to_have_count(8)
    assert rows.evaluate_all("(rows) => rows.map((row) => row.dataset.id)") == day[bucket][:8]
    seeded = {a["id"] for a in approvals}
    assert [id for id in day[bucket] if id in seeded] == [a["id"] for a in approvals]  # newest first
    phone.assert_no_errors()
