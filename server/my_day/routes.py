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
    today = query.get("today") or now.date().isoformat()
    day_end = query.get("day_end") or f"{(dt.date.fromisoformat(today) + dt.timedelta(days=1)).isoformat()}T00:00:00Z"
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    buckets = my_day(_views(project_id), g.caller.user_id, roles, today, stamp, day_end)
    return {"today": today, "now": stamp, "day_end": day_end, "buckets": buckets}
