"""Opaque bearer tokens: random strings handed out once, stored as SHA-256 digests."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import bindparam, select, update

from ..errors import ApiError
from ..extensions import db
from ..projects.models import Membership
from ..timestamps import utcnow
from .models import Token, User


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, address: str | None = None) -> tuple[str, Token]:
    """A new token for `user`, logged in from `address` (the caller commits)."""
    token = secrets.token_urlsafe(32)
    ttl = dt.timedelta(seconds=current_app.config["TOKEN_TTL_SECONDS"])
    row = Token(user_id=user.id, digest=digest(token), expires_at=utcnow() + ttl,
                address=address)
    db.session.add(row)
    return token, row


def end_sessions(user_id: str, keep: str | None = None) -> None:
    """Revoke every live token of `user_id` but the one with id `keep` (the caller commits):
    after a password change or reset, or when the account is disabled. A revoked token stays
    revoked, so enabling the account again brings none back."""
    statement = update(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None))
    if keep is not None:
        statement = statement.where(Token.id != keep)
    db.session.execute(statement.values(revoked_at=utcnow()))


@dataclass(frozen=True)
class Caller:
    """The authenticated user of a request, as plain values."""

    user_id: str
    username: str
    name: str
    token_id: str
    # Roles per project id.
    projects: dict[str, frozenset[str]]
    # Manages accounts and creates projects (a flag on the user, set from the CLI).
    server_admin: bool = False

    def roles_in(self, project_id: str) -> frozenset[str]:
        return self.projects.get(project_id, frozenset())


# Built once: every request runs it, and building it costs more than running it. Of the
# tables' columns, not the models' attributes: a statement of ORM attributes goes through
# the session's ORM execution (its compile state and loading), about half of this query's
# cost, for rows read as plain values anyway.
_TOKENS, _USERS, _MEMBERSHIPS = Token.__table__, User.__table__, Membership.__table__
_CALLER = (select(_TOKENS.c.id, _TOKENS.c.revoked_at, _TOKENS.c.expires_at,
                  _USERS.c.id.label("user_id"), _USERS.c.username, _USERS.c.name,
                  _USERS.c.active, _USERS.c.is_server_admin,
                  _MEMBERSHIPS.c.project_id, _MEMBERSHIPS.c.role)
           .join(_USERS, _TOKENS.c.user_id == _USERS.c.id)
           .outerjoin(_MEMBERSHIPS, _MEMBERSHIPS.c.user_id == _USERS.c.id)
           .where(_TOKENS.c.digest == bindparam("digest")))


def authenticate() -> Caller:
    """The caller of this request, or ApiError 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "log in to continue", "unauthorized")
    # One query, plain columns rather than ORM entities: every request pays for it. A row
    # per membership (one with NULLs for a user without any).
    # On the session's connection: the session's own execute looks for the statement's bind
    # and runs its ORM hooks, for a statement that has no entity in it.
    rows = db.session.connection().execute(_CALLER, {"digest": digest(token.strip())}).all()
    if not rows:
        raise ApiError(401, "this session is not known; log in again", "unauthorized")
    row = rows[0]
    # Disabling also revokes the user's tokens: say why, rather than "session ended".
    if not row.active:
        raise ApiError(401, "this account is disabled", "account_disabled")
    if row.revoked_at is not None or row.expires_at <= utcnow():
        raise ApiError(401, "this session has ended; log in again", "unauthorized")
    projects: dict[str, set[str]] = {}
    for membership in rows:
        if membership.project_id is not None:
            projects.setdefault(membership.project_id, set()).add(membership.role)
    return Caller(row.user_id, row.username, row.name, row.id,
                  {p: frozenset(r) for p, r in projects.items()}, bool(row.is_server_admin))


def login_required(view):
    """Run `view` only for an authenticated caller, kept in `g.caller`."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.caller = authenticate()
        return view(*args, **kwargs)
    return wrapper


def server_admin() -> Caller:
    """The caller, if they are a server administrator; else ApiError 403."""
    caller: Caller = g.caller
    if not caller.server_admin:
        raise ApiError(403, "only a server administrator may do this")
    return caller


def admin_of(project_id: str) -> Caller:
    """The caller, if they are an admin of `project_id`; else ApiError 403."""
    caller: Caller = g.caller
    if "admin" not in caller.roles_in(project_id):
        raise ApiError(403, "only a project admin may do this")
    return caller
