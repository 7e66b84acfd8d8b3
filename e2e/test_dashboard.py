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
    reads no list (the residents' figures read the clock only through how many deadlines not
    answered have passed, counted in the deadlines sorted once); after one task changed it reads
    the tasks (and the sections, for the progress), never the checks, actions, complaints, work
    steps or inspections, and every figure is the one worked out afresh; a year later, with every
    deadline passed, the residents' figures are worked out again and are the fresh ones."""
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
      const round = (input, now = cases.now) => {
        for (const key of Object.keys(reads)) delete reads[key];
        const kept = figures.dashboardFigures(input, cases.today, now, cases.satisfaction_target, keep);
        const seen = { ...reads };
        return { kept, seen, fresh: figures.dashboardFigures(input, cases.today, now, cases.satisfaction_target) };
      };
      const first = round(records);
      const same = round(records);
      // The first task moves to another section: that section's tile counts one more.
      const elsewhere = plain.tasks[0].fields.section_id === 's3' ? 's1' : 's3';
      const tasks = plain.tasks.map((task, i) => (i === 0 ? { ...task, fields: { ...task.fields, section_id: elsewhere } } : task));
      const oneTask = round({ ...records, tasks: counted('tasks', tasks) });
      const later = new Date(Date.parse(cases.now) + 365 * 86_400_000).toISOString();
      const yearLater = round({ ...records, tasks: counted('tasks', tasks) }, later);
      return { first, same, oneTask, yearLater };
    }""", CASES)
    for name, expected in CASES["expected"].items():
        assert got["first"]["kept"][name] == expected, name
    assert got["same"]["seen"] == {}, got["same"]["seen"]
    assert set(got["oneTask"]["seen"]) - {"sections"} == {"tasks"}, got["oneTask"]["seen"]
    assert got["oneTask"]["kept"] == got["oneTask"]["fresh"]
    assert got["yearLater"]["kept"] == got["yearLater"]["fresh"]
    assert got["yearLater"]["kept"]["residents"] != got["oneTask"]["kept"]["residents"]
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


PATCHED = """async () => {
  const lv = await import('/js/sync/local_view.js');
  const { enqueue } = await import('/js/sync/outbox.js');
  const { forgetLoadedRecords, readRecords, savePulledPage } = await import('/js/db/records.js');
  const { getMeta } = await import('/js/db/meta.js');
  const figures = await import('/js/ui/dashboard/figures.js');
  const { sortedList } = await import('/js/ui/records/record_list_screen.js');
  // Made afresh, a list's order is the order its records were loaded in; the same records it must hold.
  const shown = (views) => JSON.stringify(views.map((v) => [v.id, v.fields, v.pending, v.serverSeq]).sort(([a], [b]) => (a < b ? -1 : 1)));
  const plan = (view) => (view?.fields.planned_start && view.fields.planned_end
    ? JSON.stringify([view.fields.planned_start, view.fields.planned_end, view.fields.depends_on ?? []]) : null);
  const order = (views, ids) => views.map((view) => view.id).filter((id) => ids.has(id));
  const sections = [...await lv.loadViewList('section')];
  const start = await lv.loadViewList('task');
  const projectId = start[0].fields.project_id;
  const mine = (view) => view.fields.project_id === projectId;
  const planned = start.find((task) => task.fields.planned_start && task.fields.planned_end);
  const [plain, other, third] = start.filter((task) => task.fields.section_id && task.id !== planned.id && !['done', 'accepted'].includes(task.fields.status));
  const elsewhere = sections.find((section) => section.id !== plain.fields.section_id).id;
  const created = crypto.randomUUID();
  const keep = lv.keeper();
  const day = '2026-12-01';
  const figuresOf = (tasks, held) => figures.dashboardFigures({ sections, tasks }, day, '2026-12-01T08:00:00Z', 95, held);
  const steps = [
    ['progress of a pulled task', async () => enqueue([{ op: 'put', type: 'task', id: plain.id, fields: { progress: 55 } }])],
    ['a task made on the phone', async () => enqueue([{ op: 'put', type: 'task', id: created, fields: { project_id: projectId, title: '新建任务', section_id: plain.fields.section_id } }])],
    ['that task moved to another section', async () => enqueue([{ op: 'put', type: 'task', id: created, fields: { section_id: elsewhere } }])],
    ['a planned end moved', async () => enqueue([{ op: 'put', type: 'task', id: planned.id, fields: { planned_end: '2027-03-01' } }])],
    ['a pulled task changed by a pull', async () => {
      const [record] = await readRecords('task', [other.id]);
      await savePulledPage([{ ...record, seq: record.seq + 1, data: { ...record.data, progress: 5, title: '拉取后的任务' } }], await getMeta('cursor'));
    }],
    ['a pulled task deleted on the phone', async () => enqueue([{ op: 'delete', type: 'task', id: other.id }])],
    ['a pulled task deleted by a pull', async () => {
      const [record] = await readRecords('task', [third.id]);
      await savePulledPage([{ type: 'task', id: third.id, seq: record.seq + 1, deleted: true }], await getMeta('cursor'));
    }],
  ];
  // Home's kind of list and count, with the views each looks at counted.
  let looked = 0;
  const open = (view) => { looked += 1; return ['todo', 'doing', undefined].includes(view.fields.status); };
  const due = (view) => String(view.fields.due_date ?? '9999');
  const ids = (views) => JSON.stringify(views.map((view) => view.id));
  const out = [];
  for (const [name, change] of steps) {
    const whole = await lv.loadViewList('task');
    const before = lv.filteredViews(whole, 'project', mine);
    const keptFigures = figuresOf(before, keep);
    lv.sortedViews(whole, 'open by due', { filter: open, sortKey: due });
    lv.countedViews(whole, 'open', open);
    sortedList(whole, 'task');
    await change();
    const list = await lv.loadViewList('task');
    const patch = lv.patchOf(list);
    const tasks = lv.filteredViews(list, 'project', mine);
    const got = figuresOf(tasks, keep);
    const fresh = figuresOf([...list].filter(mine));
    looked = 0;
    const sorted = lv.sortedViews(list, 'open by due', { filter: open, sortKey: due });
    const count = lv.countedViews(list, 'open', open);
    const lookedAt = looked;
    const copy = [...list];
    const home = ids(sorted) === ids(lv.sortedViews(copy, 'open by due', { filter: open, sortKey: due })) && count === lv.countedViews(copy, 'open', open)
      && ids(sortedList(list, 'task')) === ids(sortedList(copy, 'task'));
    const touched = new Set((patch?.changes ?? []).flat().filter(Boolean).map((view) => view.fields.section_id));
    forgetLoadedRecords();
    const afresh = await lv.loadViewList('task');
    out.push({
      name, patched: patch !== null, changes: patch?.changes.length ?? null, filteredPatched: lv.patchOf(tasks) !== null,
      sameList: shown(list) === shown(afresh), sameFigures: JSON.stringify(got) === JSON.stringify(fresh),
      inPlace: (() => {
        const unchanged = new Set(whole.map((view) => view.id).filter((id) => !patch?.changes.some((pair) => pair.some((view) => view?.id === id))));
        return JSON.stringify(order(list, unchanged)) === JSON.stringify(order(whole, unchanged))
          && list.every((view, i) => !unchanged.has(view.id) || whole.includes(view));
      })(),
      rowsKept: got.progress.every((row, i) => touched.has(row.section_id) || row === keptFigures.progress[i]),
      rowsRedone: got.progress.filter((row, i) => row !== keptFigures.progress[i]).length,
      pathKept: got.critical_path === keptFigures.critical_path,
      planMoved: (patch?.changes ?? []).some(([was, is]) => plan(was) !== plan(is)),
      home, lookedAt, tasks: list.length,
    });
  }
  return out;
}"""


def test_a_change_to_one_record_patches_the_lists_and_works_out_only_what_it_touches(page, context, wait_for_service_worker):
    """After one task is changed (queued on the phone, or pulled), the list of tasks is the last
    one with that task's view replaced, added or taken out (the other views the same objects in
    the same order), and holds what the list made afresh holds; the
    project's filtered list is patched the same way; the progress rows of the sections the task
    was or is in are worked out again and the others kept; the critical path is kept unless a
    planned task's dates or dependencies changed; and every figure equals the one worked out
    afresh. A sorted list of open tasks and their count (home's) look at the changed views alone
    and equal the ones worked out afresh, as does the task list's order."""
    log_in(page, "supervisor1")
    wait_for_service_worker(page)
    go_offline(context, page)  # the changes stay queued: no push answers them meanwhile
    navigate(page, "/more")
    steps = {step["name"]: step for step in page.evaluate(PATCHED)}
    for name, step in steps.items():
        assert step["patched"] and step["filteredPatched"] and step["changes"] == 1, step
        assert step["sameList"] and step["inPlace"] and step["sameFigures"] and step["rowsKept"], step
        # A sorted list and a count of the tasks look at the changed task's views alone.
        assert step["home"] and step["lookedAt"] <= 4 < step["tasks"], step
    assert steps["progress of a pulled task"]["rowsRedone"] == 1
    assert steps["that task moved to another section"]["rowsRedone"] == 2
    # The critical path reads the planned tasks' dates and dependencies alone.
    assert all(step["pathKept"] == (not step["planMoved"]) for step in steps.values()), steps
    assert steps["a planned end moved"]["planMoved"] and not steps["progress of a pulled task"]["planMoved"]


def test_the_dashboard_draws_again_only_the_parts_a_change_touches(page, context, wait_for_service_worker):
    """A change to a task's progress redraws the progress tiles and leaves the Gantt as it was
    drawn (the same element); a new title of a task on the Gantt draws the Gantt again."""
    log_in(page, "supervisor1")
    wait_for_service_worker(page)
    go_offline(context, page)
    navigate(page, "/dashboard")
    gantt = page.get_by_test_id("gantt")
    expect(gantt).to_be_visible(timeout=SLOW_MS)
    page.evaluate("() => { document.querySelector('[data-testid=gantt]').dataset.drawn = 'first'; }")
    task = page.evaluate("""async () => {
      const { loadViewList } = await import('/js/sync/local_view.js');
      const { enqueue } = await import('/js/sync/outbox.js');
      const drawn = new Set([...document.querySelectorAll('[data-testid=gantt-row]')].map((row) => row.dataset.id));
      const task = (await loadViewList('task')).find((view) => drawn.has(view.id) && !['done', 'accepted'].includes(view.fields.status));
      await enqueue([{ op: 'put', type: 'task', id: task.id, fields: { progress: (task.fields.progress ?? 0) >= 50 ? 0 : 100 } }]);
      return { id: task.id, section: task.fields.section_id };
    }""")
    tile = page.locator(f'[data-testid="progress-tile"][data-section="{task["section"]}"]')
    expect(tile).not_to_have_attribute("data-progress", tile.get_attribute("data-progress"), timeout=SLOW_MS)
    assert page.evaluate("() => document.querySelector('[data-testid=gantt]').dataset.drawn") == "first"
    page.evaluate("""async (id) => {
      const { enqueue } = await import('/js/sync/outbox.js');
      await enqueue([{ op: 'put', type: 'task', id, fields: { title: '回填土方（重排）' } }]);
    }""", task["id"])
    expect(page.locator(f'[data-testid="gantt-row"][data-id="{task["id"]}"]')).to_contain_text("回填土方", timeout=SLOW_MS)
    assert page.evaluate("() => document.querySelector('[data-testid=gantt]').dataset.drawn") is None
