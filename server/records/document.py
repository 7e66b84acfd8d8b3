"""Documents (drawings, change orders, minutes, …) and their versions: a version is a file
appended once and never edited; the newest by the server's order (seq) is the current one."""
from marshmallow import fields
from sqlalchemy import JSON, Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType

from ..extensions import db
from .base import BlobName, IsoDate, RecordMixin, RecordSchema, Uuid, name, one_of, text, uuid_set
from .worker import StrictBoolean

LWW, SET, APPEND = FieldKind.LWW, FieldKind.SET, FieldKind.APPEND
KINDS = ("drawing", "change_order", "minutes", "specification", "permit", "other")

TYPE = RecordType("document", {
    "project_id": LWW, "kind": LWW, "title": LWW, "number": LWW, "section_ids": SET,
    "discipline": LWW, "briefing_id": LWW,
})

# Every field is `append`: a put of an existing version is refused by the engine.
VERSION_TYPE = RecordType("document_version", {
    "project_id": APPEND, "document_id": APPEND, "file": APPEND, "revision": APPEND,
    "date": APPEND, "note": APPEND, "needs_signoff": APPEND,
}, immutable=frozenset({"project_id", "document_id", "file", "revision", "date", "note",
                        "needs_signoff"}))


class Document(RecordMixin, db.Model):
    __tablename__ = "documents"
    kind: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(64), index=True)
    section_ids: Mapped[list] = mapped_column(JSON, default=list)
    discipline: Mapped[str | None] = mapped_column(String(50))
    # Minutes of a day's meeting name the morning briefing they record.
    briefing_id: Mapped[str | None] = mapped_column(String(36), index=True)


class DocumentFields(RecordSchema):
    required_on_create = ("kind", "title")
    kind = one_of(*KINDS)
    title = name(200)
    number = text(64, allow_none=True)
    section_ids = uuid_set()
    discipline = text(50, allow_none=True)
    briefing_id = Uuid(allow_none=True)


class DocumentVersion(RecordMixin, db.Model):
    __tablename__ = "document_versions"
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    file: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[str | None] = mapped_column(String(32))
    date: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    needs_signoff: Mapped[bool | None] = mapped_column(Boolean)


class DocumentVersionFields(RecordSchema):
    required_on_create = ("document_id", "file", "revision")
    document_id = Uuid()
    file = BlobName()
    revision = name(32)
    date = IsoDate(allow_none=True)
    note = text(4000, allow_none=True)
    needs_signoff = StrictBoolean(allow_none=True)
