"""Comments on any record: created once, never edited, so they never conflict."""
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType

from ..extensions import db
from .base import RecordMixin, RecordSchema, Uuid, name, one_of

APPEND = FieldKind.APPEND
SUBJECT_TYPES = ("section", "briefing", "task", "safety_check", "action", "feedback", "approval")

TYPE = RecordType("comment", {
    "project_id": APPEND, "subject_type": APPEND, "subject_id": APPEND, "body": APPEND,
}, immutable=frozenset({"project_id", "subject_type", "subject_id", "body"}))


class Comment(RecordMixin, db.Model):
    __tablename__ = "comments"
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(36), index=True)
    body: Mapped[str | None] = mapped_column(Text)


class CommentFields(RecordSchema):
    required_on_create = ("subject_type", "subject_id", "body")
    subject_type = one_of(*SUBJECT_TYPES)
    subject_id = Uuid()
    body = name(4000)
