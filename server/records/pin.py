"""Pins: a task, complaint, safety check or action placed at a point of a drawing's page.

A pin names the version it was placed on; moving it (x, y, page, version_id) is an edit."""
from marshmallow import ValidationError, fields, validate
from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType

from ..extensions import db
from .base import RecordMixin, RecordSchema, Uuid, integer, one_of

LWW = FieldKind.LWW
# A failed safety item is pinned through its rectification action; an inspection is a check.
SUBJECT_TYPES = ("task", "feedback", "safety_check", "action")

TYPE = RecordType("pin", {
    "project_id": LWW, "document_id": LWW, "version_id": LWW, "page": LWW, "x": LWW, "y": LWW,
    "subject_type": LWW, "subject_id": LWW,
}, immutable=frozenset({"project_id", "document_id", "subject_type", "subject_id"}))


class Pin(RecordMixin, db.Model):
    __tablename__ = "pins"
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    version_id: Mapped[str | None] = mapped_column(String(36))
    page: Mapped[int | None] = mapped_column(Integer)
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(36), index=True)


class Fraction(fields.Float):
    """A JSON number from 0 to 1 (a point across or down a page); not a string or boolean."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=0, max=1), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("must be a number from 0 to 1")
        return super()._deserialize(value, attr, data, **kwargs)


class PinFields(RecordSchema):
    required_on_create = ("document_id", "version_id", "page", "x", "y", "subject_type",
                          "subject_id")
    document_id = Uuid()
    version_id = Uuid()
    page = integer(1, 2000)
    x = Fraction()
    y = Fraction()
    subject_type = one_of(*SUBJECT_TYPES)
    subject_id = Uuid()
