"""Admin endpoints: users, projects, memberships and grid sections."""
from __future__ import annotations

import uuid
from dataclasses import replace

from flask import g
from sqlalchemy import delete, select

from sync.engine import is_uuid

from ..accounts.models import User
from ..accounts.passwords import hash_password, require_good_password
from ..accounts.tokens import admin_of, end_sessions, login_required, server_admin
from ..errors import ApiError
from ..extensions import Blueprint, db
from ..permissions import allowed
from ..syncing.service import load_record, write_as
from . import schemas
from .models import ROLES, Membership, Project
from ..records.feedback import DEFAULT_RESPONSE_HOURS, DEFAULT_RETENTION_DAYS
from ..records.work_step import DEFAULT_STEPS
from ..reports.figures import DEFAULT_SATISFACTION_TARGET
from .setup import add_builtin_checklists

bp = Blueprint("admin", __name__, url_prefix="/api", description="Projects and administration")


def _may_sections(project_id: str, *actions: str) -> None:
    """Refuse before writing: a refusal by the engine would also land in the caller's
    inbox of rejected mutations, which is for pushes, not for answered requests."""
    roles = g.caller.roles_in(project_id)
    if not all(allowed(roles, "section", action) for action in actions):
        raise ApiError(403, "your role may not change sections")


def _user(user_id: str) -> User | None:
    """The user with id `user_id`; None also for a path that is no id (the database
    is never asked about text it may refuse, such as NUL)."""
    return db.session.get(User, user_id) if is_uuid(user_id) else None


def member_of(project_id: str) -> Project:
    """The project, if the caller is a member of it; else ApiError 404 (no project id is
    looked up that is not one)."""
    project = db.session.get(Project, project_id) if is_uuid(project_id) else None
    if project is None or not g.caller.roles_in(project_id):
        raise ApiError(404, "no such project among yours")
    return project


def _new_user(body) -> User:
    """A new account from `body`, its password checked (the caller commits)."""
    if db.session.execute(select(User.id).where(User.username == body["username"])).first():
        raise ApiError(409, "that username is taken", "conflict", {"username": ["taken"]})
    require_good_password(body["password"], body["username"])
    user = User(username=body["username"], name=body["name"], phone=body.get("phone"),
                password_hash=hash_password(body["password"]))
    db.session.add(user)
    db.session.flush()
    return user


def _manageable(user_id: str) -> User:
    """The user `user_id`, if the caller may manage their account: a server administrator
    may manage any; a project admin only one whose every membership is in a project they
    administer (so no admin of one project takes over a user of another). 404 for a user
    the caller shares no project with; 403 for one that also belongs elsewhere."""
    caller = g.caller
    if not caller.server_admin and not any("admin" in r for r in caller.projects.values()):
        raise ApiError(403, "only an administrator may do this")
    user = _user(user_id)
    if user is None:
        raise ApiError(404, "no such user")
    if caller.server_admin:
        return user
    theirs = set(db.session.execute(select(Membership.project_id)
                                    .where(Membership.user_id == user.id)).scalars())
    mine = {p for p, roles in caller.projects.items() if "admin" in roles}
    if not theirs & mine:
        raise ApiError(404, "no such user in your projects")
    if theirs - mine or user.is_server_admin:
        raise ApiError(403, "this account also belongs to projects you do not administer; "
                            "a server administrator manages it")
    return user


@bp.route("/admin/users", methods=["POST"])
@login_required
@bp.arguments(schemas.UserCreate)
@bp.response(201, schemas.AdminUserOut)
def create_user(body):
    """Create a user account in no project (server administrators only)."""
    server_admin()
    user = _new_user(body)
    db.session.commit()
    return user


@bp.route("/admin/users/<user_id>", methods=["PATCH"])
@login_required
@bp.arguments(schemas.UserUpdate)
@bp.response(200, schemas.AdminUserOut)
def update_user(body, user_id):
    """Rename, reset the password of, disable or enable a user (server administrators; a
    project admin only for a user of their own projects alone). A reset or a disable ends
    every session of the user."""
    user = _manageable(user_id)
    if user.id == g.caller.user_id and body.get("active") is False:
        raise ApiError(409, "you cannot disable yourself", "conflict", {"active": ["your own account"]})
    if "password" in body:
        require_good_password(body["password"], user.username)
        user.password_hash = hash_password(body["password"])
    for name in ("name", "phone", "active"):
        if name in body:
            setattr(user, name, body[name])
    if "password" in body or body.get("active") is False:
        end_sessions(user.id)
    db.session.commit()
    return user


@bp.route("/projects", methods=["GET"])
@login_required
@bp.response(200, schemas.ProjectList)
def projects():
    """The caller's projects with the caller's roles in each."""
    rows = db.session.execute(select(Project).where(Project.id.in_(list(g.caller.projects)))
                              .order_by(Project.code)).scalars()
    return {"projects": [{"id": p.id, "code": p.code, "name": p.name, "settings": p.settings,
                          "roles": sorted(g.caller.roles_in(p.id), key=ROLES.index)}
                         for p in rows]}


@bp.route("/projects", methods=["POST"])
@login_required
@bp.arguments(schemas.ProjectCreate)
@bp.response(201, schemas.ProjectOut)
def create_project(body):
    """Create a project; its creator becomes its admin (server administrators only)."""
    server_admin()
    if db.session.execute(select(Project.id).where(Project.code == body["code"])).first():
        raise ApiError(409, "that project code is taken", "conflict", {"code": ["taken"]})
    project = Project(code=body["code"], name=body["name"],
                      settings={"feedback_response_hours": dict(DEFAULT_RESPONSE_HOURS)})
    db.session.add(project)
    db.session.flush()
    db.session.add(Membership(project_id=project.id, user_id=g.caller.user_id, role="admin"))
    db.session.commit()
    projects_roles = {**g.caller.projects, project.id: frozenset({"admin"})}
    add_builtin_checklists(replace(g.caller, projects=projects_roles), project.id)
    return {"id": project.id, "code": project.code, "name": project.name, "roles": ["admin"],
            "settings": project.settings}


@bp.route("/projects/<project_id>/settings", methods=["GET"])
@login_required
@bp.response(200, schemas.ProjectSettings)
def settings(project_id):
    """A project's settings: feedback response hours per category, days residents' data is kept."""
    return _settings_out(member_of(project_id))


@bp.route("/projects/<project_id>/settings", methods=["PATCH"])
@login_required
@bp.arguments(schemas.ProjectSettings)
@bp.response(200, schemas.ProjectSettings)
def update_settings(body, project_id):
    """Change a project's settings (project admins only)."""
    project = member_of(project_id)
    admin_of(project_id)
    hours = dict(project.settings.get("feedback_response_hours") or DEFAULT_RESPONSE_HOURS)
    hours.update(body.get("feedback_response_hours", {}))
    project.settings = {**project.settings, "feedback_response_hours": hours}
    for name in ("resident_data_retention_days", "satisfaction_target"):
        if name in body:
            project.settings = {**project.settings, name: body[name]}
    if "work_steps" in body:
        project.settings = {**project.settings, "work_steps": list(dict.fromkeys(body["work_steps"]))}
    db.session.commit()
    return _settings_out(project)


def _settings_out(project: Project) -> dict:
    hours = {**DEFAULT_RESPONSE_HOURS, **(project.settings.get("feedback_response_hours") or {})}
    return {"feedback_response_hours": hours,
            "resident_data_retention_days": project.settings.get(
                "resident_data_retention_days", DEFAULT_RETENTION_DAYS),
            "satisfaction_target": project.settings.get(
                "satisfaction_target", DEFAULT_SATISFACTION_TARGET),
            "work_steps": project.settings.get("work_steps") or list(DEFAULT_STEPS)}


@bp.route("/projects/<project_id>/members", methods=["GET"])
@login_required
@bp.response(200, schemas.MemberList)
def members(project_id):
    """Every member of a project with their roles (any member may look)."""
    member_of(project_id)
    return _members_of(project_id)


def _members_of(project_id: str) -> dict:
    rows = db.session.execute(
        select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project_id).order_by(User.name)).all()
    found: dict[str, dict] = {}
    for user, role in rows:
        found.setdefault(user.id, {"user_id": user.id, "username": user.username,
                                   "name": user.name, "roles": []})["roles"].append(role)
    for entry in found.values():
        entry["roles"].sort(key=ROLES.index)
    return {"members": list(found.values())}


@bp.route("/projects/<project_id>/members", methods=["POST"])
@login_required
@bp.arguments(schemas.MemberAdd)
@bp.response(201, schemas.MemberList)
def add_member(body, project_id):
    """Add a user to a project with roles: a new account when a password is given, else the
    existing user of that username (project admins of the project)."""
    member_of(project_id)
    admin_of(project_id)
    if "password" in body:
        user = _new_user(body)
    else:
        user = db.session.execute(select(User).where(User.username == body["username"])).scalar()
        if user is None:
            raise ApiError(404, "no such user", "not_found", {"username": ["no such user"]})
        if db.session.execute(select(Membership.id).where(
                Membership.project_id == project_id, Membership.user_id == user.id)).first():
            raise ApiError(409, "already a member; change their roles instead", "conflict",
                           {"username": ["already a member"]})
    for role in sorted(set(body["roles"]), key=ROLES.index):
        db.session.add(Membership(project_id=project_id, user_id=user.id, role=role))
    db.session.commit()
    return _members_of(project_id)


@bp.route("/projects/<project_id>/members/<user_id>", methods=["PUT"])
@login_required
@bp.arguments(schemas.RolesUpdate)
@bp.response(200, schemas.MemberList)
def set_roles(body, project_id, user_id):
    """Set a user's roles in a project; an empty list removes them (project admins only)."""
    member_of(project_id)
    admin_of(project_id)
    if _user(user_id) is None:
        raise ApiError(404, "no such user")
    roles = set(body["roles"])
    if user_id == g.caller.user_id and "admin" not in roles:
        raise ApiError(409, "you cannot remove your own admin role", "conflict",
                       {"roles": ["keep admin for yourself"]})
    db.session.execute(delete(Membership).where(Membership.project_id == project_id,
                                                Membership.user_id == user_id))
    for role in sorted(roles, key=ROLES.index):
        db.session.add(Membership(project_id=project_id, user_id=user_id, role=role))
    db.session.commit()
    return _members_of(project_id)


@bp.route("/projects/<project_id>/sections", methods=["POST"])
@login_required
@bp.arguments(schemas.SectionCreate)
@bp.response(201, schemas.SectionResult)
def create_section(body, project_id):
    """Create a grid section (admins and supervisors), as a synced record."""
    member_of(project_id)
    _may_sections(project_id, "create")
    for name in ("code", "name"):
        if not body.get(name):
            raise ApiError(422, "some fields are not valid", "invalid", {name: ["required"]})
    section_id = str(uuid.uuid4())
    result = write_as(g.caller, "section", section_id, {"project_id": project_id, **body})
    return {"id": section_id, "seq": result["seq"], "status": result["status"]}


@bp.route("/projects/<project_id>/sections/<section_id>", methods=["PATCH"])
@login_required
@bp.arguments(schemas.SectionChange)
@bp.response(200, schemas.SectionResult)
def update_section(body, project_id, section_id):
    """Rename a section or assign its responsible person (admins and supervisors)."""
    member_of(project_id)
    if not body:
        raise ApiError(422, "nothing to change", "invalid", {"_schema": ["empty body"]})
    _may_sections(project_id, *(f"edit:{name}" for name in body))
    found = load_record("section", section_id) if is_uuid(section_id) else None
    if found is None or found.project_id != project_id:
        raise ApiError(404, "no such section in this project")
    result = write_as(g.caller, "section", section_id, body)
    return {"id": section_id, "seq": result["seq"], "status": result["status"]}
