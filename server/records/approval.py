"""Approvals: a decision on a subject record, made once.

The server opens most of them itself when their subject moves or, for a document version, is
created (see server/approvals/table.py); a decision on one moves its subject in the same unit
of work."""
from marshmallow import fields
from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType, StateMachine

from ..extensions import db
from .base import RecordMixin, RecordSchema, Uuid, integer, one_of, photos, text

LWW, SET = FieldKind.LWW, FieldKind.SET
SUBJECT_TYPES = ("section", "briefing", "task", "safety_check", "action", "feedback",
                 "document", "document_version")

TYPE = RecordType("approval", {
    "project_id": LWW, "subject_type": LWW, "subject_id": LWW, "kind": LWW, "note": LWW,
    "decision_comment": LWW, "cycle": LWW, "requested_by": LWW, "photos": SET,
}, state_field="status", machine=StateMachine("pending", {
    "pending": ("approved", "rejected", "withdrawn"),
}), immutable=frozenset({"project_id", "subject_type", "subject_id", "kind", "cycle",
                         "requested_by"}))


class Approval(RecordMixin, db.Model):
    __tablename__ = "approvals"
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(36), index=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    # 1 for the first approval of its subject and kind, 2 after one sent back, …
    cycle: Mapped[int | None] = mapped_column(Integer)
    # Who moved (or created) the subject, or asked by hand.
    requested_by: Mapped[str | None] = mapped_column(String(36))
    # Photos a decision attaches (what is still wrong, when sent back).
    photos: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending")


class ApprovalFields(RecordSchema):
    required_on_create = ("subject_type", "subject_id", "kind")
    subject_type = one_of(*SUBJECT_TYPES)
    subject_id = Uuid()
    kind = fields.String(validate=fields.validate.Length(min=1, max=32))
    note = text(4000, allow_none=True)
    decision_comment = text(4000, allow_none=True)
    cycle = integer(1, 10_000)
    requested_by = Uuid(allow_none=True)
    photos = photos()
    status = fields.String()
