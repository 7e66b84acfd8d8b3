"""Login, logout and the current user."""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy import select

from ..errors import ApiError
from ..extensions import Blueprint, db, limiter
from ..permissions import permission_table
from ..projects.models import ROLES, Membership, Project
from ..timestamps import utcnow
from . import schemas
from .models import Token, User
from .passwords import check_password
from .tokens import issue_token, login_required

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
            "memberships": list(memberships.values()), "permissions": permission_table()}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/auth/login", methods=["POST"])
@bp.doc(security=[])
@limiter.limit(_login_limit)
@bp.arguments(schemas.LoginRequest)
@bp.response(200, schemas.LoginResponse)
def login(body):
    """Exchange a username and password for a bearer token."""
    user = db.session.execute(select(User).where(User.username == body["username"])).scalar()
    if not check_password(user.password_hash if user else None, body["password"]):
        raise ApiError(401, "wrong username or password", "invalid_credentials")
    if not user.active:
        raise ApiError(401, "this account is disabled", "account_disabled")
    token, row = issue_token(user)
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
    """The current user, with their roles in each project."""
    return {"user": user_out(g.caller.user_id)}
