"""A first sync of many pages: the screen open hears of the records pulled now and then, not
after every page (each time it hears, home works its lists out again from every record), and
always once the last page, or the last page stored before a pull stopped, is in."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from conftest import DEMO_PASSWORD, Phone, ServerApi, demo_server_env, serving_demo, ui_text

TASKS = 2_600  # six pages of 500 with the demo's records
PAGES_AT_LEAST = 6
# pwa/js/sync/pull.js: while more pages follow, an announcement at most this often.
ANNOUNCE_EVERY_MS = 2_000

# Every `records` announcement the app makes (it posts each one to the app's other tabs too),
# and every pull that brought records, on the page's clock.
HEAR = """() => {
  window.__announced = [];
  new BroadcastChannel('gridline-changes').onmessage = (event) => {
    if (event.data === 'records') window.__announced.push(performance.now());
  };
}"""
# A later sync's pull with nothing new answers ~150 bytes; a page with a record, more.
PULLED = """() => performance.getEntriesByType('resource')
  .filter((entry) => entry.name.includes('/api/sync/pull') && entry.encodedBodySize > 300)
  .map((entry) => entry.responseEnd)"""


@pytest.fixture(scope="module")
def large_project(tmp_path_factory):
    """A server of this module's own whose demo project has TASKS more tasks (the shared
    server's other tests would pull them at every login); its URL and how many tasks it holds."""
    with serving_demo(demo_server_env(tmp_path_factory, "first-sync"), tmp_path_factory) as url:
        admin = ServerApi(url, "admin1")
        demo = admin.get(f"/api/sync/pull?client_id={admin.client_id}&limit=1000")
        assert not demo["has_more"]
        demo_tasks = sum(1 for change in demo["changes"] if change["type"] == "task" and not change["deleted"])
        drafts = [{"op": "put", "type": "task", "id": str(uuid.uuid4()),
                   "fields": {"project_id": admin.project_id, "title": f"批量任务 {i:04d}"}}
                  for i in range(TASKS)]
        for start in range(0, TASKS, 500):
            assert all(r["status"] == "applied" for r in admin.push(*drafts[start:start + 500]))
        # A foreman new to the project: nothing of the project is his, so his day is quiet.
        status, made = admin.request("POST", "/api/admin/users", {
            "username": "newforeman", "name": "新工长", "password": DEMO_PASSWORD})
        assert status == 201, made
        status, body = admin.request("PUT", f"/api/projects/{admin.project_id}/members/{made['id']}",
                                     {"roles": ["foreman"]})
        assert status == 200, body
        yield url, demo_tasks + TASKS


@pytest.fixture
def browser_context_args(browser_context_args, large_project) -> dict:
    return {**browser_context_args, "base_url": large_project[0]}


def _phone(new_context) -> Phone:
    context = new_context()
    context.add_init_script(f"({HEAR})()")
    return Phone(context)


def _until(phone: Phone, done, what: str) -> None:
    """Waits (up to 30 s) for `done()`, a condition on what the test's route handler saw."""
    for _ in range(300):
        if done():
            return
        phone.page.wait_for_timeout(100)
    raise AssertionError(what)


def test_a_first_sync_of_many_pages_tells_the_screen_now_and_then_and_after_the_last_page(new_context, large_project):
    tasks = large_project[1]
    phone = _phone(new_context)
    phone.login("admin1")
    announced = phone.page.evaluate("window.__announced")
    pulled = phone.page.evaluate(PULLED)
    assert len(pulled) >= PAGES_AT_LEAST, pulled
    # The first page at once; then at least ANNOUNCE_EVERY_MS apart while more pages came.
    assert 0 < len(announced) < len(pulled), (announced, pulled)
    gaps = [later - earlier for earlier, later in zip(announced[:-1], announced[1:-1])]
    # (Heard on a channel, each a task of its own: a busy page may hear one late.)
    assert all(gap >= ANNOUNCE_EVERY_MS * 0.75 for gap in gaps), (gaps, announced, pulled)
    # The last page was heard of once it was in.
    assert announced[-1] > pulled[-1], (announced, pulled)
    phone.page.goto("/tasks")
    expect(phone.testid("task-count")).to_have_attribute("data-count", str(tasks))
    phone.assert_no_errors()


def test_a_pull_that_stops_part_way_still_tells_the_screen_of_the_pages_it_stored(new_context):
    phone = _phone(new_context)
    asked = []

    def fourth_page_lost(route):
        asked.append(route.request.url)
        if len(asked) == 4:
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.page.route("**/api/sync/pull?*", fourth_page_lost)
    phone.submit_login("admin1")
    _until(phone, lambda: len(asked) >= 4, f"the first sync asked for its fourth page: {asked}")
    # The pages stored before the fourth was lost are heard of at once, within the interval too,
    # before the sync tries again.
    phone.page.wait_for_function("""() => {
      const pulled = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/sync/pull'));
      const retried = pulled[4]?.startTime ?? Infinity; // the fourth is the one lost
      return window.__announced.some((at) => at > pulled[2].responseEnd && at < retried);
    }""")


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_until_the_first_sync_is_in_my_day_says_nothing_is_due_so_far_not_today(new_context, locale):
    """While the project is still arriving, a quiet day is quiet so far: what is not on the
    phone yet may be due today. Once the first sync has finished, it is quiet for today."""
    phone = _phone(new_context)
    held = []

    def second_page_held(route):
        if held or "cursor=" not in route.request.url:
            route.continue_()
        else:
            held.append(route)  # answered below, once the test has looked

    phone.page.route("**/api/sync/pull?*", second_page_held)
    phone.submit_login("newforeman")
    # The second page is asked for once the first has come (home may draw before either).
    _until(phone, lambda: held, "the first sync asked for its second page")
    quiet = phone.testid("my-day-nothing")
    expect(quiet).to_have_attribute("data-arriving", "true")
    expect(quiet).to_have_text(ui_text(locale, "myDay.nothingYet"))
    expect(phone.testid("status-bar")).to_have_attribute("data-phase", "pulling")
    held[0].continue_()
    phone.wait_synced("0")
    expect(quiet).to_have_attribute("data-arriving", "false")
    expect(quiet).to_have_text(ui_text(locale, "myDay.nothing"))
    phone.assert_no_errors()
