"""The permission table, proven through the real push endpoint.

Every role × record type × action of `server.permissions.PERMISSIONS` is attempted by a
demo user holding only that role, on a record set up fresh in the right starting state
by another admin; the table says whether it is `applied` or `rejected`. Then the
`@author` rules, masking of residents' details, and non-members.
"""
from __future__ import annotations

import uuid
from collections import deque

import pytest

from server.approvals.table import RULES, approval_id
from server.demo import demo_id
from server.permissions import PERMISSIONS
from server.records import KINDS

from .conftest import DEMO_PASSWORD, demo_app
from .sync_client import Device, FlaskTransport

ROLES = ("foreman", "liaison", "safety", "quality", "supervisor", "admin")
ACTOR = {"foreman": "foreman1", "liaison": "liaison1", "safety": "safety1", "quality": "quality1",
         "supervisor": "supervisor1", "admin": "admin1"}
PROJECT = demo_id("project")
PHONE, NAME = "13812345678", "周女士"


def create_fields(type_name: str) -> dict:
    """Valid fields of a new record of `type_name` in the demo project."""
    subject = {"subject_type": "task", "subject_id": demo_id("t2")}
    return {"project_id": PROJECT, **{
        "section": {"code": f"S{uuid.uuid4().hex[:6]}", "name": "Trial section"},
        "task": {"title": "Backfill trench A-03", "priority": "high", "progress": 10},
        "briefing": {"date": "2026-11-24", "weather": "sunny"},
        "safety_check": {"date": "2026-11-24", "likelihood": 2, "severity": 3},
        "action": {"description": "Fence the trench", "check_id": demo_id("c1")},
        # Satisfaction is set so the feedback may be closed later.
        "feedback": {"category": "noise", "description": "Breaker after 23:00",
                     "resident_name": NAME, "resident_phone": PHONE, "satisfaction": 4},
        "approval": {**subject, "kind": "acceptance", "note": "please check"},
        "comment": {**subject, "body": "Noted."},
        "checklist": {"code": f"trial-{uuid.uuid4().hex[:6]}", "name": "Trial template",
                      "items": [{"code": "TR01", "text": "Barriers in place"}]},
        "worker": {"name": "王建军", "trade": "钢筋工", "team": "一班", "active": True},
        "work_step": {"section_id": demo_id("B01"), "step": "回填", "crew": "路面班"},
        "photo_meta": {"sha256": "ab" * 32, "taken_at": "2026-12-04T08:00:00Z",
                       "latitude": 31.2304, "longitude": 121.4737, "accuracy_m": 12.5},
        "document": {"kind": "drawing", "title": "给水管平面图", "number": "给施-01"},
        "document_version": {"document_id": demo_id("d-plan"), "file": "ab" * 32,
                             "revision": "A", "note": "first issue"},
        "pin": {"document_id": demo_id("d-plan"), "version_id": demo_id("d-plan-B"), "page": 1,
                "x": 0.25, "y": 0.5, **subject},
    }[type_name]}


# One plain (non-state) field per type, edited to a new value.
EDIT = {"section": ("name", "Renamed section"), "task": ("title", "Renamed task"),
        "briefing": ("weather", "rain"), "safety_check": ("notes", "rechecked"),
        "action": ("description", "Fence and light the trench"),
        "feedback": ("description", "Breaker after 22:00"), "approval": ("note", "updated"),
        "checklist": ("name", "Renamed template"), "worker": ("team", "二班"),
        "work_step": ("crew", "管道二班"), "photo_meta": ("accuracy_m", 8.0),
        "document": ("title", "给水管平面图（修）"), "pin": ("x", 0.75)}
# New values for fields with their own rule (`edit:<field>` in the table).
FIELD_EDIT = {("approval", "decision_comment"): "Checked on site: fine",
              ("approval", "photos"): {"add": ["ab" * 32]}}
# Types the server alone writes: no role creates, edits or moves them (tested apart).
SERVER_WRITTEN = {"escalation"}


def path_to(type_name: str, state: str) -> list[str]:
    """The states a new record of `type_name` moves through to reach `state`."""
    machine = KINDS[type_name].type.machine
    queue, seen = deque([(machine.initial, [])]), {machine.initial}
    while queue:
        current, steps = queue.popleft()
        if current == state:
            return steps
        for target in machine.transitions.get(current, ()):
            if target not in seen:
                seen.add(target)
                queue.append((target, steps + [target]))
    raise AssertionError(f"{state} cannot be reached for {type_name}")


def by_person(type_name: str, action: str) -> bool:
    """Whether an action is granted by who a record names rather than by role alone: the
    inspections and the moves they drive, proven person by person in test_inspections.py."""
    return type_name == "inspection" or (
        type_name == "work_step" and action.startswith("status:")
        and action != "status:planned->in_progress")


def matrix_cases() -> list:
    """(role, type, action, allowed) for every role and every action in the table."""
    cases = []
    for type_name, actions in PERMISSIONS.items():
        if type_name in SERVER_WRITTEN:
            continue
        for action, granted in actions.items():
            if by_person(type_name, action):
                continue
            for role in ROLES:
                case_id = f"{role}-{type_name}-{action}"
                cases.append(pytest.param(role, type_name, action, role in granted, id=case_id))
    return cases


class Site:
    """The demo project on one app, with a setup admin and a logged-in user per role."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.transport = FlaskTransport(self.client)
        self.tokens = {username: self.login(username) for username in ACTOR.values()}
        self.tokens["foreman2"] = self.login("foreman2")
        # Records are set up by a second admin, so no actor below is their author.
        self.setup_user = self.add_user("setup-admin", ["admin"])
        self.tokens["setup-admin"] = self.login("setup-admin")

    def login(self, username: str) -> str:
        response = self.client.post("/api/auth/login",
                                    json={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["token"]

    def headers(self, username: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def add_user(self, username: str, roles: list[str]) -> str:
        """A new user holding `roles` in the demo project (empty: no membership)."""
        response = self.client.post("/api/admin/users", headers=self.headers("admin1"), json={
            "username": username, "name": username, "password": DEMO_PASSWORD})
        assert response.status_code == 201, response.get_json()
        user_id = response.get_json()["id"]
        if roles:
            response = self.client.put(f"/api/projects/{PROJECT}/members/{user_id}",
                                       headers=self.headers("admin1"), json={"roles": roles})
            assert response.status_code == 200, response.get_json()
        return user_id

    def device(self, username: str) -> Device:
        """A freshly installed device of `username` (mids start at 1)."""
        return Device(self.transport, self.tokens[username])

    def push_one(self, username: str, mutation_of) -> dict:
        """Push one mutation made by `mutation_of(device)`; its result."""
        device = self.device(username)
        mutation_of(device)
        status, body = device.push()
        assert status == 200, body
        return body["results"][0]

    def set_up(self, type_name: str, state: str | None = None, username: str = "setup-admin",
               fields: dict | None = None) -> str:
        """A new record of `type_name`, moved to `state`; its id."""
        record_id = str(uuid.uuid4())
        device = self.device(username)
        device.put(type_name, record_id, fields or create_fields(type_name))
        for step in path_to(type_name, state) if state else []:
            device.put(type_name, record_id, {"status": step})
        status, body = device.push()
        assert status == 200, body
        assert [r["status"] for r in body["results"]] == ["applied"] * len(body["results"]), body
        return record_id

    def record(self, type_name: str, record_id: str, username: str = "setup-admin"):
        """The record as `username` reads it (status code, body)."""
        response = self.client.get(f"/api/records/{type_name}/{record_id}",
                                   headers=self.headers(username))
        return response.status_code, response.get_json()


def _serve(backend: str, tmp_path_factory):
    """Yield a Site with the demo loaded on `backend`; drop its database after."""
    with demo_app(backend, tmp_path_factory.mktemp(f"permissions-{backend}")) as app:
        yield Site(app)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One app with the demo loaded for the whole module (each case makes fresh records)."""
    yield from _serve("sqlite", tmp_path_factory)


@pytest.fixture(scope="module")
def pg_site(tmp_path_factory):
    """Like `site`, on PostgreSQL."""
    yield from _serve("postgresql", tmp_path_factory)


def test_demo_actors_hold_exactly_one_role(site):
    for role, username in ACTOR.items():
        me = site.client.get("/api/me", headers=site.headers(username)).get_json()["user"]
        assert me["roles"] == [role]


def test_table_covers_every_type_and_every_move_of_each_state_machine():
    assert set(PERMISSIONS) == set(KINDS)
    for name, kind in KINDS.items():
        machine = kind.type.machine
        moves = {f"status:{source}->{target}" for source, targets in
                 (machine.transitions.items() if machine else ()) for target in targets}
        assert {a for a in PERMISSIONS[name] if a.startswith("status:")} == moves, name
        assert {"create", "delete"} <= set(PERMISSIONS[name]), name
        assert ("edit" in PERMISSIONS[name]) == (not kind.type.append_only), name
        for action in PERMISSIONS[name]:
            if action.startswith("edit:"):
                assert kind.type.kind(action.removeprefix("edit:")) is not None, (name, action)


# What docs/sync-protocol.md ("Roles") promises every server allows at least.
PROTOCOL_MINIMUM = {
    "foreman": {"task": {"create", "edit", "status:todo->doing", "status:doing->done",
                         "status:done->doing"},
                "briefing": {"create"}, "safety_check": {"create"}, "action": {"create"},
                "comment": {"create"}},
    "liaison": {"feedback": {"create", "edit", "status:received->acknowledged",
                             "status:acknowledged->in_progress", "status:in_progress->resolved",
                             "status:resolved->closed"},
                "comment": {"create"}},
    "safety": {"safety_check": set(PERMISSIONS["safety_check"]), "action": set(PERMISSIONS["action"])},
    "supervisor": {"task": {"status:done->accepted"},
                   "briefing": {"status:submitted->acknowledged"},
                   "approval": {"status:pending->approved", "status:pending->rejected"},
                   "safety_check": {"status:verified->closed"}},
    "admin": {type_name: set(actions) for type_name, actions in PERMISSIONS.items()
              if type_name not in SERVER_WRITTEN},
}


def test_table_grants_at_least_what_the_protocol_promises():
    for role, types in PROTOCOL_MINIMUM.items():
        for type_name, actions in types.items():
            refused = {a for a in actions if role not in PERMISSIONS[type_name][a]}
            assert not refused, (role, type_name, refused)
    # "supervisor: everything a foreman may".
    for type_name, actions in PERMISSIONS.items():
        for action, granted in actions.items():
            assert "foreman" not in granted or "supervisor" in granted, (type_name, action)


def attempt(site: Site, role: str, type_name: str, action: str, allowed: bool) -> None:
    """Have the user holding only `role` try `action`, and check the answer and the record."""
    actor = ACTOR[role]
    if action == "create":
        record_id = str(uuid.uuid4())
        result = site.push_one(actor, lambda d: d.put(type_name, record_id,
                                                      create_fields(type_name)))
        found, body = site.record(type_name, record_id)
        assert found == (200 if allowed else 404), body
        if allowed:
            assert body["data"]["project_id"] == PROJECT
    elif action == "edit" or action.startswith("edit:"):
        record_id = site.set_up(type_name)
        if action == "edit":
            name, value = EDIT[type_name]
            assert f"edit:{name}" not in PERMISSIONS[type_name], "EDIT must use a plain field"
        else:
            name = action.removeprefix("edit:")
            value = FIELD_EDIT[(type_name, name)]
        before = site.record(type_name, record_id)[1]["data"].get(name)
        result = site.push_one(actor, lambda d: d.put(type_name, record_id, {name: value}))
        stored = value["add"] if isinstance(value, dict) else value
        assert site.record(type_name, record_id)[1]["data"].get(name) == (stored if allowed else before)
    elif action.startswith("decide:"):
        record_id = pending_approval(site, action.removeprefix("decide:"))
        result = site.push_one(actor, lambda d: d.put(type_name, record_id, {"status": "approved"}))
        status = site.record(type_name, record_id)[1]["data"]["status"]
        assert status == ("approved" if allowed else "pending")
    elif action == "delete":
        record_id = site.set_up(type_name)
        result = site.push_one(actor, lambda d: d.delete(type_name, record_id))
        assert site.record(type_name, record_id)[1]["deleted"] is allowed
    else:
        source, target = action.removeprefix("status:").split("->")
        record_id = site.set_up(type_name, source)
        result = site.push_one(actor, lambda d: d.put(type_name, record_id, {"status": target}))
        status = site.record(type_name, record_id)[1]["data"]["status"]
        assert status == (target if allowed else source)

    if allowed:
        assert result["status"] == "applied", result
    else:
        assert result["status"] == "rejected", result
        expected = "invalid_transition" if action.startswith(("status:", "decide:")) else "forbidden"
        assert result["error"]["code"] == expected, result


def pending_approval(site: Site, kind: str) -> str:
    """A pending approval of `kind`, opened the way the server opens it; its id."""
    rule = RULES[kind]
    if rule.opened_on_create:
        # A version of a change order, or one of a drawing needing sign-off.
        document = site.set_up("document", fields={**create_fields("document"), "kind": (
            "change_order" if kind == "change_order" else "drawing")})
        subject = site.set_up(rule.subject_type, fields={
            **create_fields("document_version"), "document_id": document, "needs_signoff": True})
        return approval_id(rule.subject_type, subject, kind, 1)
    subject = site.set_up(rule.subject_type, rule.awaiting)
    return approval_id(rule.subject_type, subject, kind, 1)


@pytest.mark.parametrize("role, type_name, action, allowed", matrix_cases())
def test_permission_matrix(site, role, type_name, action, allowed):
    attempt(site, role, type_name, action, allowed)


# A smoke subset of the matrix on PostgreSQL (SQLite runs all of it): for each type, a
# role often allowed and one often refused, on create, edit, delete and its last move.
SMOKE = [case for case in matrix_cases() if case.values[0] in ("foreman", "supervisor")
         and case.values[2] in ("create", "edit", "delete", "status:done->accepted",
                                "status:pending->approved", "status:done->verified",
                                "status:resolved->closed", "status:verified->closed")]


@pytest.mark.parametrize("role, type_name, action, allowed", SMOKE)
def test_permission_matrix_smoke_on_postgresql(pg_site, role, type_name, action, allowed):
    attempt(pg_site, role, type_name, action, allowed)


# -- @author rules ------------------------------------------------------------------------

@pytest.mark.parametrize("type_name", ["task", "briefing"])
def test_foreman_may_delete_own_record_but_not_another_foremans(site, type_name):
    own = site.set_up(type_name, username="foreman1")
    others = site.set_up(type_name, username="foreman2")
    assert PERMISSIONS[type_name]["delete"].isdisjoint({"foreman"})

    result = site.push_one("foreman1", lambda d: d.delete(type_name, own))
    assert result["status"] == "applied", result
    assert site.record(type_name, own)[1]["deleted"] is True

    result = site.push_one("foreman1", lambda d: d.delete(type_name, others))
    assert result["error"]["code"] == "forbidden", result
    assert site.record(type_name, others)[1]["deleted"] is False


def test_safety_check_author_without_lead_role_may_delete_it(site):
    own = site.set_up("safety_check", username="foreman1")
    result = site.push_one("foreman1", lambda d: d.delete("safety_check", own))
    assert result["status"] == "applied", result


def test_author_may_withdraw_own_approval_but_not_anothers(site):
    own = site.set_up("approval", username="foreman1")
    others = site.set_up("approval", username="foreman2")

    result = site.push_one("foreman1", lambda d: d.put("approval", others, {"status": "withdrawn"}))
    assert result["error"]["code"] == "invalid_transition", result
    assert site.record("approval", others)[1]["data"]["status"] == "pending"

    result = site.push_one("foreman1", lambda d: d.put("approval", own, {"status": "withdrawn"}))
    assert result["status"] == "applied", result
    assert site.record("approval", own)[1]["data"]["status"] == "withdrawn"


def test_author_may_edit_own_approval_note_but_may_not_decide_it(site):
    own = site.set_up("approval", username="foreman1")
    result = site.push_one("foreman1", lambda d: d.put("approval", own, {"note": "more detail"}))
    assert result["status"] == "applied", result
    result = site.push_one("foreman1", lambda d: d.put("approval", own, {"status": "approved"}))
    assert result["error"]["code"] == "invalid_transition", result
    data = site.record("approval", own)[1]["data"]
    assert (data["note"], data["status"]) == ("more detail", "pending")


def test_author_may_delete_own_comment_but_not_anothers(site):
    own = site.set_up("comment", username="liaison1")
    others = site.set_up("comment", username="foreman1")
    result = site.push_one("liaison1", lambda d: d.delete("comment", others))
    assert result["error"]["code"] == "forbidden", result
    result = site.push_one("liaison1", lambda d: d.delete("comment", own))
    assert result["status"] == "applied", result


def test_authorship_does_not_grant_a_move_the_authors_role_may_not_make(site):
    """The foreman who wrote a task still may not accept it."""
    own = site.set_up("task", username="foreman1")
    result = site.push_one("foreman1", lambda d: d.put("task", own, {"status": "doing"}))
    assert result["status"] == "applied"
    # The author's roles still decide the move to accepted.
    site.push_one("foreman1", lambda d: d.put("task", own, {"status": "done"}))
    result = site.push_one("foreman1", lambda d: d.put("task", own, {"status": "accepted"}))
    assert result["error"]["code"] == "invalid_transition", result


def test_a_user_with_several_roles_holds_the_union_of_their_rights(site):
    """Roles given through the admin endpoints add up: foreman + safety may verify actions."""
    site.add_user("foreman-safety", ["foreman", "safety"])
    site.tokens["foreman-safety"] = site.login("foreman-safety")
    action = site.set_up("action", "done")
    result = site.push_one("foreman-safety", lambda d: d.put("action", action,
                                                             {"status": "verified"}))
    assert result["status"] == "applied", result
    task = str(uuid.uuid4())
    result = site.push_one("foreman-safety", lambda d: d.put("task", task, create_fields("task")))
    assert result["status"] == "applied", result


# -- masking --------------------------------------------------------------------------------

@pytest.mark.parametrize("role, unmasked", [
    ("foreman", False), ("liaison", True), ("safety", False), ("supervisor", True),
    ("admin", True)])
def test_resident_details_are_masked_for_roles_that_may_not_read_them(site, role, unmasked):
    feedback = site.set_up("feedback", username="liaison1")
    expected = ({"resident_phone": PHONE, "resident_name": NAME} if unmasked
                else {"resident_phone": "138****5678", "resident_name": "周**"})
    actor = ACTOR[role]

    status, body = site.record("feedback", feedback, actor)
    assert status == 200, body
    assert {k: body["data"][k] for k in expected} == expected

    device = site.device(actor)
    pulled = {c["id"]: c for c in device.pull_all()}
    assert {k: pulled[feedback]["data"][k] for k in expected} == expected

    response = site.client.get(f"/api/records/feedback/{feedback}/history",
                               headers=site.headers(actor))
    written = {e["field"]: e["new"] for e in response.get_json()["history"]}
    assert {k: written[k] for k in expected} == expected


# -- non-members ---------------------------------------------------------------------------

def test_a_user_outside_the_project_may_neither_write_nor_read_it(site):
    site.add_user("outsider", [])
    site.tokens["outsider"] = site.login("outsider")
    task = site.set_up("task")

    new_id = str(uuid.uuid4())
    created = site.push_one("outsider", lambda d: d.put("task", new_id, create_fields("task")))
    edited = site.push_one("outsider", lambda d: d.put("task", task, {"title": "mine now"}))
    moved = site.push_one("outsider", lambda d: d.put("task", task, {"status": "doing"}))
    deleted = site.push_one("outsider", lambda d: d.delete("task", task))
    for result in (created, edited, moved, deleted):
        assert result["status"] == "rejected", result
        assert result["error"]["code"] == "forbidden", result

    assert site.record("task", new_id)[0] == 404
    assert site.record("task", task)[1]["data"]["title"] == create_fields("task")["title"]
    assert site.record("task", task)[1]["data"]["status"] == "todo"
    assert site.record("task", task, "outsider")[0] == 404
    assert site.device("outsider").pull_all() == []


def test_a_member_of_another_project_may_not_write_into_this_one(site):
    response = site.client.post("/api/projects", headers=site.headers("admin1"),
                                json={"code": "OTHER", "name": "Other works"})
    assert response.status_code == 201, response.get_json()
    other = response.get_json()["id"]
    user_id = site.add_user("other-admin", [])
    response = site.client.put(f"/api/projects/{other}/members/{user_id}",
                               headers=site.headers("admin1"), json={"roles": ["admin"]})
    assert response.status_code == 200, response.get_json()
    site.tokens["other-admin"] = site.login("other-admin")

    task = str(uuid.uuid4())
    result = site.push_one("other-admin", lambda d: d.put("task", task, create_fields("task")))
    assert result["error"]["code"] == "forbidden", result
    pulled = site.device("other-admin").pull_all()
    assert {c["data"]["project_id"] for c in pulled} <= {other}
