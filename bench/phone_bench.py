#!/usr/bin/env python
"""The app on a slow phone with a large project, run by hand (not part of the test suite).

    .venv/bin/python bench/phone_bench.py [--sizes 10000,50000] [--runs 3]
                                          [--before REF] [--before-sizes 10000]
                                          [--complaints 10000] [--documents 10000]
                                          [--actions 10000] [--work-steps 10000]
                                          [--checks 10000] [--planned 10000]
                                          [--approvals 10000]

For each project size, a SQLite database gets the demo project and that many tasks (pushed
through the real request path, `sync_bench.Workload`), and gunicorn serves it. Chromium,
as a phone (390×844) with the CPU slowed 4× through the DevTools protocol
(`Emulation.setCPUThrottlingRate`, Lighthouse's mobile setting), then measures in turn:

1. raw      the floor: fetch every pull page (500 records), parse it and write it into a
            scratch IndexedDB database, one transaction per page, no app code.
2. sync     the app's first sync after login, from the tap on "log in" until the status bar
            says it is idle with every record stored; and how long until home is drawn.
3. tasks    a tap on "Tasks" in the app until the first task shows; a fresh load of /tasks
            with no first rows kept until the first task shows; then a fresh load (the app
            started from nothing, the rows shown first kept) until it shows, and until the whole
            list is counted (the first rows may show before every task is read); the element count.
4. heap     the JS heap (after a garbage collection) once synced, and with the task list open.
4b. approvals  the supervisor's inbox (/approvals) loaded afresh until it counts the approvals
            waiting, beside the floor of a fresh load ("More", which reads no records); with
            `--approvals N`, N more tasks are seeded done and asked to be accepted, nine in ten
            of them approved. Both also timed in the page: from the navigation's start until the
            frame after the count (or the user's name) is drawn. The page's sync starts once the
            screen is drawn, and it can keep the page busy for a while after that frame; Playwright
            hears of the element only then, so the time from the `goto` can be longer than the one
            a user sees.
5. complaints  with `--complaints N` (N complaints seeded beside the tasks): /feedback loaded
            for the first time with no first rows kept, until the first complaint shows; again
            for the first time after the app synced and sat idle on "More" (a PWA that works out
            the lists' first rows ahead keeps them then); then loaded afresh again (the app
            started from nothing, the rows it showed first kept) until the first complaint
            shows, and until the whole list is counted.
6. documents, actions, work steps, checks  with `--documents N`, `--actions N`,
            `--work-steps N`, `--checks N` (N drawings, open corrective actions, work steps or
            open safety checks seeded beside the tasks): /documents,
            /records/action, /records/work_step and /checks measured as the complaints are.
            Each list measured reports its element count.
7. dashboard  with `--planned N` (N tasks with planned dates, in chains of 20 per section,
            seeded beside the tasks): /dashboard loaded afresh until its Gantt chart is drawn,
            its element count, and the JS heap with it open.
8. one change  with `--one-change`: with home open, then the task list (and the dashboard, with
            `--planned`), a change to one task is queued on the phone, three times; the median CPU
            time (sampled by the DevTools profiler) spent in the app's own code until it has
            redrawn and sent it.

With `--before REF` the PWA of that git revision (say `main`) is measured too, served by the
same server from an export of its `pwa/`, alternating with this tree's in every run, so
both see the same machine. Medians go to stdout as Markdown; `--json FILE` keeps every figure.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_bench import (  # noqa: E402
    PASSWORD, ROOT, WRITERS, BenchDb, InProcess, Workload, demo_ids, dispose, free_port, machine,
    make_app)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
USER = "admin1"  # sees every record of the project
SLOWDOWN = 4
# A row of the task list (home lists tasks too, in a list of its own).
TASK_ROW = "[data-testid=record-list][data-type=task] [data-testid=record-item]"
# The task list's count, set once every task is read.
TASKS_COUNTED = "[data-testid=task-count][data-count]"
COMPLAINT_ROW = "a[data-testid=record-item][data-type=feedback]"
# The complaints list once every complaint is read (it counts them).
COMPLAINTS_COUNTED = "[data-testid=record-list][data-type=feedback][data-total]"
LIMIT_S = 180  # a step slower than this is reported as "> 180 s"

# The floor: the same pages fetched, parsed and written, one transaction per page.
RAW_SYNC = """async ([username, password]) => {
  const login = await fetch('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }) });
  const { token } = await login.json();
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('bench-raw', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('records', { keyPath: ['type', 'id'] })
      .createIndex('by_type', 'type');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const clientId = crypto.randomUUID();
  const start = performance.now();
  let cursor = null, received = 0;
  for (;;) {
    const query = new URLSearchParams({ client_id: clientId, limit: '500' });
    if (cursor) query.set('cursor', cursor);
    const response = await fetch(`/api/sync/pull?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    const page = await response.json();
    await new Promise((resolve, reject) => {
      const tx = db.transaction('records', 'readwrite');
      const store = tx.objectStore('records');
      for (const change of page.changes) store.put({ type: change.type, id: change.id, seq: change.seq, data: change.data,
        updated_by: change.updated_by, updated_at: change.updated_at, created_by: change.created_by });
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    received += page.changes.length;
    cursor = page.cursor;
    if (!page.has_more) break;
  }
  const seconds = (performance.now() - start) / 1000;
  db.close();
  await new Promise((resolve) => { const gone = indexedDB.deleteDatabase('bench-raw'); gone.onsuccess = gone.onerror = resolve; });
  return { seconds, received };
}"""

SYNCED = """() => {
  const bar = document.querySelector('[data-testid=status-bar]');
  const last = document.querySelector('[data-testid=last-sync]');
  return bar?.dataset.phase === 'idle' && Boolean(last?.dataset.time);
}"""


CATEGORIES = ("noise", "dust", "traffic", "access", "safety", "other")
DISCIPLINES = ("给排水", "道路", "电气", "结构")


def new_records(workload: Workload, count: int, type_name: str, fields_of) -> list[dict]:
    """`count` puts of new `type_name` records from `workload`'s device; `fields_of(mid)` gives
    each one's fields."""
    mutations = []
    for _ in range(count):
        workload.mid += 1
        mutations.append({"mid": workload.mid, "op": "put", "type": type_name, "id": str(uuid.uuid4()),
                          "hlc": workload.hlc(), "fields": fields_of(workload.mid)})
    return mutations


def complaints(workload: Workload, count: int) -> list[dict]:
    """`count` new complaints logged on `workload`'s device, across the sections."""
    return new_records(workload, count, "feedback", lambda mid: {
        "project_id": workload.project, "section_id": workload.sections[mid % len(workload.sections)],
        "category": CATEGORIES[mid % len(CATEGORIES)], "channel": "phone",
        "description": f"Dust from the trench at No. {mid} blows into the shop",
        "location": f"Jiefang Road No. {mid % 400}"})


def documents(workload: Workload, count: int) -> list[dict]:
    """`count` new drawings registered on `workload`'s device (no versions: the list reads the
    documents, and a document without a version says so)."""
    return new_records(workload, count, "document", lambda mid: {
        "project_id": workload.project, "kind": "drawing", "number": f"施-{mid:05d}",
        "title": f"雨水管线平面图 第 {mid} 张", "discipline": DISCIPLINES[mid % len(DISCIPLINES)],
        "section_ids": {"add": [workload.sections[mid % len(workload.sections)]]}})


def actions(workload: Workload, count: int) -> list[dict]:
    """`count` new open corrective actions, with deadlines over three months."""
    return new_records(workload, count, "action", lambda mid: {
        "project_id": workload.project, "description": f"W{mid} 段槽边堆土距槽边不足 1 m，清运",
        "deadline": (dt.date(2026, 11, 1) + dt.timedelta(days=mid % 90)).isoformat()})


def work_steps(workload: Workload, count: int) -> list[dict]:
    """`count` new work steps across the sections."""
    return new_records(workload, count, "work_step", lambda mid: {
        "project_id": workload.project, "section_id": workload.sections[mid % len(workload.sections)],
        "step": ("沟槽开挖", "管道安装", "回填")[mid % 3], "crew": f"管道{mid % 7 + 1}班"})


def checks(workload: Workload, count: int) -> list[dict]:
    """`count` new safety checks over two months (open: a check is closed only after its
    corrective steps)."""
    return new_records(workload, count, "safety_check", lambda mid: {
        "project_id": workload.project, "section_id": workload.sections[mid % len(workload.sections)],
        "date": (dt.date(2026, 11, 1) + dt.timedelta(days=mid % 60)).isoformat(), "results": {"A1": "pass"}})


def planned_tasks(workload: Workload, count: int) -> list[dict]:
    """`count` new tasks with planned spans over two years, each section's in chains of 20
    where each waits for the one before (the Gantt's links and the critical path)."""
    start = dt.date(2026, 1, 1)
    made = []

    def fields(mid: int) -> dict:
        begin = start + dt.timedelta(days=(mid * 7) % 700)
        data = {"project_id": workload.project, "section_id": workload.sections[(mid // 20) % len(workload.sections)],
                "title": f"排水管 W{mid} 段开槽", "planned_start": begin.isoformat(),
                "planned_end": (begin + dt.timedelta(days=3 + mid % 25)).isoformat()}
        if made and mid % 20:
            data["depends_on"] = {"add": [made[-1]["id"]]}
        return data

    for _ in range(count):
        made.extend(new_records(workload, 1, "task", fields))
    return made


def acceptances(workload: Workload, count: int) -> list[dict]:
    """`count` tasks done, for each of which the server opens an acceptance; nine in ten of those
    are then approved, so a tenth wait in the supervisor's inbox."""
    from server.approvals.table import approval_id
    tasks = new_records(workload, count, "task", lambda mid: {
        "project_id": workload.project, "section_id": workload.sections[mid % len(workload.sections)],
        "title": f"检查井 J{mid} 砌筑"})

    def moved(type_name: str, record_id: str, fields: dict) -> dict:
        workload.mid += 1
        return {"mid": workload.mid, "op": "put", "type": type_name, "id": record_id, "hlc": workload.hlc(), "fields": fields}

    moves = [moved("task", task["id"], {"status": state}) for state in ("doing", "done") for task in tasks]
    decisions = [moved("approval", approval_id("task", task["id"], "task_acceptance", 1), {"status": "approved"})
                 for i, task in enumerate(tasks) if i % 10]
    return tasks + moves + decisions


SEEDERS = {"complaints": complaints, "documents": documents, "actions": actions, "work_steps": work_steps,
           "checks": checks, "planned": planned_tasks, "approvals": acceptances}


def seed(workdir: Path, size: int, label: str = "phone", extra: dict | None = None) -> Path:
    """A SQLite database with the demo project, `size` more tasks and `extra[kind]` records of
    each kind of `SEEDERS`; returns its path."""
    bench_db = BenchDb("sqlite", workdir, f"{label}-{size}")
    app = make_app(bench_db, workdir)
    ids = demo_ids()
    writers = [(InProcess(app, name), Workload(ids, name, seed=i)) for i, name in enumerate(WRITERS)]
    left, turn = size, 0
    while left > 0:
        device, workload = writers[turn % len(writers)]
        batch = min(200, left)
        device.push(workload.body(workload.batch(batch, creates_only=True)), batch)
        left -= batch
        turn += 1
    device, workload = writers[WRITERS.index("admin1")]
    for kind, left in (extra or {}).items():
        make = SEEDERS[kind]
        while left > 0:
            batch = min(200, left)
            made = make(workload, batch)
            for start in range(0, len(made), 200):
                device.push(workload.body(made[start:start + 200]), len(made[start:start + 200]))
            left -= batch
    dispose(app)
    return bench_db.path


class Server:
    """gunicorn (2 workers) on one database, serving the PWA from `pwa_dir`."""

    def __init__(self, db_path: Path, pwa_dir: Path, workdir: Path):
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "PWA_DIR": str(pwa_dir),
               "BLOB_DIR": str(workdir / "blobs"), "SECRET_KEY": "bench-secret",
               "LOGIN_RATE_LIMIT": "1000 per minute"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        import urllib.request
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# The first rows every list kept (db/first_pages.js), forgotten from a page that is not the app,
# so no list running in the app writes them back.
FORGET_FIRST_ROWS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('gridline');
  open.onsuccess = () => {
    const tx = open.result.transaction('meta', 'readwrite');
    tx.objectStore('meta').delete('first_pages');
    tx.oncomplete = () => { open.result.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
  open.onerror = () => reject(open.error);
})"""

KEPT_FIRST_ROWS = """(address) => new Promise((resolve) => {
  const open = indexedDB.open('gridline');
  open.onsuccess = () => {
    const get = open.result.transaction('meta').objectStore('meta').get('first_pages');
    get.onsuccess = () => { open.result.close(); resolve((get.result ?? []).some(([at]) => at === address)); };
    get.onerror = () => resolve(false);
  };
  open.onerror = () => resolve(false);
})"""


def forget_first_rows(page) -> None:
    page.goto("/manifest.webmanifest")
    page.evaluate(FORGET_FIRST_ROWS)


def wait_kept(page, address: str, limit_s: float = 15) -> bool:
    """Whether the app kept first rows for `address` within `limit_s` (a PWA without the
    first rows worked out ahead never does)."""
    deadline = time.perf_counter() + limit_s
    while time.perf_counter() < deadline:
        if page.evaluate(KEPT_FIRST_ROWS, address):
            return True
        page.wait_for_timeout(250)
    return False


def heap_mb(cdp) -> float:
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6


# A change to one task queued on the phone, as the task form saves one.
QUEUE_ONE_CHANGE = """async (progress) => {
  const { loadViewList } = await import('/js/sync/local_view.js');
  const { enqueue } = await import('/js/sync/outbox.js');
  const tasks = await loadViewList('task');
  await enqueue([{ op: 'put', type: 'task', id: tasks[0].id, fields: { progress } }]);
}"""


def app_js_ms(page, cdp, url: str, changes: int = 3, settle_ms: int = 4000) -> float:
    """Median, over `changes` changes to one task queued while `url` is open, of the CPU time
    (sampled) spent in the app's own code until the screen has redrawn and the change is sent."""
    page.goto(url)
    page.wait_for_timeout(settle_ms)
    origin = page.evaluate("location.origin")
    spent = []
    for n in range(changes):
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        page.evaluate(QUEUE_ONE_CHANGE, 10 + n)
        page.wait_for_timeout(settle_ms)
        profile = cdp.send("Profiler.stop")["profile"]
        ours = {node["id"] for node in profile["nodes"] if node["callFrame"]["url"].startswith(origin)}
        spent.append(sum(delta for sample, delta in zip(profile["samples"], profile["timeDeltas"]) if sample in ours) / 1000)
    return statistics.median(spent)


def fresh_load(page, path: str, row: str, counted: str) -> tuple[float, float]:
    """Seconds from loading `path` afresh until its first `row` shows, and until `counted` (the
    whole list read)."""
    start = time.perf_counter()
    page.goto(path)
    page.locator(row).first.wait_for()
    first = time.perf_counter() - start
    page.locator(counted).wait_for()
    return first, time.perf_counter() - start


GANTT_ROW = "[data-testid=gantt] [data-testid=gantt-row]"
APPROVALS_COUNTED = "[data-testid=approvals-count][data-count]"
CURRENT_USER = "[data-testid=current-user]"
# For each selector, when (ms after the navigation began) the frame after its first element
# appeared ran: a page's own view of when it showed something, whatever keeps it busy after.
PAINTED = """(selectors) => {
  window.__painted = {};
  new MutationObserver((mutations, observer) => {
    for (const selector of selectors) {
      if (selector in window.__painted || !document.querySelector(selector)) continue;
      window.__painted[selector] = null;
      requestAnimationFrame(() => setTimeout(() => { window.__painted[selector] = performance.now(); }));
    }
    if (selectors.every((selector) => selector in window.__painted)) observer.disconnect();
  }).observe(document, { subtree: true, childList: true, attributes: true });
}"""


def painted_s(page, selector: str) -> float:
    """When, in the page now open, the frame after `selector` appeared ran (seconds)."""
    page.wait_for_function("(selector) => window.__painted?.[selector] != null", arg=selector)
    return page.evaluate("(selector) => window.__painted[selector]", selector) / 1000


DOCUMENT_ROW = "[data-testid=document-list] [data-testid=document-item]"
DOCUMENTS_COUNTED = "[data-testid=document-count][data-count]"
# Each list measured: its address, a row of it, and the list once every record is read.
LISTS = {
    "complaints": ("/feedback", COMPLAINT_ROW, COMPLAINTS_COUNTED),
    "documents": ("/documents", DOCUMENT_ROW, DOCUMENTS_COUNTED),
    "actions": ("/records/action", "a[data-testid=record-item][data-type=action]",
                "[data-testid=record-list][data-type=action][data-total]"),
    "work_steps": ("/records/work_step", "a[data-testid=record-item][data-type=work_step]",
                   "[data-testid=record-list][data-type=work_step][data-total]"),
    "checks": ("/checks", "[data-testid=record-list][data-type=safety_check] [data-testid=record-item]",
               "[data-testid=record-list][data-type=safety_check][data-total]"),
}


def measure(browser, url: str, lists: tuple[str, ...] = (), with_planned: bool = False,
            with_change: bool = False) -> dict:
    """One phone, fresh profile: raw floor, first sync, task list, heap, then each list of
    `lists` (keys of `LISTS`) and with `with_planned` the dashboard."""
    context = browser.new_context(base_url=url, **PHONE)
    context.add_init_script(f"({PAINTED})({json.dumps([APPROVALS_COUNTED, CURRENT_USER])})")
    page = context.new_page()
    page.set_default_timeout(LIMIT_S * 1000)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
    figures = {}
    try:
        page.goto("/login")
        page.get_by_test_id("login-username").wait_for()
        raw = page.evaluate(RAW_SYNC, [USER, PASSWORD])
        figures.update(raw_s=raw["seconds"], records=raw["received"])

        page.get_by_test_id("login-username").fill(USER)
        page.get_by_test_id("login-password").fill(PASSWORD)
        start = time.perf_counter()
        page.get_by_test_id("login-submit").click()
        page.locator("[data-testid^=home-link]").first.wait_for()
        figures["home_s"] = time.perf_counter() - start
        page.wait_for_function(SYNCED, polling=100)
        figures["sync_s"] = time.perf_counter() - start
        figures["heap_synced_mb"] = heap_mb(cdp)

        start = time.perf_counter()
        page.get_by_test_id("nav-tasks").click()
        page.locator(TASK_ROW).first.wait_for()
        figures["tasks_tap_s"] = time.perf_counter() - start

        forget_first_rows(page)
        figures["tasks_cold_s"], _ = fresh_load(page, "/tasks", TASK_ROW, TASKS_COUNTED)
        page.wait_for_timeout(500)  # the list's first rows are written after the draw
        figures["tasks_s"], figures["tasks_whole_s"] = fresh_load(page, "/tasks", TASK_ROW, TASKS_COUNTED)
        figures["tasks_elements"] = page.evaluate("document.getElementsByTagName('*').length")
        figures["heap_tasks_mb"] = heap_mb(cdp)

        # The floor of a fresh load: "More", which reads no records, until it names the user.
        start = time.perf_counter()
        page.goto("/more")
        page.get_by_test_id("current-user").wait_for()
        figures["more_s"] = time.perf_counter() - start
        figures["more_painted_s"] = painted_s(page, CURRENT_USER)
        # The supervisor's inbox, loaded afresh until it counts the approvals waiting.
        start = time.perf_counter()
        page.goto("/approvals")
        count = page.locator(APPROVALS_COUNTED)
        count.wait_for()
        figures["approvals_s"] = time.perf_counter() - start
        figures["approvals_painted_s"] = painted_s(page, APPROVALS_COUNTED)
        figures["approvals_waiting"] = int(count.get_attribute("data-count"))
        figures["approvals_elements"] = page.evaluate("document.getElementsByTagName('*').length")

        for kind in lists:
            path, row, counted = LISTS[kind]
            # A first visit with nothing of the list kept: every record of its type is read
            # before a row shows.
            forget_first_rows(page)
            figures[f"{kind}_cold_s"], _ = fresh_load(page, path, row, counted)
            page.wait_for_timeout(500)  # the list's first rows are written after the draw
            # A first visit after the app had synced and been idle elsewhere (here "More"): the
            # list's first rows were worked out ahead.
            forget_first_rows(page)
            page.goto("/more")
            if wait_kept(page, path):
                figures[f"{kind}_first_s"], _ = fresh_load(page, path, row, counted)
            else:  # a PWA without it: a visit, so that the list keeps its first rows as it draws
                fresh_load(page, path, row, counted)
            page.wait_for_timeout(500)
            # Afresh, as when the app is opened again: the rows shown first last time come early.
            figures[f"{kind}_s"], figures[f"{kind}_whole_s"] = fresh_load(page, path, row, counted)
            figures[f"{kind}_elements"] = page.evaluate("document.getElementsByTagName('*').length")
        if with_planned:
            start = time.perf_counter()
            page.goto("/dashboard")
            page.locator(GANTT_ROW).first.wait_for()
            figures["dashboard_s"] = time.perf_counter() - start
            figures["dashboard_elements"] = page.evaluate("document.getElementsByTagName('*').length")
            figures["gantt_rows"] = page.locator(GANTT_ROW).count()
            figures["heap_dashboard_mb"] = heap_mb(cdp)
        if with_change:
            figures["home_change_ms"] = app_js_ms(page, cdp, "/")
            figures["tasks_change_ms"] = app_js_ms(page, cdp, "/tasks")
            if with_planned:
                figures["dashboard_change_ms"] = app_js_ms(page, cdp, "/dashboard")
    except Exception as error:  # noqa: BLE001 - a step past the limit is a figure, not a crash
        figures["error"] = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    finally:
        context.close()
    return figures


def export_pwa(ref: str, workdir: Path) -> Path:
    """`pwa/` as it is at git revision `ref`, in a folder of its own."""
    target = workdir / f"pwa-{ref.replace('/', '_')}"
    target.mkdir()
    archive = subprocess.run(["git", "archive", ref, "pwa"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "pwa"


def median(runs: list[dict], key: str):
    values = [run[key] for run in runs if key in run]
    return statistics.median(values) if values else None


def report(results: list[dict]) -> str:
    lines = ["| PWA | tasks | records pulled | raw IndexedDB | first sync | sync / raw | home drawn | "
             "task list: tap | first visit, nothing kept | fresh load | whole list | elements | heap synced | heap with list | runs |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    fmt = lambda value, unit="s": "—" if value is None else f"{value:.2f} {unit}"  # noqa: E731
    count = lambda value: "—" if value is None else f"{value:,.0f}"  # noqa: E731
    for row in results:
        runs = row["runs"]
        raw, sync = median(runs, "raw_s"), median(runs, "sync_s")
        ratio = f"{sync / raw:.2f}" if raw and sync else "—"
        errors = [run["error"] for run in runs if "error" in run]
        lines.append(
            f"| {row['pwa']} | {row['size']:,} | {median(runs, 'records') or 0:,.0f} | {fmt(raw)} | {fmt(sync)} | "
            f"{ratio} | {fmt(median(runs, 'home_s'))} | {fmt(median(runs, 'tasks_tap_s'))} | {fmt(median(runs, 'tasks_cold_s'))} | {fmt(median(runs, 'tasks_s'))} | "
            f"{fmt(median(runs, 'tasks_whole_s'))} | {count(median(runs, 'tasks_elements'))} | "
            f"{fmt(median(runs, 'heap_synced_mb'), 'MB')} | {fmt(median(runs, 'heap_tasks_mb'), 'MB')} | "
            f"{len(runs)}{' (' + '; '.join(errors) + ')' if errors else ''} |")
    measured = [kind for kind in LISTS if any(f"{kind}_whole_s" in run for row in results for run in row["runs"])]
    if measured:
        lines += ["", "| PWA | tasks | list | first visit, nothing kept | first visit, rows worked out ahead | "
                  "fresh load | whole list | elements |", "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
        for row in results:
            runs = row["runs"]
            for kind in measured:
                lines.append(f"| {row['pwa']} | {row['size']:,} | {LISTS[kind][0]} | {fmt(median(runs, f'{kind}_cold_s'))} | "
                             f"{fmt(median(runs, f'{kind}_first_s'))} | {fmt(median(runs, f'{kind}_s'))} | "
                             f"{fmt(median(runs, f'{kind}_whole_s'))} | {count(median(runs, f'{kind}_elements'))} |")
    if any("approvals_s" in run for row in results for run in row["runs"]):
        lines += ["", "| PWA | tasks | approvals inbox: fresh load until it counts those waiting | drawn, in the page | waiting | elements | "
                  "floor: fresh load of More | drawn, in the page |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for row in results:
            runs = row["runs"]
            lines.append(f"| {row['pwa']} | {row['size']:,} | {fmt(median(runs, 'approvals_s'))} | "
                         f"{fmt(median(runs, 'approvals_painted_s'))} | "
                         f"{count(median(runs, 'approvals_waiting'))} | {count(median(runs, 'approvals_elements'))} | "
                         f"{fmt(median(runs, 'more_s'))} | {fmt(median(runs, 'more_painted_s'))} |")
    if any("dashboard_s" in run for row in results for run in row["runs"]):
        lines += ["", "| PWA | tasks | dashboard: fresh load until the Gantt shows | elements | Gantt rows drawn | heap with it |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for row in results:
            runs = row["runs"]
            lines.append(f"| {row['pwa']} | {row['size']:,} | {fmt(median(runs, 'dashboard_s'))} | "
                         f"{count(median(runs, 'dashboard_elements'))} | {count(median(runs, 'gantt_rows'))} | "
                         f"{fmt(median(runs, 'heap_dashboard_mb'), 'MB')} |")
    if any("home_change_ms" in run for row in results for run in row["runs"]):
        lines += ["", "| PWA | tasks | one task changed: the app's JS on home | on the task list | on the dashboard |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        for row in results:
            runs = row["runs"]
            lines.append(f"| {row['pwa']} | {row['size']:,} | {fmt(median(runs, 'home_change_ms'), 'ms')} | "
                         f"{fmt(median(runs, 'tasks_change_ms'), 'ms')} | {fmt(median(runs, 'dashboard_change_ms'), 'ms')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="git revision whose PWA is measured beside this one")
    parser.add_argument("--before-sizes", default="10000")
    parser.add_argument("--complaints", type=int, default=0, help="complaints seeded beside the tasks")
    parser.add_argument("--documents", type=int, default=0, help="drawings seeded beside the tasks")
    parser.add_argument("--actions", type=int, default=0, help="open corrective actions seeded beside the tasks")
    parser.add_argument("--work-steps", type=int, default=0, help="work steps seeded beside the tasks")
    parser.add_argument("--checks", type=int, default=0, help="safety checks seeded beside the tasks")
    parser.add_argument("--planned", type=int, default=0, help="tasks with planned dates seeded beside the tasks")
    parser.add_argument("--approvals", type=int, default=0,
                        help="tasks done and asked to be accepted, seeded beside the tasks (nine in ten approved)")
    parser.add_argument("--one-change", action="store_true",
                        help="the app's JS time on home (and the dashboard) for one task changed on the phone")
    parser.add_argument("--json")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    extra = {kind: getattr(args, kind) for kind in SEEDERS if getattr(args, kind)}
    lists = tuple(kind for kind in LISTS if kind in extra)

    workdir = Path(tempfile.mkdtemp(prefix="gridline-phone-bench-"))
    versions = [("this tree", ROOT / "pwa")]
    if args.before:
        versions.insert(0, (args.before, export_pwa(args.before, workdir)))
    print(f"load average at start: {os.getloadavg()}", file=sys.stderr)
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size in (int(s) for s in args.sizes.split(",")):
                db_path = seed(workdir, size, extra=extra)
                wanted = [(name, pwa) for name, pwa in versions
                          if name == "this tree" or str(size) in args.before_sizes.split(",")]
                servers = {name: Server(db_path, pwa, workdir) for name, pwa in wanted}
                rows = {name: {"pwa": name, "size": size, "runs": []} for name, _ in wanted}
                try:
                    for run in range(args.runs):
                        for name, _ in wanted:  # in turn, so both see the same machine
                            figures = measure(browser, servers[name].url, lists, "planned" in extra, args.one_change)
                            print(f"{size} {name} run {run + 1}: {figures}", file=sys.stderr)
                            rows[name]["runs"].append(figures)
                finally:
                    for server in servers.values():
                        server.stop()
                results.extend(rows.values())
            browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"load average at end: {os.getloadavg()}", file=sys.stderr)
    print(f"\nMachine: {machine()}; Chromium CPU slowdown {SLOWDOWN}x; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
