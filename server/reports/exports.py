"""Exports for spreadsheets: one small declaration per type (its records, the dates of its
activity a range is matched against, how a section narrows them, its columns), written as CSV
or XLSX a row at a time.

A date range holds a record when the record's activity overlaps it (`in_range`): its life
from the earliest to the latest of the day it was made and its own dates. So a task planned
over the whole month is in a range inside that month, a task without any date is in the range
it was created in, and one created on the 3rd and due on the 20th is in a range of the 10th."""
from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterator

from openpyxl import Workbook
from sqlalchemy import Date, or_, select

from . import figures
from .labels import Labels
from .names import Names
from .source import BATCH, records, table, utc_bounds

# A cell's value from (record, its fields, names, labels, today).
Value = Callable[[dict, dict, Names, Labels, str], object]


@dataclass(frozen=True)
class Column:
    label: str          # a key of the app's strings (pwa/i18n)
    value: Value


def plain(name: str) -> Column:
    """A field shown as stored, headed by the app's name for it."""
    return Column(f"field.{name}", lambda record, f, names, labels, today: f.get(name))


def joined(values) -> str:
    return "; ".join(value for value in values if value)


@dataclass(frozen=True)
class Export:
    """What one export holds: the records of `type_name`, placed in time by when they were
    made and by `activity` (its columns of dates or UTC times), narrowed by
    `section` (a column, or a key of PARENTS for records in their parent's section), in these
    columns."""

    type_name: str
    activity: tuple[str, ...]
    columns: tuple[Column, ...]
    section: str | None = "section_id"
    # Before a batch of rows is written: learn the names its references need.
    prepare: Callable[[Names, list[dict]], None] | None = None


TASKS = Export("task", ("planned_start", "planned_end", "actual_start", "actual_end", "due_date"), (
    plain("title"),
    Column("field.section_id", lambda r, f, names, labels, t: names.section(f.get("section_id"))),
    Column("field.assignee_id", lambda r, f, names, labels, t: names.user(f.get("assignee_id"))),
    Column("field.status", lambda r, f, n, labels, t: labels.state(f.get("status") or "todo")),
    Column("field.progress", lambda r, f, n, labels, t: figures.task_progress(f)),
    Column("field.priority", lambda r, f, n, labels, t: labels.word("priority", f.get("priority"))),
    plain("due_date"),
    Column("report.overdue", lambda r, f, n, labels, today: labels.yes_no(figures.is_overdue(r, today))),
    plain("planned_start"), plain("planned_end"), plain("actual_start"), plain("actual_end"),
    Column("report.deviationDays", lambda r, f, n, labels, today: figures.task_deviation(f, today)),
    Column("field.depends_on", lambda r, f, names, labels, t: joined(names.record(i) for i in f.get("depends_on") or [])),
), prepare=lambda names, batch: names.load_tasks(
    [dep for record in batch for dep in record["fields"].get("depends_on") or []]))

CHECKS = Export("safety_check", ("date",), (
    plain("date"),
    Column("field.section_id", lambda r, f, names, labels, t: names.section(f.get("section_id"))),
    Column("field.template", lambda r, f, names, labels, t: names.checklist(f.get("template"), labels.language)),
    Column("field.status", lambda r, f, n, labels, t: labels.state(f.get("status") or "open")),
    Column("report.passed", lambda r, f, n, labels, t: sum(v == "pass" for v in (f.get("results") or {}).values())),
    Column("report.failed", lambda r, f, n, labels, t: sum(v == "fail" for v in (f.get("results") or {}).values())),
    Column("report.worstRisk", lambda r, f, n, labels, t: _worst(r, labels)),
    plain("notes"),
))

ACTIONS = Export("action", ("deadline", "verified_at"), (
    plain("description"),
    Column("field.check_id", lambda r, f, names, labels, t: names.record(f.get("check_id"))),
    plain("item"),
    Column("field.owner_id", lambda r, f, names, labels, t: names.user(f.get("owner_id"))),
    plain("deadline"),
    Column("field.status", lambda r, f, n, labels, t: labels.state(f.get("status") or "open")),
    Column("report.overdue", lambda r, f, n, labels, today: labels.yes_no(
        (f.get("status") or "open") != "verified" and bool(f.get("deadline")) and f["deadline"] < today)),
    plain("verified_at"),
), section="check", prepare=lambda names, batch: names.load_checks(
    [record["fields"].get("check_id") for record in batch if record["fields"].get("check_id")]))

COMPLAINTS = Export("feedback", ("responded_at", "response_due"), (
    Column("report.received", lambda r, f, n, labels, t: r.get("created_at")),
    Column("field.category", lambda r, f, n, labels, t: labels.category(f.get("category"))),
    Column("field.section_id", lambda r, f, names, labels, t: names.section(f.get("section_id"))),
    plain("description"),
    Column("field.status", lambda r, f, n, labels, t: labels.state(f.get("status") or "received")),
    plain("resident_name"), plain("resident_phone"), plain("location"),
    Column("field.channel", lambda r, f, n, labels, t: labels.word("channel", f.get("channel"))),
    plain("response_due"), plain("responded_at"), plain("satisfaction"), plain("answer"),
))

WORK_STEPS = Export("work_step", ("planned_start", "planned_end", "actual_start", "actual_end"), (
    plain("step"),
    Column("field.section_id", lambda r, f, names, labels, t: names.section(f.get("section_id"))),
    plain("crew"),
    Column("field.foreman_id", lambda r, f, names, labels, t: names.user(f.get("foreman_id"))),
    Column("field.next_foreman_id", lambda r, f, names, labels, t: names.user(f.get("next_foreman_id"))),
    Column("field.status", lambda r, f, n, labels, t: labels.state(f.get("status") or "planned")),
    plain("planned_start"), plain("planned_end"), plain("actual_start"), plain("actual_end"),
    Column("field.depends_on", lambda r, f, names, labels, t: names.record(f.get("depends_on"))),
    Column("field.early_start", lambda r, f, n, labels, t: labels.yes_no(bool(f.get("early_start")))),
    plain("notes"),
), prepare=lambda names, batch: names.load_steps(
    [record["fields"].get("depends_on") for record in batch if record["fields"].get("depends_on")]))

INSPECTIONS = Export("inspection", ("inspected_at",), (
    plain("inspected_at"),
    Column("field.section_id", lambda r, f, names, labels, t: names.record_section(f.get("work_step_id"))),
    Column("field.work_step_id", lambda r, f, names, labels, t: names.record(f.get("work_step_id"))),
    Column("field.level", lambda r, f, n, labels, t: labels.word("level", f.get("level"))),
    # Counted from 1 as people say it (第 1 次 is the first attempt); stored from 0.
    Column("field.round", lambda r, f, n, labels, t: None if f.get("round") is None else f["round"] + 1),
    Column("field.result", lambda r, f, n, labels, t: labels.state(f.get("result"))),
    Column("report.inspector", lambda r, f, names, labels, t: names.user(r.get("created_by"))),
    Column("field.checklist", lambda r, f, names, labels, t: names.checklist(f.get("checklist"), labels.language)),
    Column("report.passed", lambda r, f, n, labels, t: sum(v == "pass" for v in (f.get("results") or {}).values())),
    Column("report.failed", lambda r, f, n, labels, t: sum(v == "fail" for v in (f.get("results") or {}).values())),
    plain("notes"),
), section="work_step", prepare=lambda names, batch: names.load_steps(
    [record["fields"].get("work_step_id") for record in batch if record["fields"].get("work_step_id")]))

EXPORTS: dict[str, Export] = {"tasks": TASKS, "work_steps": WORK_STEPS, "safety_checks": CHECKS,
                              "actions": ACTIONS, "inspections": INSPECTIONS, "complaints": COMPLAINTS}
# Records that lie in their parent's section: (parent type, the column naming the parent).
PARENTS = {"check": ("safety_check", "check_id"), "work_step": ("work_step", "work_step_id")}
FORMATS = ("csv", "xlsx")


def _worst(record: dict, labels: Labels) -> str:
    grades = figures.check_risks(record)
    if not grades:
        return ""
    likelihood, severity = max(grades, key=lambda g: (g[0] * g[1], g[1]))
    score = likelihood * severity
    return f"{labels('risk.' + figures.risk_level(score))} {likelihood}×{severity}={score}"


@dataclass
class Query:
    """Which records an export holds."""

    project_id: str
    roles: frozenset[str]
    first: dt.date | None = None
    last: dt.date | None = None
    section_id: str | None = None
    zone: object = None


def in_range(export: Export, query: Query) -> list:
    """The SQL conditions that a record's activity overlaps the query's days: that the day
    it was made or one of its activity dates is on or before the last day, and one of them
    on or after the first (a column without a date counts for neither)."""
    columns = table(export.type_name).c
    start, end = utc_bounds(query.first or dt.date(1970, 1, 1), query.last or dt.date(9998, 12, 30),
                            query.zone)
    dated = [columns[name] for name in dict.fromkeys(("created_at", *export.activity))]
    where = []
    if query.first:
        where.append(or_(*(column >= (query.first if isinstance(column.type, Date) else start)
                           for column in dated)))
    if query.last:
        where.append(or_(*(column <= query.last if isinstance(column.type, Date) else column < end
                           for column in dated)))
    return where


def conditions(export: Export, query: Query) -> list:
    """The SQL conditions narrowing `export` to the query's dates and section."""
    columns = table(export.type_name).c
    where = in_range(export, query)
    if query.section_id and export.section in PARENTS:
        parent_type, link = PARENTS[export.section]
        parents = table(parent_type).c
        where.append(columns[link].in_(select(parents.id).where(
            parents.project_id == query.project_id, parents.section_id == query.section_id)))
    elif query.section_id and export.section:
        where.append(columns[export.section] == query.section_id)
    return where


def table_rows(export: Export, query: Query, names: Names, labels: Labels,
               today: str) -> Iterator[list]:
    """The header, then one row per record, a batch of records in memory at a time."""
    yield [labels(column.label) for column in export.columns]
    stream = records(export.type_name, query.project_id, query.roles, *conditions(export, query))
    while batch := list(islice(stream, BATCH)):
        if export.prepare:
            export.prepare(names, batch)
        for record in batch:
            yield [_cell(column.value(record, record["fields"], names, labels, today))
                   for column in export.columns]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return str(value)
    return value


def _formula_safe(value):
    """Text a spreadsheet would read as a formula (=, +, -, @ first) kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_chunks(lines: Iterator[list]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (so Excel reads Chinese), a few rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for count, line in enumerate(lines, 1):
        writer.writerow([_formula_safe(value) for value in line])
        if count % 200 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(lines: Iterator[list], title: str):
    """An XLSX workbook written row by row (openpyxl's write-only mode keeps no cells in
    memory) into a temporary file, returned open at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for line in lines:
        sheet.append([_formula_safe(value) for value in line])
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


def file_chunks(handle, size: int = 64 * 1024) -> Iterator[bytes]:
    """A file's bytes in chunks; the file is closed (and so removed) at the end."""
    with handle:
        while chunk := handle.read(size):
            yield chunk


def export_files() -> list[str]:
    """Every export's file name: `tasks.csv`, `tasks.xlsx`, …"""
    return [f"{name}.{file_format}" for name in EXPORTS for file_format in FORMATS]
