"""Label endpoints: a section's A4 sheet of QR labels, and finding a record by its short code."""
from __future__ import annotations

from flask import Response, g
from marshmallow import Schema, fields
from sqlalchemy import select

from sync.engine import is_uuid

from ..accounts.tokens import login_required
from ..errors import ApiError
from ..extensions import Blueprint, db
from ..projects.routes import member_of
from ..records import KINDS
from ..records.work_step import WorkStep
from ..syncing.qr import public_root
from ..syncing.service import load_record
from .codes import ALPHABET, LENGTH, normalise, short_code
from .sheet import sheet_pdf

bp = Blueprint("labels", __name__, url_prefix="/api",
               description="QR label sheets and short codes typed in place of a scan")


class CodeMatch(Schema):
    type = fields.String(required=True)
    id = fields.String(required=True)
    path = fields.String(required=True, metadata={"description": "the app's page: /r/<type>/<id>"})


class CodeLookup(Schema):
    code = fields.String(required=True)
    records = fields.List(fields.Nested(CodeMatch), required=True)


@bp.route("/projects/<project_id>/sections/<section_id>/labels.pdf", methods=["GET"])
@login_required
@bp.response(200, description="an A4 PDF: the section's QR label and one per work step, "
                               "each with its short code", content_type="application/pdf")
@bp.alt_response(404, description="no such project among yours, or no such section in it")
def labels(project_id, section_id):
    """The section's label sheet for the site printer (any member)."""
    member_of(project_id)
    section = load_record("section", section_id.lower()) if is_uuid(section_id) else None
    if section is None or section.deleted or section.project_id != project_id:
        raise ApiError(404, "no such section in this project")
    steps = db.session.execute(
        select(WorkStep).where(WorkStep.project_id == project_id,
                               WorkStep.section_id == section.id, WorkStep.deleted.is_(False))
        .order_by(WorkStep.planned_start, WorkStep.created_at, WorkStep.id)).scalars()
    pdf = sheet_pdf(public_root(), {"id": section.id, **section.values},
                    [{"id": step.id, "step": step.step, "crew": step.crew} for step in steps])
    filename = f"labels-{section.values.get('code') or section.id}.pdf"
    return Response(pdf, content_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.route("/projects/<project_id>/codes/<code>", methods=["GET"])
@login_required
@bp.response(200, CodeLookup)
@bp.alt_response(404, description="no record of the project has that code")
def find_code(project_id, code):
    """The project's records with a short code (usually one), to open a typed code."""
    member_of(project_id)
    wanted = normalise(code)
    if len(wanted) != LENGTH or set(wanted) - set(ALPHABET):
        raise ApiError(404, "no record of this project has that code")
    found = []
    for kind in KINDS.values():
        model = kind.model
        ids = db.session.execute(select(model.id).where(
            model.project_id == project_id, model.deleted.is_(False))).scalars()
        found += [{"type": kind.name, "id": record_id, "path": f"/r/{kind.name}/{record_id}"}
                  for record_id in ids if short_code(record_id) == wanted]
    if not found:
        raise ApiError(404, "no record of this project has that code")
    return {"code": wanted, "records": found}
