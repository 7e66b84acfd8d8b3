"""Grid-section tasks: what must be done where, by whom, by when."""
import datetime as dt

from marshmallow import fields
from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType, StateMachine

from ..extensions import db
from .base import IsoDate, RecordMixin, RecordSchema, Uuid, integer, name, one_of, photos, text, uuid_set

LWW, SET = FieldKind.LWW, FieldKind.SET
PRIORITIES = ("low", "normal", "high", "urgent")

TYPE = RecordType("task", {
    "project_id": LWW, "section_id": LWW, "title": LWW, "description": LWW,
    "assignee_id": LWW, "due_date": LWW, "priority": LWW, "progress": LWW,
    "planned_start": LWW, "planned_end": LWW, "actual_start": LWW, "actual_end": LWW,
    "depends_on": SET, "photos": SET,
}, state_field="status", machine=StateMachine("todo", {
    "todo": ("doing",),
    "doing": ("done",),
    "done": ("doing", "accepted"),
}))


class Task(RecordMixin, db.Model):
    __tablename__ = "tasks"
    section_id: Mapped[str | None] = mapped_column(String(36), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[str | None] = mapped_column(String(36))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    priority: Mapped[str | None] = mapped_column(String(16))
    progress: Mapped[int | None] = mapped_column(Integer)
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    # When work really started (first moved to doing) and ended (last moved to done).
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    depends_on: Mapped[list] = mapped_column(JSON, default=list)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="todo")


class TaskFields(RecordSchema):
    required_on_create = ("title",)
    section_id = Uuid(allow_none=True)
    title = name(200)
    description = text(4000, allow_none=True)
    assignee_id = Uuid(allow_none=True)
    due_date = IsoDate(allow_none=True)
    priority = one_of(*PRIORITIES)
    progress = integer(0, 100)
    planned_start = IsoDate(allow_none=True)
    planned_end = IsoDate(allow_none=True)
    actual_start = IsoDate(allow_none=True)
    actual_end = IsoDate(allow_none=True)
    depends_on = uuid_set()
    photos = photos()
    status = fields.String()
