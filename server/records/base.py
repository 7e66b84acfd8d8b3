"""What every record table and record schema shares."""
from __future__ import annotations

import datetime as dt
import re

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from sync.engine import is_uuid

# A blob's name, in either case. \Z, not $: `$` also matches before a final newline,
# so "…\n" would pass.
SHA256_RE = re.compile(r"^[0-9a-fA-F]{64}\Z")
# Text no database column stores: NUL (PostgreSQL refuses it) and lone UTF-16
# surrogates (not UTF-8 at all; a client that cuts an emoji in half sends one).
UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")


class RecordMixin:
    """Columns every synced record has besides its own fields."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Merge metadata: per-field clocks and set tags (see sync.state.RecordState).
    meta: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[str | None] = mapped_column(String(32))
    updated_by: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[str | None] = mapped_column(String(32))

    @declared_attr
    def project_id(cls) -> Mapped[str]:
        return mapped_column(String(36), ForeignKey("projects.id"), index=True)


# Field types used by the record schemas.

class Uuid(fields.String):
    """A UUID string, stored lower-case."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_uuid(text):
            raise ValidationError("must be a UUID")
        return text.lower()


class StorableString(fields.String):
    """Text every database column can store: no NUL (PostgreSQL refuses it) and no
    unpaired UTF-16 surrogate (not encodable as UTF-8)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if UNSTORABLE_TEXT.search(text):
            raise ValidationError("must not hold NUL or unpaired surrogate characters")
        return text


class IsoDate(fields.String):
    """A `YYYY-MM-DD` date."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if len(text) != 10:
                raise ValueError
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError("must be a date YYYY-MM-DD") from None
        return text


class IsoDateTime(fields.String):
    """An ISO 8601 UTC time such as `2026-11-24T08:01:02Z`."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError("must be an ISO 8601 time") from None
        if parsed.tzinfo is None or parsed.utcoffset() != dt.timedelta(0):
            raise ValidationError("must be a UTC time ending in Z")
        return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


def set_op(element: fields.Field) -> fields.Nested:
    """A set field's put value: `{"add": [...], "remove": [...]}`."""
    schema = Schema.from_dict({
        "add": fields.List(element, load_default=list),
        "remove": fields.List(element, load_default=list),
    })
    return fields.Nested(schema)


class BlobName(fields.String):
    """The name of a stored blob: the sha256 hex of its bytes, in either case (.NET's
    Convert.ToHexString writes upper case), kept lower-case so a photo has one name."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not SHA256_RE.match(text):
            raise ValidationError("must be a sha256 hex string")
        return text.lower()


def blob_name() -> BlobName:
    """A photo's blob name (see BlobName)."""
    return BlobName()


def photos() -> fields.Nested:
    """A set of photo blob names."""
    return set_op(blob_name())


def uuid_set() -> fields.Nested:
    """A set of record or user ids."""
    return set_op(Uuid())


def text(maximum: int, **kwargs) -> fields.String:
    """Free text up to `maximum` characters."""
    return fields.String(validate=validate.Length(max=maximum), **kwargs)


def name(maximum: int = 200, **kwargs) -> fields.String:
    """A short required-looking text of 1..maximum characters."""
    return fields.String(validate=validate.Length(min=1, max=maximum), **kwargs)


def one_of(*choices: str, **kwargs) -> fields.String:
    """One of the given words."""
    return fields.String(validate=validate.OneOf(choices), **kwargs)


def integer(low: int, high: int, **kwargs) -> fields.Integer:
    """An integer in [low, high] (no floats, no strings)."""
    return fields.Integer(strict=True, validate=validate.Range(min=low, max=high), **kwargs)


class RecordSchema(Schema):
    """Base of every record schema: every record has a project; puts are partial."""

    project_id = Uuid()
    # Fields a new record must have, besides project_id.
    required_on_create: tuple[str, ...] = ()
