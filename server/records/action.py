"""Corrective actions raised by failed safety-check items."""
import datetime as dt

from marshmallow import fields
from sqlalchemy import JSON, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType, StateMachine

from ..extensions import db
from .base import IsoDate, IsoDateTime, RecordMixin, RecordSchema, Uuid, name, photos, text

LWW, SET = FieldKind.LWW, FieldKind.SET

TYPE = RecordType("action", {
    "project_id": LWW, "check_id": LWW, "item": LWW, "description": LWW, "owner_id": LWW,
    "deadline": LWW, "verified_at": LWW, "photos": SET,
}, state_field="status", machine=StateMachine("open", {
    "open": ("done",),
    "done": ("verified", "open"),
}), immutable=frozenset({"project_id", "check_id", "item"}))


class Action(RecordMixin, db.Model):
    __tablename__ = "actions"
    check_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # The checklist item code that failed, when the action comes from one.
    item: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(String(36))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    # When the fix was verified on site.
    verified_at: Mapped[str | None] = mapped_column(String(32))
    photos: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="open")


class ActionFields(RecordSchema):
    required_on_create = ("description",)
    check_id = Uuid(allow_none=True)
    item = text(64, allow_none=True)
    description = name(4000)
    owner_id = Uuid(allow_none=True)
    deadline = IsoDate(allow_none=True)
    verified_at = IsoDateTime(allow_none=True)
    photos = photos()
    status = fields.String()
