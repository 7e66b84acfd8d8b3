"""Safety checks: a checklist, a risk grade (likelihood × severity), and their follow-up."""
import datetime as dt

from marshmallow import fields, validate
from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordState, RecordType, StateMachine
from sync.store import Records

from ..extensions import db
from .base import IsoDate, RecordMixin, RecordSchema, Uuid, blob_name, integer, photos, text

LWW, SET, MAP = FieldKind.LWW, FieldKind.SET, FieldKind.MAP
RESULTS = ("pass", "fail", "na")
ITEM_NOTE_MAX = 1000
ITEM_PHOTOS_MAX = 10
# A template has at most 100 items, so one put names at most 100.
ITEMS_MAX = 100

TYPE = RecordType("safety_check", {
    "project_id": LWW, "section_id": LWW, "date": LWW, "template": LWW, "likelihood": LWW,
    "severity": LWW, "notes": LWW, "results": MAP, "item_notes": MAP, "item_photos": MAP,
    "item_risk": MAP, "photos": SET,
}, state_field="status", machine=StateMachine("open", {
    "open": ("rectifying",),
    "rectifying": ("verified",),
    "verified": ("closed", "rectifying"),
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
    # Per checklist item: {item code: note} and {item code: [photo sha256, …]}.
    item_notes: Mapped[dict] = mapped_column(JSON, default=dict)
    item_photos: Mapped[dict] = mapped_column(JSON, default=dict)
    # Per failed item, its grade as "<likelihood>-<severity>" (e.g. "3-4").
    item_risk: Mapped[dict] = mapped_column(JSON, default=dict)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="open")


def _none_if_empty(value):
    """An empty note or photo list removes the item's entry, as null does."""
    return value or None


def _each_once(shas: list) -> list:
    """Blob names without repeats, in the order given."""
    return list(dict.fromkeys(shas))


def item_map(value: fields.Field) -> fields.Dict:
    """A map keyed by checklist item code; a null value removes the item's entry."""
    return fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)), values=value,
                       validate=validate.Length(max=ITEMS_MAX))


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
    item_notes = item_map(text(ITEM_NOTE_MAX, allow_none=True, post_load=[_none_if_empty]))
    item_photos = item_map(fields.List(
        blob_name(),
        validate=validate.Length(max=ITEM_PHOTOS_MAX), allow_none=True,
        post_load=[_each_once, _none_if_empty]))
    item_risk = item_map(fields.String(
        validate=validate.Regexp(r"^[1-5]-[1-5]\Z", error="<likelihood>-<severity>, each 1–5"),
        allow_none=True))
    photos = photos()
    status = fields.String()


def verifying_guard(source: str, target: str, check: RecordState, records: Records) -> dict:
    """A check is verified only once every corrective action it raised is verified (those
    verified earlier in the same push count; deleted ones do not)."""
    if target != "verified":
        return {}
    unverified = [action for action in records.find("action", "check_id", check.id)
                  if not action.deleted and action.project_id == check.project_id
                  and action.values.get("status") != "verified"]
    if not unverified:
        return {}
    count = len(unverified)
    return {"status": [f"{count} corrective action{'' if count == 1 else 's'} of this check "
                       f"not verified yet"]}
