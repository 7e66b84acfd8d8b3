"""The site's figures, defined once: pure functions of records, with no Flask and no database.

A record is `{"id", "created_at", "fields": {...}}` with the wire's field names (created_at an
ISO UTC time). `pwa/js/ui/dashboard/figures.js` defines the same figures for the phone; both
are checked against `tests/fixtures/figures_cases.json`, so the dashboard, the report and the
exports agree. Percentages and averages round half up (as JavaScript's Math.round does).
"""
from __future__ import annotations

import datetime as dt
import math

FINISHED = ("done", "accepted")
OPEN_TASK = ("todo", "doing")
SATISFIED_FROM = 4          # a score of 4 or 5 out of 5 is a satisfied resident
DEFAULT_SATISFACTION_TARGET = 95


def round_half_up(value: float) -> int:
    """`value` rounded to the nearest integer, halves up (JavaScript's Math.round)."""
    return math.floor(value + 0.5)


def _date(text) -> dt.date | None:
    return dt.date.fromisoformat(str(text)[:10]) if text else None


def _instant(text) -> dt.datetime | None:
    return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None


def _days(later: dt.date, earlier: dt.date) -> int:
    return (later - earlier).days


def median(values: list[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# Tasks: progress, overdue, schedule (pwa/js/sync/progress.js, sections/site_facts.js).

def task_progress(fields: dict) -> int:
    """A task's progress in percent: what was reported, except that finished work is 100."""
    if fields.get("status") in FINISHED:
        return 100
    reported = fields.get("progress") or 0
    return min(100, max(0, round_half_up(float(reported))))


def section_progress(tasks: list[dict]) -> int | None:
    """The rounded average of the tasks' progress; None when there are none."""
    if not tasks:
        return None
    return round_half_up(sum(task_progress(task["fields"]) for task in tasks) / len(tasks))


def is_open_task(task: dict) -> bool:
    return (task["fields"].get("status") or "todo") in OPEN_TASK


def is_overdue(task: dict, today: str) -> bool:
    """Open and past its due date (`today` as YYYY-MM-DD)."""
    due = task["fields"].get("due_date")
    return is_open_task(task) and bool(due) and due < today


def planned_progress(fields: dict, today: str) -> int | None:
    """How far the plan says a task should be by the end of `today`, in percent; None
    without both planned dates."""
    start, end = _date(fields.get("planned_start")), _date(fields.get("planned_end"))
    if start is None or end is None:
        return None
    length = max(_days(end, start) + 1, 1)
    elapsed = min(max(_days(_date(today), start) + 1, 0), length)
    return round_half_up(100 * elapsed / length)


def forecast_end(fields: dict, today: str) -> dt.date | None:
    """When a planned task ends: its actual end once finished (its planned end when that was
    not recorded), else its planned end, or today once that has passed."""
    planned = _date(fields.get("planned_end"))
    if planned is None:
        return None
    if fields.get("status") in FINISHED:
        return _date(fields.get("actual_end")) or planned
    return max(planned, _date(today))


def task_deviation(fields: dict, today: str) -> int | None:
    """Days a task ends after its planned end (negative: early); None when not planned."""
    planned = _date(fields.get("planned_end"))
    return None if planned is None else _days(forecast_end(fields, today), planned)


def section_schedule(tasks: list[dict], today: str) -> dict | None:
    """A section's planned end (its tasks' latest), its forecast end, and the deviation in
    days between them; None when none of its tasks has a planned end."""
    planned = [task for task in tasks if task["fields"].get("planned_end")]
    if not planned:
        return None
    planned_end = max(_date(task["fields"]["planned_end"]) for task in planned)
    end = max(forecast_end(task["fields"], today) for task in planned)
    return {"planned_end": planned_end.isoformat(), "forecast_end": end.isoformat(),
            "deviation_days": _days(end, planned_end)}


def critical_path(tasks: list[dict]) -> dict:
    """The longest chain of planned tasks through `depends_on`, by planned working days.

    Critical path method (Kelley & Walker, 1959) on the dependency graph: each task lasts
    planned_end − planned_start + 1 days; its earliest finish is its duration plus the
    largest earliest finish among the tasks it depends on; the path is walked back from the
    task with the largest earliest finish. Tasks without both planned dates, dependencies on
    them and dependencies that close a cycle are left out. Ties go to the smaller id.
    Returns `{"ids": [first … last], "days": total}`.
    """
    duration = {}
    for task in tasks:
        start, end = _date(task["fields"].get("planned_start")), _date(task["fields"].get("planned_end"))
        if start and end:
            duration[task["id"]] = max(_days(end, start) + 1, 1)
    depends = {task["id"]: sorted(d for d in task["fields"].get("depends_on") or [] if d in duration)
               for task in tasks if task["id"] in duration}
    finish: dict[str, int] = {}
    before: dict[str, str | None] = {}
    visiting: set[str] = set()

    def earliest_finish(task_id: str) -> int:
        # Depth first; a dependency already on the walk closes a cycle and is skipped.
        if task_id in finish:
            return finish[task_id]
        visiting.add(task_id)
        best, best_id = 0, None
        for dep in depends[task_id]:
            if dep in visiting:
                continue
            value = earliest_finish(dep)
            if value > best:
                best, best_id = value, dep
        visiting.discard(task_id)
        finish[task_id], before[task_id] = best + duration[task_id], best_id
        return finish[task_id]

    for task_id in sorted(duration):
        earliest_finish(task_id)
    if not finish:
        return {"ids": [], "days": 0}
    last = min(finish, key=lambda task_id: (-finish[task_id], task_id))
    path = []
    node: str | None = last
    while node is not None:
        path.append(node)
        node = before[node]
    return {"ids": path[::-1], "days": finish[last]}


def progress_by_section(sections: list[dict], tasks: list[dict], today: str) -> list[dict]:
    """Per section (in the order given): actual progress (the one progress definition),
    planned progress (average over its tasks with planned dates), overdue tasks, schedule."""
    rows = []
    for section in sections:
        own = [task for task in tasks if task["fields"].get("section_id") == section["id"]]
        plans = [p for p in (planned_progress(task["fields"], today) for task in own) if p is not None]
        rows.append({
            "section_id": section["id"], "tasks": len(own), "progress": section_progress(own),
            "planned": round_half_up(sum(plans) / len(plans)) if plans else None,
            "overdue": sum(1 for task in own if is_overdue(task, today)),
            "schedule": section_schedule(own, today),
        })
    return rows


# Risk: the 5 × 5 grid (pwa/js/ui/safety/risk_grade.js).

def risk_level(score: int) -> str:
    """The four-level grade (红橙黄蓝) of a likelihood × severity score."""
    if score <= 4:
        return "low"
    if score <= 9:
        return "general"
    if score <= 16:
        return "significant"
    return "major"


def check_risks(check: dict) -> list[tuple[int, int]]:
    """The (likelihood, severity) grades a check holds: each failed item's grade, or the
    check's own grade when no item is graded."""
    fields = check["fields"]
    grades = [tuple(int(part) for part in grade.split("-"))
              for _, grade in sorted((fields.get("item_risk") or {}).items()) if grade]
    if not grades and fields.get("likelihood") and fields.get("severity"):
        grades = [(int(fields["likelihood"]), int(fields["severity"]))]
    return grades


def is_open_check(check: dict) -> bool:
    return (check["fields"].get("status") or "open") != "closed"


def risk_matrix(checks: list[dict]) -> list[list[int]]:
    """Open risks counted on the grid: `matrix[likelihood - 1][severity - 1]`."""
    matrix = [[0] * 5 for _ in range(5)]
    for check in checks:
        if is_open_check(check):
            for likelihood, severity in check_risks(check):
                matrix[likelihood - 1][severity - 1] += 1
    return matrix


def worst_open_risk(checks: list[dict]) -> dict:
    """Per section id, its worst open risk: `{score, likelihood, severity, level}` (the
    higher score, then the higher severity)."""
    worst: dict[str, dict] = {}
    for check in checks:
        section_id = check["fields"].get("section_id")
        if not section_id or not is_open_check(check):
            continue
        for likelihood, severity in check_risks(check):
            score = likelihood * severity
            known = worst.get(section_id)
            if known is None or (score, severity) > (known["score"], known["severity"]):
                worst[section_id] = {"score": score, "likelihood": likelihood,
                                     "severity": severity, "level": risk_level(score)}
    return worst


# Safety: pass rate over time, corrective actions.

def week_of(day: str) -> str:
    """The Monday starting the ISO week of `day` (YYYY-MM-DD)."""
    date = _date(day)
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def pass_rate_by_week(checks: list[dict]) -> list[dict]:
    """Per week of check date: items passed, failed, and the pass rate in percent of the
    items judged (n/a left out), oldest week first."""
    weeks: dict[str, list[int]] = {}
    for check in checks:
        date = check["fields"].get("date")
        if not date:
            continue
        counts = weeks.setdefault(week_of(date), [0, 0])
        for result in (check["fields"].get("results") or {}).values():
            if result == "pass":
                counts[0] += 1
            elif result == "fail":
                counts[1] += 1
    return [{"week": week, "passed": passed, "failed": failed,
             "rate": round_half_up(100 * passed / (passed + failed)) if passed + failed else None}
            for week, (passed, failed) in sorted(weeks.items())]


def action_figures(actions: list[dict], today: str) -> dict:
    """Corrective actions open (not verified), overdue (open past the deadline) and the
    median days from raising to verifying one."""
    open_ = [a for a in actions if (a["fields"].get("status") or "open") != "verified"]
    overdue = [a for a in open_ if a["fields"].get("deadline") and a["fields"]["deadline"] < today]
    days = [_days(_date(a["fields"]["verified_at"]), _date(a["created_at"])) for a in actions
            if a["fields"].get("status") == "verified" and a["fields"].get("verified_at")
            and a.get("created_at")]
    return {"open": len(open_), "overdue": len(overdue), "median_days_to_verify": median(days)}


# Residents.

def complaints_by_category(feedback: list[dict]) -> dict:
    """`{category: {status: count}}` over every complaint."""
    table: dict[str, dict[str, int]] = {}
    for item in feedback:
        category = item["fields"].get("category") or "other"
        status = item["fields"].get("status") or "received"
        table.setdefault(category, {})
        table[category][status] = table[category].get(status, 0) + 1
    return {category: dict(sorted(counts.items())) for category, counts in sorted(table.items())}


def resident_figures(feedback: list[dict], now: str, target: int | None = None) -> dict:
    """Median hours to the first response, the share (percent) answered by the deadline of
    those answered or due by `now`, and the satisfaction rate (scores of 4 or 5 among the
    closed complaints scored) against the target."""
    hours, on_time, judged = [], 0, 0
    moment = _instant(now)
    for item in feedback:
        fields = item["fields"]
        responded, due = _instant(fields.get("responded_at")), _instant(fields.get("response_due"))
        if responded and item.get("created_at"):
            hours.append((responded - _instant(item["created_at"])).total_seconds() / 3600)
        if due and (responded or due < moment):
            judged += 1
            on_time += bool(responded and responded <= due)
    scores = [item["fields"]["satisfaction"] for item in feedback
              if item["fields"].get("status") == "closed" and item["fields"].get("satisfaction")]
    middle = median(hours)
    rate = round_half_up(100 * sum(s >= SATISFIED_FROM for s in scores) / len(scores)) if scores else None
    target = DEFAULT_SATISFACTION_TARGET if target is None else target
    return {
        "median_response_hours": None if middle is None else round_half_up(middle * 10) / 10,
        "answered_in_time": round_half_up(100 * on_time / judged) if judged else None,
        "satisfaction": rate, "satisfaction_target": target,
        "meets_target": None if rate is None else rate >= target,
    }


# Quality: the three-level inspection of work steps (server/records/work_step.py).

INSPECTION_LEVELS = ("self", "mutual", "specialist")
JUDGED = ("pass", "fail")


def first_inspections(steps: list[dict], inspections: list[dict]) -> dict[tuple[str, str], dict]:
    """Per (work step id, level), the step's first judged inspection of that level: the
    lowest round (then the smaller id), among inspections of the steps given."""
    known = {step["id"] for step in steps}
    first: dict[tuple[str, str], dict] = {}
    for inspection in inspections:
        fields = inspection["fields"]
        if fields.get("work_step_id") not in known or fields.get("result") not in JUDGED:
            continue
        key = (fields["work_step_id"], fields.get("level"))
        order = (fields.get("round") or 0, inspection["id"])
        held = first.get(key)
        if held is None or order < (held["fields"].get("round") or 0, held["id"]):
            first[key] = inspection
    return first


def first_pass_by_level(steps: list[dict], inspections: list[dict]) -> list[dict]:
    """Per level (self, mutual, specialist): the work steps inspected at that level, how
    many passed their first inspection of it, and that share in percent (None for none)."""
    first = first_inspections(steps, inspections)
    rows = []
    for level in INSPECTION_LEVELS:
        results = [inspection["fields"]["result"] for (_, at), inspection in first.items() if at == level]
        passed = results.count("pass")
        rows.append({"level": level, "steps": len(results), "first_pass": passed,
                     "rate": round_half_up(100 * passed / len(results)) if results else None})
    return rows


def quality_figures(steps: list[dict], inspections: list[dict]) -> dict:
    """First-attempt pass rates per level, work steps by state, how many have passed all
    three levels and how many are being rectified now."""
    states: dict[str, int] = {}
    for step in steps:
        state = step["fields"].get("status") or "planned"
        states[state] = states.get(state, 0) + 1
    return {
        "first_pass": first_pass_by_level(steps, inspections),
        "steps": len(steps),
        "steps_by_state": dict(sorted(states.items())),
        "passed": states.get("passed", 0),
        "rectifying": sum(count for state, count in states.items() if state.startswith("rectifying_")),
    }


def dashboard(records: dict, today: str, now: str, target: int | None = None) -> dict:
    """Every figure of the dashboard from `{sections, tasks, checks, actions, feedback,
    work_steps, inspections}`."""
    tasks, checks = records.get("tasks", []), records.get("checks", [])
    return {
        "progress": progress_by_section(records.get("sections", []), tasks, today),
        "critical_path": critical_path(tasks),
        "risk_matrix": risk_matrix(checks),
        "worst_risk": worst_open_risk(checks),
        "pass_rate": pass_rate_by_week(checks),
        "actions": action_figures(records.get("actions", []), today),
        "complaints": complaints_by_category(records.get("feedback", [])),
        "residents": resident_figures(records.get("feedback", []), now, target),
        "quality": quality_figures(records.get("work_steps", []), records.get("inspections", [])),
    }
