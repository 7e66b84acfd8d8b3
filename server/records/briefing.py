"""Daily morning briefings: the day's key tasks and risk points, and who attended."""
import datetime as dt

from marshmallow import fields, validate
from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType, StateMachine

from ..extensions import db
from .base import IsoDate, RecordMixin, RecordSchema, integer, photos, set_op, text, uuid_set

LWW, SET = FieldKind.LWW, FieldKind.SET

TYPE = RecordType("briefing", {
    "project_id": LWW, "date": LWW, "weather": LWW, "key_tasks": LWW, "risk_points": LWW,
    "headcount": LWW, "section_ids": SET, "attendees": SET, "photos": SET,
}, state_field="status", machine=StateMachine("draft", {
    "draft": ("submitted",),
    "submitted": ("acknowledged",),
}), max_items={"attendees": 300})


class Briefing(RecordMixin, db.Model):
    __tablename__ = "briefings"
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    weather: Mapped[str | None] = mapped_column(String(200))
    key_tasks: Mapped[str | None] = mapped_column(Text)
    risk_points: Mapped[str | None] = mapped_column(Text)
    # Workers present who are not named in `attendees` (crews counted by the foreman).
    headcount: Mapped[int | None] = mapped_column(Integer)
    section_ids: Mapped[list] = mapped_column(JSON, default=list)
    attendees: Mapped[list] = mapped_column(JSON, default=list)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="draft")


class BriefingFields(RecordSchema):
    required_on_create = ("date",)
    date = IsoDate()
    weather = text(200, allow_none=True)
    key_tasks = text(4000, allow_none=True)
    risk_points = text(4000, allow_none=True)
    headcount = integer(0, 5000, allow_none=True)
    section_ids = uuid_set()
    attendees = set_op(fields.String(validate=validate.Length(min=1, max=100)))
    photos = photos()
    status = fields.String()
