"""Sync endpoints: push, pull, conflicts, rejected mutations and record history."""
from __future__ import annotations

from flask import Response, g

from sync.engine import is_uuid

from ..accounts.tokens import login_required
from ..errors import ApiError
from ..extensions import Blueprint, db
from ..json_body import wire_json
from ..privacy.audit import log_access, shows_personal
from ..timestamps import utcnow
from . import inbox, schemas
from .models import Conflict, RejectedMutation
from .qr import public_root, qr_image, record_link
from .service import change_out, history_out, load_record, run_pull, run_push

bp = Blueprint("sync", __name__, url_prefix="/api", description="Sync protocol v1")


@bp.route("/sync/push", methods=["POST"])
@login_required
@bp.arguments(schemas.PushRequest())  # an instance: a class is built again for every request
@bp.response(200, schemas.PushResponse)
def push(body):
    """Apply a device's mutations in mid order; one result per mutation."""
    # The engine answers in the wire's shape already: the schema documents it, and
    # skipping its dump spares every push the cost.
    return wire_json(run_push(g.caller, body["client_id"], body["mutations"]))


@bp.route("/sync/pull", methods=["GET"])
@login_required
@bp.arguments(schemas.PullQuery(), location="query")
@bp.response(200, schemas.PullResponse)
def pull(query):
    """A page of whole current records after the cursor, in commit order."""
    return wire_json(run_pull(g.caller, query["client_id"], query.get("cursor"), query["limit"]))


@bp.route("/sync/conflicts", methods=["GET"])
@login_required
@bp.arguments(schemas.InboxQuery, location="query")
@bp.response(200, schemas.ConflictList)
def conflicts(query):
    """The caller's values that lost, each with the value kept, newest first, a page at a time."""
    page = inbox.conflicts_page(g.caller, query.get("before"), query["limit"])
    _log_inbox(page)
    return page.answer("conflicts")


@bp.route("/sync/conflicts/<int:conflict_id>", methods=["DELETE"])
@login_required
@bp.response(204)
def dismiss_conflict(conflict_id):
    """Dismiss one of the caller's conflicts (keep what was kept)."""
    _dismiss(Conflict, conflict_id)


@bp.route("/sync/rejected", methods=["GET"])
@login_required
@bp.arguments(schemas.InboxQuery, location="query")
@bp.response(200, schemas.RejectedList)
def rejected(query):
    """The caller's rejected mutations, with payload and reason, newest first, a page at a time."""
    page = inbox.rejected_page(g.caller, query.get("before"), query["limit"])
    _log_inbox(page)
    return page.answer("rejected")


def _log_inbox(page: inbox.Page) -> None:
    """Log the records whose residents' data an inbox page shows unmasked."""
    for project_id, type_name, record_id in sorted(page.personal):
        log_access(g.caller, project_id, type_name, [record_id])
    if page.personal:
        db.session.commit()


@bp.route("/sync/rejected/<int:rejected_id>", methods=["DELETE"])
@login_required
@bp.response(204)
def dismiss_rejected(rejected_id):
    """Dismiss one of the caller's rejected mutations."""
    _dismiss(RejectedMutation, rejected_id)


def _dismiss(model, row_id: int) -> None:
    """Dismiss one of the caller's entries; again is a no-op, so a DELETE retried after
    its answer was lost is 204 too."""
    row = db.session.get(model, row_id) if 0 < row_id < 2 ** 63 else None
    if row is None or row.user_id != g.caller.user_id:
        raise ApiError(404, "nothing to dismiss with that id")
    if row.dismissed_at is None:
        row.dismissed_at = utcnow()
        db.session.commit()


def _readable(type_name: str, record_id: str):
    record = load_record(type_name, record_id) if is_uuid(record_id) else None
    if record is None or not g.caller.roles_in(record.project_id):
        raise ApiError(404, f"no {type_name} with that id in your projects")
    return record


@bp.route("/records/<type_name>/<record_id>", methods=["GET"])
@login_required
@bp.response(200, schemas.RecordOut)
def record(type_name, record_id):
    """One record's current state (as a pull would carry it)."""
    found = _readable(type_name, record_id)
    roles = g.caller.roles_in(found.project_id)
    out = change_out(found, roles)
    if shows_personal(roles, type_name, out.get("data", {})):
        log_access(g.caller, found.project_id, type_name, [found.id])
        db.session.commit()
    return out


@bp.route("/records/<type_name>/<record_id>/history", methods=["GET"])
@login_required
@bp.response(200, schemas.HistoryList)
def history(type_name, record_id):
    """Every field change of a record: old, new, hlc, user, seq."""
    found = _readable(type_name, record_id)
    roles = g.caller.roles_in(found.project_id)
    entries = history_out(type_name, found.id, roles)
    if any(shows_personal(roles, type_name, {e["field"]: e["new"] if e["new"] is not None
                                             else e["old"]}) for e in entries):
        log_access(g.caller, found.project_id, type_name, [found.id])
        db.session.commit()
    return {"history": entries}


@bp.route("/records/<type_name>/<record_id>/qr", methods=["GET"])
@login_required
@bp.arguments(schemas.QrQuery, location="query")
@bp.response(200, description="a QR code (SVG or PNG) leading to the record's page")
def record_qr(query, type_name, record_id):
    """A QR code for a site sign that opens the record and its history."""
    found = _readable(type_name, record_id)
    data, content_type = qr_image(record_link(public_root(), type_name, found.id),
                                  query["format"])
    return Response(data, content_type=content_type)
