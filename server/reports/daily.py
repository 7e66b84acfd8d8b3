"""The project's day (or week) on paper: what was gathered, rendered as HTML and, through
WeasyPrint, as an A4 PDF with the project's name and the date on every page."""
from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import and_, or_, select

from ..blobs.models import Blob, BlobReference

from ..blobs.routes import stored_variant
from ..errors import ApiError
from ..extensions import db
from ..privacy.audit import shows_personal
from ..projects.models import Project
from . import figures
from .labels import Labels
from .names import Names
from .source import local_time, project_zone, records, table, utc_bounds

MAX_PHOTOS = 12
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                        autoescape=select_autoescape(["html"]),
                        finalize=lambda value: "" if value is None else value)


def period_of(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the report: the day, or its week (Monday to Sunday)."""
    if period == "week":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    return day, day


def gather(project: Project, day: dt.date, period: str, roles: frozenset[str],
           labels: Labels) -> dict:
    """Everything the report shows, as plain values; `audited` lists the complaints whose
    resident data it shows unmasked."""
    first, last = period_of(day, period)
    zone = project_zone(project.settings)
    start, end = utc_bounds(first, last, zone)
    names = Names(project.id)
    pid = project.id

    def made_or_changed(type_name):
        columns = table(type_name).c
        return or_(columns.created_at.between(start, end), columns.updated_at.between(start, end))

    def in_period(instant):
        return instant is not None and start <= instant < end

    briefings = list(records("briefing", pid, roles, table("briefing").c.date.between(first, last),
                             order_by=[table("briefing").c.date]))
    for briefing in briefings:
        fields = briefing["fields"]
        fields["attendee_count"] = len(fields.get("attendees") or [])
        fields["head_count"] = fields["attendee_count"] + (fields.get("headcount") or 0)
        fields["section_names"] = [names.section(s) for s in fields.get("section_ids") or []]

    tasks = list(records("task", pid, roles, or_(made_or_changed("task"),
                                                 table("task").c.actual_end.between(first, last))))
    finished = [t for t in tasks if t["fields"].get("actual_end") and
                first.isoformat() <= t["fields"]["actual_end"] <= last.isoformat()]
    finished_ids = {t["id"] for t in finished}
    progressed = [t for t in tasks if t["id"] not in finished_ids and in_period(t["updated_at"])]

    checks = list(records("safety_check", pid, roles,
                          table("safety_check").c.date.between(first, last),
                          order_by=[table("safety_check").c.date]))
    actions = [a for a in records("action", pid, roles, made_or_changed("action"))
               if in_period(a["created_at"]) or in_period(a["fields"].get("verified_at"))
               or in_period(a["updated_at"])]
    actions.sort(key=lambda a: a["created_at"] or "")
    names.load_checks([a["fields"].get("check_id") for a in actions if a["fields"].get("check_id")])
    for action in actions:
        action["check_name"] = names.record(action["fields"].get("check_id"))

    # The period's inspections: by when they were made on site (when they were recorded
    # for one that does not say).
    columns = table("inspection").c
    inspections = list(records("inspection", pid, roles, or_(
        and_(columns.inspected_at >= start, columns.inspected_at < end),
        and_(columns.inspected_at.is_(None), columns.created_at >= start, columns.created_at < end))))
    inspections.sort(key=lambda i: (i["fields"].get("inspected_at") or i["created_at"] or "", i["id"]))
    names.load_steps([i["fields"].get("work_step_id") for i in inspections if i["fields"].get("work_step_id")])
    for inspection in inspections:
        step_id = inspection["fields"].get("work_step_id")
        inspection["step_name"] = names.record(step_id)
        inspection["section_name"] = names.record_section(step_id)

    complaints = list(records("feedback", pid, roles, made_or_changed("feedback")))
    complaints.sort(key=lambda c: c["created_at"] or "")
    received = [c for c in complaints if in_period(c["created_at"])]
    closed = [c for c in complaints if c["fields"].get("status") == "closed" and in_period(c["updated_at"])]
    approvals = [a for a in records("approval", pid, roles, made_or_changed("approval"))
                 if a["fields"].get("status") in ("approved", "rejected") and in_period(a["updated_at"])]

    shown = {c["id"]: c for c in received + closed}
    audited = sorted(i for i, c in shown.items() if shows_personal(roles, "feedback", c["fields"]))
    photo_names = [sha for group in (briefings, finished, progressed, checks, actions, inspections)
                   for record in group for sha in record["fields"].get("photos") or []]
    context = {
        "project": project, "first": first, "last": last, "period": period,
        "today": last.isoformat(), "zone": zone, "labels": labels, "names": names,
        "briefings": briefings, "finished": finished, "progressed": progressed,
        "checks": checks, "actions": actions, "inspections": inspections,
        "received": received, "closed": closed,
        "approvals": approvals, "photos": thumbnails(project.id, photo_names),
        "audited": audited, "figures": None,
        "local_time": lambda instant: local_time(instant, zone),
        "risk": lambda check: _risk_text(check, labels),
        "passed": lambda check: sum(v == "pass" for v in (check["fields"].get("results") or {}).values()),
        "failed": lambda check: sum(v == "fail" for v in (check["fields"].get("results") or {}).values()),
        "task_progress": figures.task_progress,
    }
    if period == "week":
        # As the week stood at its end, or now for the week still running.
        today = dt.datetime.now(zone).date()
        as_of, now = (last, end) if last < today else (today, dt.datetime.now(dt.timezone.utc)
                                                        .strftime("%Y-%m-%dT%H:%M:%SZ"))
        context["figures"] = weekly_figures(project, roles, as_of, now)
    return context


def weekly_figures(project: Project, roles: frozenset[str], as_of: dt.date, now: str) -> dict:
    """The dashboard's figures as they stood on `as_of` (`now` the moment it ended)."""
    pid = project.id
    sections = sorted(records("section", pid, roles), key=lambda s: s["fields"].get("code") or "")
    found = figures.dashboard({
        "sections": sections, "tasks": list(records("task", pid, roles)),
        "checks": list(records("safety_check", pid, roles)),
        "actions": list(records("action", pid, roles)),
        "feedback": list(records("feedback", pid, roles)),
        "work_steps": list(records("work_step", pid, roles)),
        "inspections": list(records("inspection", pid, roles)),
    }, as_of.isoformat(), now, (project.settings or {}).get("satisfaction_target"))
    found["section_names"] = {s["id"]: " ".join(filter(None, [s["fields"].get("code"), s["fields"].get("name")]))
                              for s in sections}
    return found


def _risk_text(check: dict, labels: Labels) -> str:
    grades = figures.check_risks(check)
    if not grades:
        return labels("risk.notGraded")
    likelihood, severity = max(grades, key=lambda g: (g[0] * g[1], g[1]))
    score = likelihood * severity
    return f"{labels('risk.' + figures.risk_level(score))} · {score}"


def thumbnails(project_id: str, shas: list[str]) -> list[str]:
    """Data URIs of up to MAX_PHOTOS thumbnails of photos the project's records name."""
    wanted = list(dict.fromkeys(shas))[:MAX_PHOTOS * 2]
    if not wanted:
        return []
    usable = set(db.session.scalars(
        select(BlobReference.sha256).join(Blob, Blob.sha256 == BlobReference.sha256)
        .where(BlobReference.project_id == project_id, BlobReference.sha256.in_(wanted),
               Blob.content_type.like("image/%"))))
    out = []
    for sha in wanted:
        if sha not in usable or len(out) >= MAX_PHOTOS:
            continue
        try:
            data, content_type = stored_variant(sha, "thumb")
        except (ApiError, OSError):
            continue  # a photo that cannot be shown is left out, not the report
        out.append(f"data:{content_type};base64,{base64.b64encode(data).decode()}")
    return out


def render_html(context: dict) -> str:
    return TEMPLATES.get_template("daily.html").render(**context)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # loaded on first use: it brings Pango in
    return HTML(string=html).write_pdf()
