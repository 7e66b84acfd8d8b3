"""Users and their bearer tokens."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timestamps import UtcDateTime, utcnow


def new_id() -> str:
    """A new random UUID string."""
    return str(uuid.uuid4())


class User(db.Model):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    # A disabled user is refused on the next request, whatever tokens they hold.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A server administrator manages accounts and creates projects; granted only from the
    # command line (`flask create-admin`), never through the API.
    is_server_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")


class Token(db.Model):
    """An opaque bearer token, stored as its SHA-256 digest only."""

    __tablename__ = "tokens"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(36), ForeignKey("users.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The client address the login came from: shown in the user's list of sessions, and
    # what lets a user log in from a place they used before while it is throttled.
    address: Mapped[str | None] = mapped_column(String(45))

    user = relationship("User")


class LoginCounter(db.Model):
    """Failed logins counted for one account (`account:<username>`) or one client address
    (`address:<ip>`), in the database so that every worker and app server shares them."""

    __tablename__ = "login_counters"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # When the counting started; failures older than the window are forgotten.
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # An account is refused without checking its password until then.
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
