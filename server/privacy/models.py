"""The access log: one row each time a resident's unmasked personal data is shown."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timestamps import UtcDateTime, utcnow


class PersonalDataAccess(db.Model):
    """Who was shown which record's personal data, when, and through which endpoint."""

    __tablename__ = "personal_data_access"
    __table_args__ = (Index("ix_personal_data_access_project", "project_id", "id"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[str] = mapped_column(String(36))
    project_id: Mapped[str] = mapped_column(String(36))
    # The record shown; none for a data request that found no complaint.
    type: Mapped[str | None] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(64))
    # The method and URL rule, e.g. "GET /api/records/<type_name>/<record_id>".
    endpoint: Mapped[str] = mapped_column(String(120))
