"""Exports for spreadsheets: one small declaration per type (its records, how a date range
and a section narrow them, its columns), written as CSV or XLSX a row at a time."""
from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterator

from openpyxl import Workbook
from sqlalchemy import select

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
    """What one export holds: the records of `type_name`, narrowed by `date` (a column of
    dates, or "created_at" for the day a record was made) and `section` (a column, or
    "check" for records that belong to a check's section), in these columns."""

    type_name: str
    date: str
    columns: tuple[Column, ...]
    section: str | None = "section_id"
    # Before a batch of rows is written: learn the names its references need.
    prepare: Callable[[Names, list[dict]], None] | None = None


TASKS = Export("task", "due_date", (
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

CHECKS = Export("safety_check", "date", (
    plain("date"),
    Column("field.section_id", lambda r, f, names, labels, t: names.section(f.get("section_id"))),
    Column("field.template", lambda r, f, names, labels, t: names.checklist(f.get("template"), labels.language)),
    Column("field.status", lambda r, f, n, labels, t: labels.state(f.get("status") or "open")),
    Column("report.passed", lambda r, f, n, labels, t: sum(v == "pass" for v in (f.get("results") or {}).values())),
    Column("report.failed", lambda r, f, n, labels, t: sum(v == "fail" for v in (f.get("results") or {}).values())),
    Column("report.worstRisk", lambda r, f, n, labels, t: _worst(r, labels)),
    plain("notes"),
))

ACTIONS = Export("action", "deadline", (
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

COMPLAINTS = Export("feedback", "created_at", (
    Column("report.received", lambda r, f, n, labels, t: r.get("created_at")),
    Column("field.category", lambda r, f, n, labels, t: labels.category(f.get("category"))),
    Column("field.section_id", lambda r, f, names, labels, t: names.section(f.get("section_id"))),
    plain("description"),
    Column("field.status", lambda r, f, n, labels, t: labels.state(f.get("status") or "received")),
    plain("resident_name"), plain("resident_phone"), plain("location"),
    Column("field.channel", lambda r, f, n, labels, t: labels.word("channel", f.get("channel"))),
    plain("response_due"), plain("responded_at"), plain("satisfaction"), plain("answer"),
))

EXPORTS: dict[str, Export] = {"tasks": TASKS, "safety_checks": CHECKS, "actions": ACTIONS,
                              "complaints": COMPLAINTS}
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


def conditions(export: Export, query: Query) -> list:
    """The SQL conditions narrowing `export` to the query's dates and section."""
    columns = table(export.type_name).c
    where = []
    if export.date == "created_at":
        start, end = utc_bounds(query.first or dt.date(1970, 1, 1), query.last or dt.date(9998, 12, 30),
                                query.zone)
        if query.first:
            where.append(columns.created_at >= start)
        if query.last:
            where.append(columns.created_at < end)
    else:
        if query.first:
            where.append(columns[export.date] >= query.first)
        if query.last:
            where.append(columns[export.date] <= query.last)
    if query.section_id and export.section == "check":
        checks = table("safety_check").c
        where.append(columns.check_id.in_(select(checks.id).where(
            checks.project_id == query.project_id, checks.section_id == query.section_id)))
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
