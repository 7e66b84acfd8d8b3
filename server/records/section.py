"""Grid sections: the site split into parts, each with a responsible person."""
from marshmallow import fields
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType

from ..extensions import db
from .base import RecordMixin, RecordSchema, Uuid, name, text

LWW = FieldKind.LWW
# Also checked at the edge of the admin endpoints, so a bad code never reaches the engine.
CODE = fields.validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}\Z", error="1–32 letters, digits, . _ -")

TYPE = RecordType("section", {
    "project_id": LWW, "code": LWW, "name": LWW, "owner_id": LWW, "description": LWW,
})


class Section(RecordMixin, db.Model):
    __tablename__ = "sections"
    code: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[str | None] = mapped_column(String(36))
    description: Mapped[str | None] = mapped_column(Text)


class SectionFields(RecordSchema):
    required_on_create = ("code", "name")
    code = fields.String(validate=CODE)
    name = name(200)
    owner_id = Uuid(allow_none=True)
    description = text(4000, allow_none=True)
