"""Login, logout, the current user, their password and their sessions."""
from __future__ import annotations

from flask import g, request
from sqlalchemy import select

from sync.engine import is_uuid

from ..errors import ApiError
from ..extensions import Blueprint, db
from ..permissions import permission_table
from ..projects.models import ROLES, Membership, Project
from ..timestamps import utcnow
from . import schemas, throttle
from .models import Token, User
from .passwords import check_password, hash_password, require_good_password
from .tokens import end_sessions, issue_token, login_required

bp = Blueprint("auth", __name__, url_prefix="/api", description="Accounts")


def user_out(user_id: str) -> dict:
    """A user with their roles per project, and the permission table the roles are read by."""
    user = db.session.get(User, user_id)
    rows = db.session.execute(
        select(Project, Membership.role).join(Membership, Membership.project_id == Project.id)
        .where(Membership.user_id == user_id).order_by(Project.code)).all()
    memberships: dict[str, dict] = {}
    for project, role in rows:
        entry = memberships.setdefault(project.id, {
            "project_id": project.id, "project_code": project.code,
            "project_name": project.name, "roles": []})
        entry["roles"].append(role)
    for entry in memberships.values():
        entry["roles"].sort(key=ROLES.index)
    roles = sorted({r for m in memberships.values() for r in m["roles"]}, key=ROLES.index)
    return {"id": user.id, "username": user.username, "name": user.name, "roles": roles,
            "memberships": list(memberships.values()), "server_admin": user.is_server_admin,
            "permissions": permission_table()}


def _admit(user: User | None, username: str, address: str | None) -> None:
    """Count the attempt (committed before the slow password check, so every worker sees
    it), or refuse it with 429 (server/accounts/throttle.py)."""
    refused = throttle.admit(user, username, address)
    if refused is not None:
        db.session.rollback()
        raise refused
    db.session.commit()


@bp.route("/auth/login", methods=["POST"])
@bp.doc(security=[])
@bp.arguments(schemas.LoginRequest)
@bp.response(200, schemas.LoginResponse)
def login(body):
    """Exchange a username and password for a bearer token (failed logins are throttled)."""
    address = request.remote_addr
    user = db.session.execute(select(User).where(User.username == body["username"])).scalar()
    _admit(user, body["username"], address)
    if not check_password(user.password_hash if user else None, body["password"]):
        throttle.record_failure(body["username"])
        db.session.commit()
        raise ApiError(401, "wrong username or password", "invalid_credentials")
    throttle.record_success(body["username"], address)
    if not user.active:
        db.session.commit()
        raise ApiError(401, "this account is disabled", "account_disabled")
    token, row = issue_token(user, address)
    db.session.commit()
    return {"token": token, "expires_at": row.expires_at, "user": user_out(user.id)}


@bp.route("/auth/logout", methods=["POST"])
@login_required
@bp.response(204)
def logout():
    """Revoke the token this request carries."""
    token = db.session.get(Token, g.caller.token_id)
    token.revoked_at = utcnow()
    db.session.commit()


@bp.route("/me", methods=["GET"])
@login_required
@bp.response(200, schemas.MeResponse)
def me():
    """The current user, with their roles in each project, and the permission table."""
    return {"user": user_out(g.caller.user_id)}


@bp.route("/me/password", methods=["POST"])
@login_required
@bp.arguments(schemas.PasswordChange)
@bp.response(204)
def change_password(body):
    """Change your own password: this session goes on, every other one ends."""
    user = db.session.get(User, g.caller.user_id)
    # A stolen token must not become a way around the login throttle.
    _admit(user, user.username, request.remote_addr)
    if not check_password(user.password_hash, body["current_password"]):
        throttle.record_failure(user.username)
        db.session.commit()
        raise ApiError(422, "the current password is wrong", "invalid",
                       {"current_password": ["wrong password"]})
    throttle.record_success(user.username, request.remote_addr)
    require_good_password(body["new_password"], user.username, "new_password")
    user.password_hash = hash_password(body["new_password"])
    end_sessions(user.id, keep=g.caller.token_id)
    db.session.commit()


def _live_sessions(user_id: str):
    return select(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None),
                               Token.expires_at > utcnow())


@bp.route("/me/sessions", methods=["GET"])
@login_required
@bp.response(200, schemas.SessionList)
def sessions():
    """Your sessions that have not ended, newest first, marking this request's."""
    rows = db.session.execute(_live_sessions(g.caller.user_id)
                              .order_by(Token.created_at.desc())).scalars()
    return {"sessions": [{"id": t.id, "created_at": t.created_at, "expires_at": t.expires_at,
                          "address": t.address, "current": t.id == g.caller.token_id}
                         for t in rows]}


@bp.route("/me/sessions/<session_id>", methods=["DELETE"])
@login_required
@bp.response(204)
def end_session(session_id):
    """End one of your sessions (ending this request's own is a logout)."""
    token = db.session.execute(_live_sessions(g.caller.user_id)
                               .where(Token.id == session_id)).scalar() if is_uuid(session_id) else None
    if token is None:
        raise ApiError(404, "no such session of yours")
    token.revoked_at = utcnow()
    db.session.commit()
