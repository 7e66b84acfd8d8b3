"""Report and export endpoints: the project's day (or week) as a PDF or page, and its records
as CSV or XLSX. Every member may read them, resident data masked as for their roles; showing
it unmasked is logged in the access log first."""
from __future__ import annotations

import datetime as dt

from flask import Response, g, stream_with_context
from sqlalchemy import or_, select

from ..accounts.tokens import login_required
from ..errors import ApiError
from ..extensions import Blueprint, db
from ..permissions import may_read
from ..privacy.audit import audited, log_access, log_access_in_batches
from ..projects.routes import member_of
from . import daily, exports, schemas
from .labels import Labels, reader_language
from .names import Names
from .source import project_zone, table

bp = Blueprint("reports", __name__, url_prefix="/api",
               description="The daily and weekly report, and exports for spreadsheets")

AUDIT_PAGE = 1000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf", "html": "text/html; charset=utf-8",
}


def _today(project) -> dt.date:
    return dt.datetime.now(project_zone(project.settings)).date()


def _attachment(response: Response, name: str, inline: bool = False) -> Response:
    # The project code is letters, digits and . _ - (sections' rule), safe in a header.
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/projects/<project_id>/reports/daily", methods=["GET"])
@login_required
@bp.arguments(schemas.ReportQuery, location="query")
@bp.response(200, description="the report as an A4 PDF, or as an HTML page")
def daily_report(query, project_id):
    """The project's day: briefing, tasks, checks, actions, complaints, approvals, photos;
    with `period=week`, its week and the dashboard's figures."""
    project = member_of(project_id)
    roles = g.caller.roles_in(project_id)
    labels = Labels(reader_language(query["lang"]))
    day = query["date"] or _today(project)
    context = daily.gather(project, day, query["period"], roles, labels)
    html = daily.render_html(context)
    body = daily.render_pdf(html) if query["format"] == "pdf" else html.encode("utf-8")
    if context["audited"]:
        log_access(g.caller, project_id, "feedback", context["audited"])
    db.session.commit()
    first = context["first"].isoformat()
    name = f"{project.code}-{'week' if query['period'] == 'week' else 'day'}-{first}.{query['format']}"
    response = Response(body, content_type=CONTENT_TYPES[query["format"]])
    if query["format"] == "html":
        # A page the server made from records: it runs nothing and loads nothing but its images.
        response.headers["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return _attachment(response, name, inline=query["format"] == "html")


@bp.route("/projects/<project_id>/exports/<export_file>", methods=["GET"])
@login_required
@bp.arguments(schemas.ExportQuery, location="query")
@bp.response(200, description="one row per record: CSV (UTF-8 with BOM) or XLSX")
def export(query, project_id, export_file):
    """The project's tasks, work steps, safety checks, actions, inspections or complaints for
    a spreadsheet, headed in the reader's language, references named, narrowed by dates and
    section.

    `from`/`to` keep the records whose activity overlaps those days: their life from the
    earliest to the latest of the day they were created and their own dates (tasks and work
    steps: planned and actual dates, and a task's due date; checks: the check's date;
    actions: deadline and verification; inspections: when inspected; complaints: answer due
    and answered). A record without dates of its own counts the day it was created.
    Days are the project's (its time zone)."""
    project = member_of(project_id)
    name, _, file_format = export_file.partition(".")
    declared = exports.EXPORTS.get(name)
    if declared is None or file_format not in exports.FORMATS:
        raise ApiError(404, f"no export {export_file}; there are "
                       + ", ".join(exports.export_files()))
    roles = g.caller.roles_in(project_id)
    request_query = exports.Query(project_id, roles, query["from_"], query["to"],
                                  str(query["section_id"]) if query["section_id"] else None,
                                  project_zone(project.settings))
    _log_unmasked(declared, request_query)
    labels = Labels(reader_language(query["lang"]))
    names = Names(project_id)
    lines = exports.table_rows(declared, request_query, names, labels, _today(project).isoformat())
    stamp = _today(project).isoformat()
    filename = f"{project.code}-{name}-{stamp}.{file_format}"
    if file_format == "csv":
        body = stream_with_context(exports.csv_chunks(lines))
    else:
        body = exports.file_chunks(exports.xlsx_file(lines, labels(f"export.{name}")))
    return _attachment(Response(body, content_type=CONTENT_TYPES[file_format]), filename)


def _log_unmasked(declared: exports.Export, query: exports.Query) -> None:
    """Before a row is sent: log each record whose resident data the export shows unmasked."""
    fields = [name for name in audited(declared.type_name) if may_read(query.roles, declared.type_name, name)]
    if not fields:
        return
    columns = table(declared.type_name).c
    holding = or_(*(columns[name].is_not(None) for name in fields))
    statement = select(columns.id).where(
        columns.project_id == query.project_id, columns.deleted.is_(False), holding,
        *exports.conditions(declared, query)).order_by(columns.id).limit(AUDIT_PAGE)
    log_access_in_batches(g.caller, query.project_id, declared.type_name,
                          _pages(statement, columns.id))
    db.session.commit()


def _pages(statement, key):
    """The ids `statement` selects, a page at a time after the last one seen (so an export
    of any size holds one page of ids, and no cursor stays open beside the inserts)."""
    last = None
    while True:
        page = db.session.scalars(statement if last is None else statement.where(key > last)).all()
        yield from page
        if len(page) < AUDIT_PAGE:
            return
        last = page[-1]
