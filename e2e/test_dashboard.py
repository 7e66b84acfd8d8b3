"""The dashboard on a phone: the figures module in the page gives the hand-computed fixture's
figures, and the dashboard draws from the phone's own data with the network off, at 360 px
and the phone's size, in both languages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import demo_server_env, serving_demo
from layout_audit import Tour, assert_no_problems, dismiss_storage_warning
from test_field_screens import go_offline, log_in, navigate

CASES = json.loads((Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "figures_cases.json")
                   .read_text(encoding="utf-8"))
SLOW_MS = 30_000

# The fixture's records as the page's views: `createdAt` where the wire says `created_at`.
COMPUTE = """async (cases) => {
  const figures = await import('/js/ui/dashboard/figures.js');
  const views = (records) => records.map((r) => ({ id: r.id, createdAt: r.created_at ?? null, fields: r.fields }));
  const records = Object.fromEntries(Object.entries(cases.records).map(([group, list]) => [group, views(list)]));
  return {
    dashboard: figures.dashboardFigures(records, cases.today, cases.now, cases.satisfaction_target),
    paths: cases.critical_path_cases.map((c) => figures.criticalPath(views(c.tasks))),
  };
}"""


@pytest.fixture(scope="module")
def pristine_demo(tmp_path_factory):
    """A server of this module's own with the demo just as it is loaded: the figures below are
    the demo's, whatever other modules' tests added to the shared server before."""
    with serving_demo(demo_server_env(tmp_path_factory, "dashboard"), tmp_path_factory) as url:
        yield url


@pytest.fixture
def browser_context_args(browser_context_args, pristine_demo) -> dict:
    return {**browser_context_args, "base_url": pristine_demo}


def test_the_phones_figures_match_the_hand_computed_fixture(page):
    """figures.js, imported in the page, gives every figure the server's module gives."""
    page.goto("/login")
    expect(page.get_by_test_id("login-submit")).to_be_visible(timeout=SLOW_MS)
    got = page.evaluate(COMPUTE, CASES)
    for name, expected in CASES["expected"].items():
        assert got["dashboard"][name] == expected, name
    assert got["paths"] == [case["expected"] for case in CASES["critical_path_cases"]]


def test_a_change_to_one_task_works_out_the_task_figures_again_and_keeps_the_others(page):
    """The dashboard keeps its figures between redraws (a `keeper`): a redraw with nothing new
    reads only the complaints (the residents' figures read the clock); after one task changed it
    reads the tasks (and the sections, for the progress) and the complaints, never the checks,
    actions, work steps or inspections, and every figure is the one worked out afresh."""
    page.goto("/login")
    expect(page.get_by_test_id("login-submit")).to_be_visible(timeout=SLOW_MS)
    got = page.evaluate("""async (cases) => {
      const figures = await import('/js/ui/dashboard/figures.js');
      const { keeper } = await import('/js/sync/local_view.js');
      const reads = {};
      const counted = (group, views) => new Proxy(views, { get(target, key, receiver) {
        if (key === 'length' || key === Symbol.iterator) reads[group] = (reads[group] ?? 0) + 1;
        return Reflect.get(target, key, receiver);
      } });
      const views = (records) => records.map((r) => ({ id: r.id, createdAt: r.created_at ?? null, fields: r.fields }));
      const plain = Object.fromEntries(Object.entries(cases.records).map(([group, list]) => [group, views(list)]));
      const records = Object.fromEntries(Object.entries(plain).map(([group, list]) => [group, counted(group, list)]));
      const keep = keeper();
      const round = (input) => {
        for (const key of Object.keys(reads)) delete reads[key];
        const kept = figures.dashboardFigures(input, cases.today, cases.now, cases.satisfaction_target, keep);
        const seen = { ...reads };
        return { kept, seen, fresh: figures.dashboardFigures(input, cases.today, cases.now, cases.satisfaction_target) };
      };
      const first = round(records);
      const same = round(records);
      // The first task moves to another section: that section's tile counts one more.
      const elsewhere = plain.tasks[0].fields.section_id === 's3' ? 's1' : 's3';
      const tasks = plain.tasks.map((task, i) => (i === 0 ? { ...task, fields: { ...task.fields, section_id: elsewhere } } : task));
      const oneTask = round({ ...records, tasks: counted('tasks', tasks) });
      return { first, same, oneTask };
    }""", CASES)
    for name, expected in CASES["expected"].items():
        assert got["first"]["kept"][name] == expected, name
    assert set(got["same"]["seen"]) == {"feedback"}, got["same"]["seen"]
    assert set(got["oneTask"]["seen"]) - {"sections"} == {"tasks", "feedback"}, got["oneTask"]["seen"]
    assert got["oneTask"]["kept"] == got["oneTask"]["fresh"]
    assert got["oneTask"]["kept"]["progress"] != got["first"]["kept"]["progress"]


def test_a_section_with_more_planned_tasks_than_a_call_takes_arguments_gets_its_schedule(page):
    """300,000 planned tasks in one section: the section's schedule is found by going through
    them, not by spreading every date into one call (which throws)."""
    page.goto("/login")
    expect(page.get_by_test_id("login-submit")).to_be_visible(timeout=SLOW_MS)
    got = page.evaluate("""async () => {
      const { sectionSchedule } = await import('/js/ui/dashboard/figures.js');
      const start = Date.parse('2026-01-01T00:00:00Z');
      const tasks = Array.from({ length: 300000 }, (_, i) => ({ id: String(i), fields: { section_id: 's1', status: 'todo',
        planned_start: new Date(start + (i % 500) * 86400000).toISOString().slice(0, 10),
        planned_end: new Date(start + (i % 700) * 86400000).toISOString().slice(0, 10) } }));
      return sectionSchedule(tasks, '2026-03-01');
    }""")
    assert got == {"planned_end": "2027-12-01", "forecast_end": "2027-12-01", "deviation_days": 0}


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_dashboard_offline_fits_a_phone_in_both_languages(page, context, locale, screenshot,
                                                          wait_for_service_worker, console_errors):
    """With the network off, the supervisor's dashboard draws every part from the synced demo:
    the critical path, a tile per section, the risk grid's counts, numbers behind a tap."""
    log_in(page, "supervisor1")
    dismiss_storage_warning(page)
    wait_for_service_worker(page)
    navigate(page, "/dashboard")
    expect(page.get_by_test_id("dashboard-schedule")).to_be_visible(timeout=SLOW_MS)
    go_offline(context, page)
    page.reload()
    expect(page.get_by_test_id("dashboard-residents")).to_be_visible(timeout=SLOW_MS)

    # The demo: t5 waits for t3, two tasks of 8 planned days each: the longest chain.
    expect(page.get_by_test_id("critical-path")).to_have_attribute("data-days", "16")
    expect(page.get_by_test_id("progress-tile")).to_have_count(page.get_by_test_id("risk-tile").count())
    assert page.get_by_test_id("progress-tile").count() >= 5
    # Open risks of the demo: c1 graded 3 × 4 (c2, 1 × 2, passed every item but is still open).
    expect(page.get_by_test_id("matrix-3-4")).to_have_attribute("data-count", "1")
    b02 = page.locator('[data-testid="risk-tile"][data-level="significant"]')
    expect(b02).to_have_count(1)
    page.get_by_test_id("matrix-3-4").dispatch_event("click")
    expect(page.get_by_test_id("risk-matrix-caption")).to_contain_text("3")
    page.get_by_test_id("gantt-row").first.dispatch_event("click")
    expect(page.get_by_test_id("gantt-caption")).not_to_be_empty()
    assert page.locator('[data-testid="gantt-row"][data-critical="true"]').count() == 2
    # The demo's quality: ws1 passed every level (mutual only at round 1), ws2 its self level.
    rates = {bar.get_attribute("data-level"): (bar.get_attribute("data-rate"), bar.get_attribute("data-steps"))
             for bar in page.get_by_test_id("first-pass-bar").all()}
    assert rates == {"self": ("100", "2"), "mutual": ("0", "1"), "specialist": ("100", "1")}
    expect(page.get_by_test_id("stat-steps-passed")).to_have_attribute("data-value", "1 / 3")
    page.locator('[data-testid="first-pass-bar"][data-level="mutual"]').dispatch_event("click")
    expect(page.get_by_test_id("first-pass-caption")).to_contain_text("0%")

    tag = "zh" if locale == "zh-CN" else "en"
    tour = Tour(page, locale, screenshot, prefix="dashboard-", tag=tag, who="supervisor1 ")
    page.evaluate("window.scrollTo(0, 0)")
    tour.visit("top")
    for part in ("progress", "risk", "safety", "residents", "quality"):
        tour.visit(part, scroll_to=page.get_by_test_id(f"dashboard-{part}"))
    page.get_by_test_id("dashboard-risk").locator("summary").first.click()
    tour.visit("risk-numbers", scroll_to=page.get_by_test_id("matrix-table"))
    page.get_by_test_id("dashboard-quality").locator("summary").first.click()
    tour.visit("quality-numbers", scroll_to=page.get_by_test_id("first-pass-table"))
    assert_no_problems(tour)
    assert console_errors == []


def test_report_button_downloads_the_days_pdf(page, wait_for_service_worker):
    """Online, the report button fetches today's PDF and saves it under the project's code."""
    log_in(page, "supervisor1")
    dismiss_storage_warning(page)
    navigate(page, "/dashboard")
    expect(page.get_by_test_id("report-day")).to_be_visible(timeout=SLOW_MS)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_test_id("report-day").click()
    saved = download.value
    assert saved.suggested_filename.startswith("DEMO-day-") and saved.suggested_filename.endswith(".pdf")
    assert Path(saved.path()).read_bytes()[:5] == b"%PDF-"


def test_planned_dates_typed_in_the_task_form_draw_the_task_on_the_gantt(page, context, wait_for_service_worker):
    """A task planned in the form (offline) is on the schedule at once; an end before the
    start is refused in words."""
    log_in(page, "supervisor1")
    dismiss_storage_warning(page)
    wait_for_service_worker(page)
    go_offline(context, page)
    # A page load, served offline by the service worker: a tap-like move made while home is
    # still being drawn after the login can be overtaken by that drawing.
    page.goto("/tasks/new")
    page.get_by_test_id("task-title").fill("检查井砌筑")
    page.get_by_test_id("task-planned-start").fill("2026-12-10")
    page.get_by_test_id("task-planned-end").fill("2026-12-08")
    page.get_by_test_id("task-save").click()
    expect(page.get_by_test_id("task-planned-end")).to_have_attribute("aria-invalid", "true")
    page.get_by_test_id("task-planned-end").fill("2026-12-14")
    page.get_by_test_id("task-save").click()
    expect(page).to_have_url(re.compile(r"/r/task/"), timeout=SLOW_MS)
    task_id = page.url.rsplit("/", 1)[1]
    navigate(page, "/dashboard")
    row = page.locator(f'[data-testid="gantt-row"][data-id="{task_id}"]')
    expect(row).to_have_count(1, timeout=SLOW_MS)
    row.dispatch_event("click")
    expect(page.get_by_test_id("gantt-caption")).to_contain_text("检查井砌筑")


STAMPS = """async () => {
  const { stateStamps } = await import('/js/sync/record_types.js');
  const now = new Date('2026-11-20T02:30:00Z');
  const task = (fields) => ({ type: 'task', fields });
  return {
    start: stateStamps(task({}), 'doing', now),
    restart: stateStamps(task({ actual_start: '2026-11-01' }), 'doing', now),
    finish: stateStamps(task({ actual_start: '2026-11-01', actual_end: '2026-11-10' }), 'done', now),
    answer: stateStamps({ type: 'feedback', fields: {} }, 'acknowledged', now),
    verify: stateStamps({ type: 'action', fields: {} }, 'verified', now),
    other: stateStamps({ type: 'approval', fields: {} }, 'approved', now),
  };
}"""


def test_a_status_move_stamps_the_dates_the_figures_use(page):
    """Starting work stamps the day once, finishing stamps it each time, a first answer and a
    verification stamp the UTC time; other moves stamp nothing."""
    page.goto("/login")
    expect(page.get_by_test_id("login-submit")).to_be_visible(timeout=SLOW_MS)
    got = page.evaluate(STAMPS)
    assert set(got["start"]) == {"actual_start"} and re.fullmatch(r"\d{4}-\d{2}-\d{2}", got["start"]["actual_start"])
    assert got["restart"] == {}
    assert set(got["finish"]) == {"actual_end"}
    assert got["answer"] == {"responded_at": "2026-11-20T02:30:00Z"}
    assert got["verify"] == {"verified_at": "2026-11-20T02:30:00Z"}
    assert got["other"] == {}


LONG_GANTT = """async () => {
  const { GanttChart } = await import('/js/ui/dashboard/gantt_chart.js');
  const name = '交通导改区（北段 K0+000–K0+350，含解放路与中山路交叉口临时便道）';
  const chart = GanttChart({
    sections: [{ id: 's1', fields: { code: 'A01', name } }],
    tasks: [
      { id: 't1', fields: { section_id: 's1', title: '北段围挡及导向标志设置、夜间警示灯与临时便道铺设', planned_start: '2026-11-01', planned_end: '2026-11-10', actual_start: '2026-11-01', status: 'doing', depends_on: [] } },
      { id: 't2', fields: { section_id: 's1', title: 'Night-time traffic management plan for the southern half', planned_start: '2026-11-08', planned_end: '2026-11-20', depends_on: ['t1'] } },
    ],
    critical: { ids: ['t1', 't2'], days: 20 }, today: '2026-11-04',
  });
  const main = document.querySelector('main') ?? document.body;
  main.replaceChildren(chart);
  const svg = chart.querySelector('svg');
  const limit = svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('.gantt-section, .gantt-label')].map((node) => ({
    right: node.getBBox().x + node.getBBox().width, text: node.firstChild.textContent, cut: node.getAttribute('data-cut'),
  }));
  return { name: `A01 ${name}`, limit, texts, title: svg.querySelector('[data-testid="gantt-section"] title')?.textContent };
}"""


def test_long_names_on_the_gantt_stop_at_its_edge_and_are_given_whole_on_a_tap(page, screenshot):
    """At 360 px a section name or a task title longer than the chart is cut with an ellipsis
    inside it (not run off its edge), and tapping the section gives its whole name."""
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/login")
    expect(page.get_by_test_id("login-submit")).to_be_visible(timeout=SLOW_MS)
    got = page.evaluate(LONG_GANTT)
    assert all(text["right"] <= got["limit"] for text in got["texts"]), got["texts"]
    assert got["texts"][0]["cut"] == "true" and got["texts"][0]["text"].endswith("…")
    assert got["title"] == got["name"]
    page.get_by_test_id("gantt-section").dispatch_event("click")
    expect(page.get_by_test_id("gantt-caption")).to_have_text(got["name"])
    screenshot(page, "dashboard-gantt-long-names-360")
