"""A stored blob and what was read from it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timestamps import UtcDateTime, utcnow


class Blob(db.Model):
    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int | None] = mapped_column(BigInteger)
    height: Mapped[int | None] = mapped_column(BigInteger)
    # Capture time and place read from the photo's EXIF before it is stripped.
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class BlobReference(db.Model):
    """A record naming a blob in one of its photo fields: the members of the record's
    project may read the blob. Rewritten whenever the record is saved."""

    __tablename__ = "blob_references"
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    project_id: Mapped[str] = mapped_column(String(36))
