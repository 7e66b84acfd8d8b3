"""Tables the sync engine needs besides the records themselves."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timestamps import UtcDateTime, utcnow


class SyncCounter(db.Model):
    """The one row that hands out seqs. Writers lock it, so seqs follow commit order."""

    __tablename__ = "sync_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # Cursors below this seq are older than the tombstones kept: 410 resync.
    tombstone_floor: Mapped[int] = mapped_column(BigInteger, default=0)


class ChangeLog(db.Model):
    """The change log, compacted: one row per record at the seq of its latest change."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_project_seq", "project_id", "seq"),)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    project_id: Mapped[str | None] = mapped_column(String(36))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Device(db.Model):
    """An installed client, bound to one user on its first push."""

    __tablename__ = "devices"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    last_mid: Mapped[int] = mapped_column(BigInteger, default=0)
    # The seq of the device's latest pull: what it had observed when it pushed.
    pulled_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class DeviceResult(db.Model):
    """The stored answer to each mutation, returned again when it is replayed."""

    __tablename__ = "device_results"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mid: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    result: Mapped[dict] = mapped_column(JSON)


class FieldHistory(db.Model):
    """Every field change, and every value that lost a merge (`lost`)."""

    __tablename__ = "field_history"
    __table_args__ = (Index("ix_field_history_record", "type", "record_id", "seq"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(100))
    old: Mapped[object] = mapped_column(JSON, nullable=True)
    new: Mapped[object] = mapped_column(JSON, nullable=True)
    hlc: Mapped[str] = mapped_column(String(100))
    # The hlc the device sent, when the server clamped it.
    original_hlc: Mapped[str | None] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(36))
    client_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    lost: Mapped[bool] = mapped_column(Boolean, default=False)


class Conflict(db.Model):
    """A user's value that lost to another, kept until the user dismisses it."""

    __tablename__ = "conflicts"
    __table_args__ = (Index("ix_conflicts_user", "user_id", "dismissed_at"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(100))
    yours: Mapped[object] = mapped_column(JSON, nullable=True)
    kept: Mapped[object] = mapped_column(JSON, nullable=True)
    by: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    dismissed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class RejectedMutation(db.Model):
    """A mutation the server refused, with its payload, kept for its author."""

    __tablename__ = "rejected_mutations"
    __table_args__ = (Index("ix_rejected_user", "user_id", "dismissed_at"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36))
    client_id: Mapped[str] = mapped_column(String(64))
    mid: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict] = mapped_column(JSON)
    error: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    dismissed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ProjectSet(db.Model):
    """A set of projects a pull cursor was synced for, kept under the key the cursor
    carries (sync.pull.project_set_key), so cursors stay short however many projects."""

    __tablename__ = "cursor_project_sets"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    project_ids: Mapped[list] = mapped_column(JSON)
