"""Resident feedback: complaints logged by a liaison, answered by a deadline, closed with a score."""
import phonenumbers
from marshmallow import ValidationError, fields
from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType, StateMachine

from ..extensions import db
from .base import IsoDateTime, RecordMixin, RecordSchema, Uuid, integer, name, one_of, photos, text

LWW, SET = FieldKind.LWW, FieldKind.SET
CATEGORIES = ("noise", "dust", "traffic", "access", "damage", "safety", "other")
CHANNELS = ("phone", "visit", "hotline", "online")
# Hours to answer resident feedback, per category (project settings may change them).
DEFAULT_RESPONSE_HOURS = {"noise": 24, "dust": 24, "traffic": 4, "access": 4, "damage": 48,
                          "safety": 2, "other": 72}
# Days a closed complaint keeps its resident's personal data (project settings may change it).
DEFAULT_RETENTION_DAYS = 180

TYPE = RecordType("feedback", {
    "project_id": LWW, "section_id": LWW, "category": LWW, "description": LWW,
    "location": LWW, "resident_name": LWW, "resident_phone": LWW, "channel": LWW,
    "response_due": LWW, "responded_at": LWW, "satisfaction": LWW, "answer": LWW, "photos": SET,
}, state_field="status", machine=StateMachine("received", {
    "received": ("acknowledged",),
    "acknowledged": ("in_progress",),
    "in_progress": ("resolved",),
    "resolved": ("closed", "in_progress"),
}), personal=frozenset({"resident_name", "resident_phone", "location"}))


class Feedback(RecordMixin, db.Model):
    __tablename__ = "feedback"
    section_id: Mapped[str | None] = mapped_column(String(36), index=True)
    category: Mapped[str | None] = mapped_column(String(16))
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(300))
    resident_name: Mapped[str | None] = mapped_column(String(100))
    resident_phone: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str | None] = mapped_column(String(16))
    response_due: Mapped[str | None] = mapped_column(String(32))
    # When the resident was first answered (the complaint acknowledged).
    responded_at: Mapped[str | None] = mapped_column(String(32))
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    # What the resident was told and what was done about it.
    answer: Mapped[str | None] = mapped_column(Text)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="received")


def normalise_phone(value) -> str | None:
    """A phone number in the one form it is stored in (a Chinese number without +86, spaces
    or dashes: 13812345678; any other in E.164), or None when `value` is not one."""
    if not isinstance(value, str):
        return None
    try:
        number = phonenumbers.parse(value.strip(), "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code == 86:
        return phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PhoneNumber(fields.String):
    """A phone number a caller can dial from China: mobile, landline or international."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = normalise_phone(super()._deserialize(value, attr, data, **kwargs))
        if number is None:
            raise ValidationError("must be a phone number")
        return number


class FeedbackFields(RecordSchema):
    required_on_create = ("category", "description")
    section_id = Uuid(allow_none=True)
    category = one_of(*CATEGORIES)
    description = name(4000)
    location = text(300, allow_none=True)
    resident_name = text(100, allow_none=True)
    resident_phone = PhoneNumber(allow_none=True)
    channel = one_of(*CHANNELS, allow_none=True)
    response_due = IsoDateTime(allow_none=True)
    responded_at = IsoDateTime(allow_none=True)
    satisfaction = integer(1, 5, allow_none=True)
    answer = text(4000, allow_none=True)
    photos = photos()
    status = fields.String()


def closing_guard(source: str, target: str, values: dict) -> dict:
    """Closing a complaint needs the resident's satisfaction score."""
    if target == "closed" and not values.get("satisfaction"):
        return {"satisfaction": ["required to close feedback"]}
    return {}
