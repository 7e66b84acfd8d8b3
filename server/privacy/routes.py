"""Privacy endpoints: who was shown residents' data, and a resident's data request."""
from __future__ import annotations

from flask import g
from sqlalchemy import select


from ..accounts.models import User
from ..accounts.tokens import admin_of, login_required
from ..extensions import Blueprint, db
from ..projects.models import Project
from ..projects.routes import member_of
from ..records import KINDS
from ..records.feedback import normalise_phone
from ..syncing.models import FieldHistory
from ..syncing.service import change_out, history_out, load_record
from . import schemas
from .audit import log_access
from .models import PersonalDataAccess

bp = Blueprint("privacy", __name__, url_prefix="/api",
               description="Residents' personal data: the access log and data requests")

FEEDBACK = KINDS["feedback"]


def _project_admin(project_id: str) -> Project:
    """The project, if the caller is its admin: 404 to a non-member, 403 to other roles."""
    project = member_of(project_id)
    admin_of(project_id)
    return project


@bp.route("/projects/<project_id>/privacy/access-log", methods=["GET"])
@login_required
@bp.arguments(schemas.AccessLogQuery, location="query")
@bp.response(200, schemas.AccessLog)
def access_log(query, project_id):
    """Who was shown residents' unmasked data in the project, newest first (project admins)."""
    _project_admin(project_id)
    statement = (select(PersonalDataAccess, User.name)
                 .outerjoin(User, User.id == PersonalDataAccess.user_id)
                 .where(PersonalDataAccess.project_id == project_id)
                 .order_by(PersonalDataAccess.id.desc()).limit(query["limit"] + 1))
    if query.get("before") is not None:
        statement = statement.where(PersonalDataAccess.id < query["before"])
    rows = db.session.execute(statement).all()
    page = rows[:query["limit"]]
    return {"entries": [{"id": row.id, "at": row.at, "user_id": row.user_id,
                         "user_name": name, "type": row.type, "record_id": row.record_id,
                         "endpoint": row.endpoint} for row, name in page],
            "has_more": len(rows) > len(page),
            "before": page[-1][0].id if len(rows) > len(page) else None}


@bp.route("/projects/<project_id>/privacy/resident", methods=["GET"])
@login_required
@bp.arguments(schemas.ResidentQuery, location="query")
@bp.response(200, schemas.ResidentExport)
def resident(query, project_id):
    """Every complaint of the project holding a resident's phone, now or in its history,
    with that history: a data request (project admins; the export is logged)."""
    _project_admin(project_id)
    phone = query["phone"]
    roles = g.caller.roles_in(project_id)
    complaints = []
    for record_id in _holding(project_id, phone):
        record = load_record(FEEDBACK.name, record_id)
        complaints.append({"record": change_out(record, roles),
                           "history": history_out(FEEDBACK.name, record_id, roles)})
    if complaints:
        log_access(g.caller, project_id, FEEDBACK.name, [c["record"]["id"] for c in complaints])
    else:
        log_access(g.caller, project_id, None, [])
    db.session.commit()
    return {"phone": phone, "complaints": complaints}


def _holding(project_id: str, phone: str) -> list[str]:
    """Ids of the project's complaints whose phone, or a phone in whose history, is
    `phone` (both normalised), in the order they were made."""
    table = FEEDBACK.model.__table__
    history = FieldHistory.__table__
    found = {row.id: row.created_at for row in db.session.execute(
        select(table.c.id, table.c.created_at, table.c.resident_phone)
        .where(table.c.project_id == project_id, table.c.resident_phone.is_not(None)))
        if normalise_phone(row.resident_phone) == phone}
    for row in db.session.execute(
            select(history.c.record_id, history.c.old, history.c.new, table.c.created_at)
            .join(table, table.c.id == history.c.record_id)
            .where(history.c.type == FEEDBACK.name, history.c.field == "resident_phone",
                   table.c.project_id == project_id)):
        if phone in (normalise_phone(row.old), normalise_phone(row.new)):
            found[row.record_id] = row.created_at
    return sorted(found, key=lambda record_id: (found[record_id] or "", record_id))
