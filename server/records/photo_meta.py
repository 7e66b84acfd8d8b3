"""When and where a photo was taken, beside the photo rather than inside it.

The server strips EXIF from every image (server/blobs/stripping.py), and the phone's resize
drops it anyway, so the capture time and (with the user's permission) the phone's position
travel as a record of their own, keyed by the photo's sha256: synced to the project's
members like any record, never to whoever only holds the image's link.
"""
from marshmallow import fields, validate
from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType

from ..extensions import db
from .base import BlobName, IsoDateTime, RecordMixin, RecordSchema

LWW = FieldKind.LWW

TYPE = RecordType("photo_meta", {
    "project_id": LWW, "sha256": LWW, "taken_at": LWW, "latitude": LWW, "longitude": LWW,
    "accuracy_m": LWW, "derived_from": LWW,
}, immutable=frozenset({"project_id", "sha256"}))


class PhotoMeta(RecordMixin, db.Model):
    __tablename__ = "photo_metas"
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    taken_at: Mapped[str | None] = mapped_column(String(32))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    # A marked-up copy names the photo it was drawn on (the original is never altered).
    derived_from: Mapped[str | None] = mapped_column(String(64))


class PhotoMetaFields(RecordSchema):
    required_on_create = ("sha256",)
    sha256 = BlobName()
    taken_at = IsoDateTime(allow_none=True)
    latitude = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(-90, 90))
    longitude = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(-180, 180))
    accuracy_m = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(0, 100_000))
    derived_from = BlobName(allow_none=True)
