"""Who may call what: every API endpoint × every kind of caller, as one table.

Each row names an endpoint (method and URL rule, as Flask routes it), how to build a request
to it against the demo project, and the status each kind of caller gets. The kinds: each role
of the demo project, a server administrator, a member of another project only, a user in no
project, a disabled user, a revoked token, and no token at all. The table is checked on
SQLite and PostgreSQL, and an endpoint the app routes that has no row fails the test: a new
endpoint joins the table.
"""
from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass, field
from typing import Callable

import pytest
from PIL import Image

from server.accounts.models import Token, User
from server.accounts.passwords import hash_password
from server.accounts.tokens import issue_token
from server.demo import demo_id
from server.extensions import db
from server.labels.codes import short_code
from server.projects.models import Membership, Project
from server.records.document import DocumentVersion
from server.timestamps import utcnow

from .conftest import demo_app
from .sync_client import Device, FlaskTransport

PROJECT = demo_id("project")
ROLES = ("foreman", "liaison", "safety", "quality", "supervisor", "admin")
CALLERS = (*ROLES, "server_admin", "other_project", "no_project", "disabled", "revoked",
           "anonymous")
SIGNED_OUT = {"disabled": 401, "revoked": 401, "anonymous": 401}
OUTSIDERS = ("other_project", "no_project")


def expect(members: int | dict, outsiders: int = 404, server_admin: int | None = None) -> dict:
    """Statuses by caller kind: `members` for every demo role (or a dict by role, the rest
    403), `outsiders` for callers in no demo membership, 401 for the signed out."""
    by_role = members if isinstance(members, dict) else dict.fromkeys(ROLES, members)
    table = {role: by_role.get(role, 403) for role in ROLES}
    table.update(dict.fromkeys(OUTSIDERS, outsiders))
    table["server_admin"] = outsiders if server_admin is None else server_admin
    table.update(SIGNED_OUT)
    return table


def only(*roles: str, status: int = 200) -> dict:
    return {role: status for role in roles}


def any_user(status: int) -> dict:
    """Every signed-in caller gets `status`, whatever their projects."""
    return {**dict.fromkeys(ROLES + OUTSIDERS + ("server_admin",), status), **SIGNED_OUT}


def public(status: int) -> dict:
    return dict.fromkeys(CALLERS, status)


@dataclass
class Site:
    """The demo project plus the callers the table names, on one app."""

    app: object
    client: object
    users: dict[str, str] = field(default_factory=dict)  # caller kind -> user id
    ids: dict[str, str] = field(default_factory=dict)    # named fixtures (blobs, inbox rows)

    def new_user(self) -> str:
        """The username of a new account in no project."""
        with self.app.app_context():
            username = _user(f"matrix-{uuid.uuid4().hex[:8]}").username
            db.session.commit()
        return username

    def token(self, kind: str) -> str | None:
        """A fresh token for the caller kind (a request may end its own session)."""
        if kind == "anonymous":
            return None
        with self.app.app_context():
            user = db.session.get(User, self.users[kind])
            token, row = issue_token(user)
            if kind == "revoked":
                row.revoked_at = utcnow()
            db.session.commit()
        return token


@dataclass(frozen=True)
class Row:
    method: str
    rule: str
    build: Callable[[Site], dict]  # -> {"path", "json"?, "data"?, "headers"?}
    statuses: dict


def _user(username: str, *, active: bool = True, **flags) -> User:
    user = User(username=username, name=username, password_hash=hash_password("m4trix-pass-phrase"),
                active=active)
    for name, value in flags.items():
        setattr(user, name, value)
    db.session.add(user)
    db.session.flush()
    return user


def _jpeg() -> bytes:
    """A small JPEG no other call makes (random pixels)."""
    out = io.BytesIO()
    Image.frombytes("RGB", (8, 8), os.urandom(8 * 8 * 3)).save(out, "JPEG")
    return out.getvalue()


def _upload(site: Site) -> dict:
    data = _jpeg()
    return {"path": f"/api/blobs/{hashlib.sha256(data).hexdigest()}", "data": data,
            "headers": {"Content-Type": "image/jpeg"}}


def build_site(app) -> Site:
    """The callers, and records for the rows that need one: a conflict and a rejected
    change in foreman1's inboxes, and a photo the demo project references."""
    site = Site(app, app.test_client())
    with app.app_context():
        for role in ROLES:
            site.users[role] = demo_id(f"{role}1")
        # The demo's admin1 also administers the server; the table's project admin does not.
        db.session.get(User, demo_id("admin1")).is_server_admin = False
        site.users["server_admin"] = _user("matrix-root", **server_admin_flag()).id
        other = Project(code="OTHER", name="Another project", settings={})
        db.session.add(other)
        db.session.flush()
        outsider = _user("matrix-other")
        db.session.add(Membership(project_id=other.id, user_id=outsider.id, role="admin"))
        site.users["other_project"] = outsider.id
        site.users["no_project"] = _user("matrix-none").id
        disabled = _user("matrix-off", active=False)
        db.session.add(Membership(project_id=PROJECT, user_id=disabled.id, role="admin"))
        site.users["disabled"] = disabled.id
        site.users["revoked"] = demo_id("admin1")
        db.session.commit()
        site.ids["other_project"] = other.id
        site.ids["drawing"] = db.session.get(DocumentVersion, demo_id("d-plan-B")).file
    transport = FlaskTransport(site.client)
    # A conflict: admin1 renames a task, then foreman1's older offline rename loses.
    admin = Device(transport, site.token("admin"))
    admin.put("task", demo_id("t1"), {"title": "Matrix title (kept)"})
    assert admin.push()[0] == 200
    foreman = Device(transport, site.token("foreman"), clock_offset_ms=-3_600_000)
    foreman.put("task", demo_id("t1"), {"title": "Matrix title (lost)"})
    status, body = foreman.push()
    assert status == 200 and body["results"][0]["status"] == "merged", body
    # A rejected change: a foreman may not log a complaint.
    foreman.put("feedback", str(uuid.uuid4()), {
        "project_id": PROJECT, "category": "noise", "description": "Matrix"})
    status, body = foreman.push()
    assert body["results"][0]["status"] == "rejected", body
    headers = {"Authorization": f"Bearer {foreman.token}"}
    site.ids["conflict"] = site.client.get("/api/sync/conflicts", headers=headers) \
        .get_json()["conflicts"][0]["id"]
    site.ids["rejected"] = site.client.get("/api/sync/rejected", headers=headers) \
        .get_json()["rejected"][0]["id"]
    # A photo uploaded by admin1 and put on a demo task; another only uploaded by foreman1.
    photo, loose = _jpeg(), _jpeg()
    for kind, data in (("admin", photo), ("foreman", loose)):
        sha = hashlib.sha256(data).hexdigest()
        response = site.client.put(f"/api/blobs/{sha}", data=data, headers={
            "Authorization": f"Bearer {site.token(kind)}", "Content-Type": "image/jpeg"})
        assert response.status_code == 201, response.get_json()
    with app.app_context():
        _, session = issue_token(db.session.get(User, site.users["foreman"]))
        db.session.commit()
        site.ids["foreman_session"] = session.id
    site.ids["photo"] = hashlib.sha256(photo).hexdigest()
    site.ids["loose_photo"] = hashlib.sha256(loose).hexdigest()
    admin.put("task", demo_id("t1"), {"photos": {"add": [site.ids["photo"]]}})
    assert admin.push()[1]["results"][-1]["status"] == "applied"
    return site


def server_admin_flag() -> dict:
    """The column that makes a user a server administrator."""
    return {"is_server_admin": True}


def _push(site: Site) -> dict:
    """A new comment on a demo task from a fresh device."""
    client_id = str(uuid.uuid4())
    return {"path": "/api/sync/push", "json": {
        "client_id": client_id, "schema_version": 1, "mutations": [{
            "mid": 1, "type": "comment", "id": str(uuid.uuid4()), "op": "put",
            "hlc": f"{1_700_000_000_000:015d}:00000:{client_id}",
            "fields": {"project_id": PROJECT, "subject_type": "task",
                       "subject_id": demo_id("t2"), "body": "matrix"}}]}}


def _fresh_code() -> str:
    return f"M{uuid.uuid4().hex[:8].upper()}"


TASK, FEEDBACK, SECTION = demo_id("t1"), demo_id("f1"), demo_id("A01")
MEMBERS_EVERY_ROLE = dict.fromkeys(ROLES, 200)

ROWS: tuple[Row, ...] = (
    Row("GET", "/api/health", lambda s: {"path": "/api/health"}, public(200)),
    Row("POST", "/api/auth/login", lambda s: {"path": "/api/auth/login", "json": {
        "username": f"nobody-{uuid.uuid4().hex[:8]}", "password": "wrong password here"}},
        public(401)),
    Row("POST", "/api/auth/logout", lambda s: {"path": "/api/auth/logout"}, any_user(204)),
    Row("GET", "/api/me", lambda s: {"path": "/api/me"}, any_user(200)),
    Row("GET", "/api/projects", lambda s: {"path": "/api/projects"}, any_user(200)),
    Row("POST", "/api/projects", lambda s: {"path": "/api/projects", "json": {
        "code": _fresh_code(), "name": "Matrix project"}},
        expect({}, outsiders=403, server_admin=201)),
    Row("POST", "/api/admin/users", lambda s: {"path": "/api/admin/users", "json": {
        "username": f"m-{uuid.uuid4().hex[:8]}", "name": "New user",
        "password": "a long matrix passphrase"}},
        expect({}, outsiders=403, server_admin=201)),
    # foreman2 belongs to the demo project alone: its admin may manage the account too.
    Row("PATCH", "/api/admin/users/<user_id>", lambda s: {
        "path": f"/api/admin/users/{demo_id('foreman2')}", "json": {"name": "王小明"}},
        {**expect(only("admin"), server_admin=200), "other_project": 404, "no_project": 403}),
    Row("POST", "/api/me/password", lambda s: {"path": "/api/me/password", "json": {
        "current_password": "not the password", "new_password": "another long passphrase"}},
        any_user(422)),
    Row("GET", "/api/me/sessions", lambda s: {"path": "/api/me/sessions"}, any_user(200)),
    Row("DELETE", "/api/me/sessions/<session_id>", lambda s: {
        "path": f"/api/me/sessions/{s.ids['foreman_session']}"},
        {**any_user(404), "foreman": 204}),
    Row("POST", "/api/projects/<project_id>/members", lambda s: {
        "path": f"/api/projects/{PROJECT}/members",
        "json": {"username": s.new_user(), "roles": ["foreman"]}},
        expect(only("admin", status=201))),
    Row("GET", "/api/projects/<project_id>/settings",
        lambda s: {"path": f"/api/projects/{PROJECT}/settings"}, expect(200)),
    Row("PATCH", "/api/projects/<project_id>/settings", lambda s: {
        "path": f"/api/projects/{PROJECT}/settings",
        "json": {"feedback_response_hours": {"noise": 24}}}, expect(only("admin"))),
    Row("GET", "/api/projects/<project_id>/members",
        lambda s: {"path": f"/api/projects/{PROJECT}/members"}, expect(200)),
    Row("PUT", "/api/projects/<project_id>/members/<user_id>", lambda s: {
        "path": f"/api/projects/{PROJECT}/members/{demo_id('foreman2')}",
        "json": {"roles": ["foreman"]}}, expect(only("admin"))),
    Row("POST", "/api/projects/<project_id>/sections", lambda s: {
        "path": f"/api/projects/{PROJECT}/sections",
        "json": {"code": _fresh_code(), "name": "Matrix section"}},
        expect(only("supervisor", "admin", status=201))),
    Row("PATCH", "/api/projects/<project_id>/sections/<section_id>", lambda s: {
        "path": f"/api/projects/{PROJECT}/sections/{SECTION}", "json": {"name": "A01 沟槽段"}},
        expect(only("supervisor", "admin"))),
    Row("POST", "/api/sync/push", _push, any_user(200)),
    Row("GET", "/api/sync/pull",
        lambda s: {"path": f"/api/sync/pull?client_id={uuid.uuid4()}&limit=5"}, any_user(200)),
    Row("GET", "/api/sync/conflicts", lambda s: {"path": "/api/sync/conflicts"}, any_user(200)),
    Row("DELETE", "/api/sync/conflicts/<int:conflict_id>",
        lambda s: {"path": f"/api/sync/conflicts/{s.ids['conflict']}"},
        {**any_user(404), "foreman": 204}),
    Row("GET", "/api/sync/rejected", lambda s: {"path": "/api/sync/rejected"}, any_user(200)),
    Row("DELETE", "/api/sync/rejected/<int:rejected_id>",
        lambda s: {"path": f"/api/sync/rejected/{s.ids['rejected']}"},
        {**any_user(404), "foreman": 204}),
    Row("GET", "/api/records/<type_name>/<record_id>",
        lambda s: {"path": f"/api/records/feedback/{FEEDBACK}"}, expect(200)),
    Row("GET", "/api/records/<type_name>/<record_id>/history",
        lambda s: {"path": f"/api/records/task/{TASK}/history"}, expect(200)),
    Row("GET", "/api/records/<type_name>/<record_id>/qr",
        lambda s: {"path": f"/api/records/section/{SECTION}/qr?format=svg"}, expect(200)),
    Row("GET", "/api/projects/<project_id>/sections/<section_id>/labels.pdf",
        lambda s: {"path": f"/api/projects/{PROJECT}/sections/{demo_id('B02')}/labels.pdf"},
        expect(200)),
    Row("GET", "/api/projects/<project_id>/codes/<code>",
        lambda s: {"path": f"/api/projects/{PROJECT}/codes/{short_code(demo_id('ws1'))}"},
        expect(200)),
    Row("GET", "/api/projects/<project_id>/privacy/access-log",
        lambda s: {"path": f"/api/projects/{PROJECT}/privacy/access-log?limit=5"},
        expect(only("admin"))),
    Row("GET", "/api/projects/<project_id>/privacy/resident",
        lambda s: {"path": f"/api/projects/{PROJECT}/privacy/resident?phone=138-1234-5678"},
        expect(only("admin"))),
    Row("GET", "/api/projects/<project_id>/my-day",
        lambda s: {"path": f"/api/projects/{PROJECT}/my-day?today=2026-12-04&utc_offset=480"}, expect(200)),
    Row("GET", "/api/projects/<project_id>/reports/daily",
        lambda s: {"path": f"/api/projects/{PROJECT}/reports/daily?format=html"}, expect(200)),
    Row("GET", "/api/projects/<project_id>/exports/<export_file>",
        lambda s: {"path": f"/api/projects/{PROJECT}/exports/complaints.csv"}, expect(200)),
    Row("PUT", "/api/blobs/<sha256>", _upload, any_user(201)),
    Row("GET", "/api/blobs/<sha256>",
        lambda s: {"path": f"/api/blobs/{s.ids['photo']}?variant=thumb"}, expect(200)),
    Row("HEAD", "/api/blobs/<sha256>",
        lambda s: {"path": f"/api/blobs/{s.ids['loose_photo']}"},
        {**any_user(404), "foreman": 200}),
    Row("GET", "/api/blobs/<sha256>/pages",
        lambda s: {"path": f"/api/blobs/{s.ids['drawing']}/pages"}, expect(200)),
    Row("GET", "/api/blobs/<sha256>/pages/<int:number>",
        lambda s: {"path": f"/api/blobs/{s.ids['drawing']}/pages/2?width=300"}, expect(200)),
)


def api_routes(app) -> set[tuple[str, str]]:
    """(method, rule) of every API endpoint the app routes."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/openapi.json":
            continue
        for method in rule.methods - {"OPTIONS"}:
            if method == "HEAD" and "GET" in rule.methods and rule.endpoint != "blobs.exists":
                continue  # Flask's automatic HEAD of a GET
            found.add((method, rule.rule))
    return found


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(request.param)) as app:
        yield build_site(app)


def test_every_endpoint_has_a_row(site):
    """An endpoint without a row in the table fails here: add it with its statuses."""
    rows = {(row.method, row.rule) for row in ROWS}
    assert api_routes(site.app) - rows == set(), "endpoints missing from the table"
    assert rows - api_routes(site.app) == set(), "rows for endpoints the app does not route"


def test_every_row_names_every_caller():
    for row in ROWS:
        assert set(row.statuses) == set(CALLERS), (row.method, row.rule)


CASES = [pytest.param(row, caller, id=f"{row.method} {row.rule} as {caller}")
         for row in ROWS for caller in CALLERS]


@pytest.mark.parametrize("row,caller", CASES)
def test_endpoint_answers_caller(site, row: Row, caller: str):
    request = row.build(site)
    headers = dict(request.get("headers", {}))
    token = site.token(caller)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = site.client.open(request["path"], method=row.method, json=request.get("json"),
                                data=request.get("data"), headers=headers)
    expected = row.statuses[caller]
    assert response.status_code == expected, (caller, response.get_data(as_text=True)[:300])
    if response.status_code >= 400 and row.method != "HEAD":
        assert set(response.get_json()) == {"error"}
    if row.rule == "/api/sync/push" and response.status_code == 200:
        result = response.get_json()["results"][0]
        assert result["status"] == ("applied" if caller in ROLES else "rejected"), result
