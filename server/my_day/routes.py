"""GET /api/projects/<id>/my-day: the caller's day, worked out on the server."""
from __future__ import annotations

import datetime as dt

from flask import g
from sqlalchemy import select

from ..accounts.tokens import login_required
from ..extensions import Blueprint, db
from ..projects.routes import member_of
from ..syncing.store import CODECS
from ..timestamps import utcnow
from . import schemas
from .rules import my_day

bp = Blueprint("my_day", __name__, url_prefix="/api",
               description="My day: due and overdue work, decisions waiting, work sent back")

TYPES = ("section", "task", "action", "feedback", "approval", "escalation")


def _views(project_id: str) -> dict[str, list[dict]]:
    """The project's live records of the types my day reads, as rule views."""
    views: dict[str, list[dict]] = {}
    for name in TYPES:
        codec = CODECS.get(name)
        if codec is None:
            continue
        table = codec.table
        rows = db.session.execute(select(*codec.body_columns).where(
            table.c.project_id == project_id, table.c.deleted.is_(False))).all()
        views[name] = [{"id": state.id, "created_by": state.created_by,
                        "updated_at": state.updated_at, "fields": state.values}
                       for state in map(codec.to_state, rows)]
    return views


def _midnight_after(day: dt.date) -> dt.datetime:
    """The midnight that ends `day` (the last day a date can name ends at its last second)."""
    if day == dt.date.max:
        return dt.datetime.combine(day, dt.time.max)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)


@bp.route("/projects/<project_id>/my-day", methods=["GET"])
@login_required
@bp.arguments(schemas.MyDayQuery, location="query")
@bp.response(200, schemas.MyDay)
def my_day_of(query, project_id):
    """The caller's day in a project: what is due and overdue, waiting for their decision,
    sent back to them or escalated (any member; the same rules as the phone's)."""
    member_of(project_id)
    roles = g.caller.roles_in(project_id)
    now = utcnow()
    offset = dt.timedelta(minutes=query["utc_offset"])
    today = query.get("today") or (now + offset).date()
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        end = _midnight_after(today) - offset
    except OverflowError:  # the last day there is, west of UTC
        end = dt.datetime.max
    day_end = f"{end.replace(microsecond=0).isoformat()}Z"
    buckets = my_day(_views(project_id), g.caller.user_id, roles, today.isoformat(), stamp, day_end)
    today = today.isoformat()
    return {"today": today, "now": stamp, "day_end": day_end, "buckets": buckets}
