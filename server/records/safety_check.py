"""Safety checks: a checklist, a risk grade (likelihood × severity), and their follow-up."""
import datetime as dt

from marshmallow import fields, validate
from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType, StateMachine

from ..extensions import db
from .base import IsoDate, RecordMixin, RecordSchema, Uuid, integer, photos, text

LWW, SET, MAP = FieldKind.LWW, FieldKind.SET, FieldKind.MAP
RESULTS = ("pass", "fail", "na")

TYPE = RecordType("safety_check", {
    "project_id": LWW, "section_id": LWW, "date": LWW, "template": LWW, "likelihood": LWW,
    "severity": LWW, "notes": LWW, "results": MAP, "photos": SET,
}, state_field="status", machine=StateMachine("open", {
    "open": ("rectifying",),
    "rectifying": ("verified",),
    "verified": ("closed",),
}))


class SafetyCheck(RecordMixin, db.Model):
    __tablename__ = "safety_checks"
    section_id: Mapped[str | None] = mapped_column(String(36), index=True)
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    template: Mapped[str | None] = mapped_column(String(64))
    likelihood: Mapped[int | None] = mapped_column(Integer)
    severity: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    results: Mapped[dict] = mapped_column(JSON, default=dict)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="open")


class SafetyCheckFields(RecordSchema):
    required_on_create = ("date",)
    section_id = Uuid(allow_none=True)
    date = IsoDate()
    template = fields.String(validate=validate.Length(min=1, max=64), allow_none=True)
    likelihood = integer(1, 5, allow_none=True)
    severity = integer(1, 5, allow_none=True)
    notes = text(4000, allow_none=True)
    results = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                          values=fields.String(validate=validate.OneOf(RESULTS), allow_none=True))
    photos = photos()
    status = fields.String()
