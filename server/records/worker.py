"""The crew roster: the people who work on a project (not necessarily app users), by trade and
team, so a foreman ticks names at the morning briefing instead of typing them."""
from marshmallow import fields
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType

from ..extensions import db
from .base import RecordMixin, RecordSchema, name, text

LWW = FieldKind.LWW

TYPE = RecordType("worker", {
    "project_id": LWW, "name": LWW, "trade": LWW, "team": LWW, "active": LWW,
})


class Worker(RecordMixin, db.Model):
    __tablename__ = "workers"
    name: Mapped[str | None] = mapped_column(String(100))
    trade: Mapped[str | None] = mapped_column(String(50))
    team: Mapped[str | None] = mapped_column(String(50))
    # Off the roster (left the site) without losing who they were in past briefings.
    active: Mapped[bool | None] = mapped_column(Boolean)


class StrictBoolean(fields.Boolean):
    """true or false as JSON has them; not 1, "yes" or "on"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class WorkerFields(RecordSchema):
    required_on_create = ("name",)
    name = name(100)
    trade = text(50, allow_none=True)
    team = text(50, allow_none=True)
    active = StrictBoolean(allow_none=True)
