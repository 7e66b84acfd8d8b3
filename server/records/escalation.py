"""Escalations: a complaint or corrective action past its deadline, recorded once by the server."""
from marshmallow import fields
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType, StateMachine

from ..extensions import db
from .base import IsoDateTime, RecordMixin, RecordSchema, Uuid, one_of, text

LWW = FieldKind.LWW
SUBJECT_TYPES = ("feedback", "action")
REASONS = ("response_overdue", "action_overdue")

TYPE = RecordType("escalation", {
    "project_id": LWW, "subject_type": LWW, "subject_id": LWW, "reason": LWW, "due": LWW,
    "escalated_at": LWW,
}, state_field="state", machine=StateMachine("open", {
    "open": ("resolved",),
}), immutable=frozenset({"project_id", "subject_type", "subject_id", "reason", "due",
                         "escalated_at"}))


class Escalation(RecordMixin, db.Model):
    __tablename__ = "escalations"
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(36), index=True)
    reason: Mapped[str | None] = mapped_column(String(32))
    # The deadline that passed, as the subject stores it (a time or a date).
    due: Mapped[str | None] = mapped_column(String(32))
    escalated_at: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="open")


class EscalationFields(RecordSchema):
    required_on_create = ("subject_type", "subject_id", "reason", "due")
    subject_type = one_of(*SUBJECT_TYPES)
    subject_id = Uuid()
    reason = one_of(*REASONS)
    due = text(32)
    escalated_at = IsoDateTime()
    state = fields.String()
