"""Admin endpoints: users, memberships and roles, projects, and grid sections."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from server.demo import demo_id
from server.extensions import db

from .conftest import DEMO_PASSWORD, demo_app, make_app
from .sync_client import Device, FlaskTransport

PROJECT = demo_id("project")


class Site:
    """The demo project on one app, shared by this module's tests."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.tokens: dict[str, str] = {}

    def headers(self, username: str) -> dict:
        if username not in self.tokens:
            response = self.client.post("/api/auth/login", json={
                "username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 200, response.get_json()
            self.tokens[username] = response.get_json()["token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def create_user(self, username: str, **extra):
        return self.client.post("/api/admin/users", headers=self.headers("admin1"), json={
            "username": username, "name": f"Name of {username}", "password": DEMO_PASSWORD,
            **extra})

    def set_roles(self, user_id: str, roles: list[str], by: str = "admin1",
                  project: str = PROJECT):
        return self.client.put(f"/api/projects/{project}/members/{user_id}",
                               headers=self.headers(by), json={"roles": roles})

    def members(self, project: str = PROJECT) -> dict:
        response = self.client.get(f"/api/projects/{project}/members",
                                   headers=self.headers("admin1"))
        assert response.status_code == 200, response.get_json()
        return {m["username"]: m["roles"] for m in response.get_json()["members"]}

    def device(self, username: str) -> Device:
        self.headers(username)
        return Device(FlaskTransport(self.client), self.tokens[username])

    def snapshot(self) -> dict:
        """Every table's row count: what "nothing changed" compares."""
        with self.app.app_context():
            return {table.name: db.session.execute(select(func.count()).select_from(table))
                    .scalar_one() for table in db.metadata.sorted_tables}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_app("sqlite", tmp_path_factory.mktemp("admin")) as app:
        yield Site(app)


def test_admin_creates_a_user_who_can_log_in(site):
    response = site.create_user("surveyor1", phone="13900001111")
    assert response.status_code == 201, response.get_json()
    user = response.get_json()
    assert uuid.UUID(user["id"])
    assert {k: user[k] for k in ("username", "name", "phone", "active")} == {
        "username": "surveyor1", "name": "Name of surveyor1", "phone": "13900001111",
        "active": True}
    assert not {"password", "password_hash"} & set(user)
    me = site.client.get("/api/me", headers=site.headers("surveyor1")).get_json()["user"]
    assert (me["id"], me["roles"], me["memberships"]) == (user["id"], [], [])


def test_a_duplicate_username_is_409_and_changes_nothing(site):
    site.headers("admin1")  # logged in before counting, whichever test ran first
    before = site.snapshot()
    response = site.create_user("foreman1")
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and "username" in error["fields"], error
    assert site.snapshot() == before


def test_several_roles_are_set_at_once_and_replaced_whole(site):
    user_id = site.create_user("multi1").get_json()["id"]
    response = site.set_roles(user_id, ["safety", "foreman", "liaison"])
    assert response.status_code == 200, response.get_json()
    listed = {m["username"]: m["roles"] for m in response.get_json()["members"]}
    assert listed["multi1"] == ["foreman", "liaison", "safety"]
    me = site.client.get("/api/me", headers=site.headers("multi1")).get_json()["user"]
    assert me["roles"] == ["foreman", "liaison", "safety"]
    assert me["memberships"][0]["project_id"] == PROJECT

    # Each role's rights hold at once: a task (foreman) and feedback (liaison).
    device = site.device("multi1")
    device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "by multi1"})
    device.put("feedback", str(uuid.uuid4()), {"project_id": PROJECT, "category": "dust",
                                               "description": "by multi1"})
    status, body = device.push()
    assert [r["status"] for r in body["results"]] == ["applied", "applied"], body

    response = site.set_roles(user_id, ["supervisor"])
    assert response.status_code == 200
    assert site.members()["multi1"] == ["supervisor"]
    me = site.client.get("/api/me", headers=site.headers("multi1")).get_json()["user"]
    assert me["roles"] == ["supervisor"]


def test_repeating_a_role_is_harmless(site):
    user_id = site.create_user("repeat1").get_json()["id"]
    response = site.set_roles(user_id, ["foreman", "foreman"])
    assert response.status_code == 200, response.get_json()
    assert site.members()["repeat1"] == ["foreman"]


def test_removing_a_membership_ends_access_to_the_project(site):
    user_id = site.create_user("leaver1").get_json()["id"]
    assert site.set_roles(user_id, ["foreman"]).status_code == 200
    device = site.device("leaver1")
    pulled = device.pull_all()
    assert pulled and all(c["data"]["project_id"] == PROJECT for c in pulled)
    task = demo_id("t2")
    assert site.client.get(f"/api/records/task/{task}", headers=site.headers("leaver1")).status_code == 200

    response = site.set_roles(user_id, [])
    assert response.status_code == 200, response.get_json()
    assert "leaver1" not in site.members()
    projects = site.client.get("/api/projects", headers=site.headers("leaver1")).get_json()
    assert projects == {"projects": []}
    assert site.client.get(f"/api/records/task/{task}", headers=site.headers("leaver1")).status_code == 404
    device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "after leaving"})
    status, body = device.push()
    assert body["results"][0]["error"]["code"] == "forbidden", body

    # The device is told to forget every record it had of the project.
    evicted = device.pull_all()
    assert {(c["type"], c["id"]) for c in evicted} >= {(c["type"], c["id"]) for c in pulled}
    assert all(c["deleted"] and c.get("evicted") for c in evicted), evicted[:3]
    assert device.records == {}


@pytest.mark.parametrize("username", ["foreman1", "supervisor1", "liaison1", "safety1"])
def test_non_admins_may_not_administer(site, username):
    target = demo_id("foreman2")
    headers = site.headers(username)
    before = site.snapshot()
    attempts = [
        site.client.post("/api/admin/users", headers=headers, json={
            "username": f"made-by-{username}", "name": "x", "password": DEMO_PASSWORD}),
        site.client.patch(f"/api/admin/users/{target}", headers=headers,
                          json={"active": False}),
        site.client.patch(f"/api/admin/users/{target}", headers=headers,
                          json={"password": "taken-over-1"}),
        site.client.put(f"/api/projects/{PROJECT}/members/{target}",
                        headers=headers, json={"roles": ["admin"]}),
        site.client.put(f"/api/projects/{PROJECT}/members/{demo_id(username)}",
                        headers=headers, json={"roles": ["admin"]}),
        site.client.post("/api/projects", headers=headers,
                         json={"code": "MINE", "name": "x"}),
    ]
    for response in attempts:
        assert response.status_code == 403, response.get_json()
        assert response.get_json()["error"]["code"] == "forbidden"
    assert site.snapshot() == before
    assert site.members()["foreman2"] == ["foreman"]


def test_an_admin_may_not_lock_themselves_out(site):
    admin_id = demo_id("admin1")
    response = site.client.patch(f"/api/admin/users/{admin_id}", headers=site.headers("admin1"),
                                 json={"active": False})
    assert response.status_code == 409, response.get_json()
    response = site.set_roles(admin_id, ["supervisor"])
    assert response.status_code == 409, response.get_json()
    assert site.members()["admin1"] == ["admin"]


def test_an_admin_of_one_project_may_not_manage_members_of_another(site):
    response = site.client.post("/api/projects", headers=site.headers("admin1"),
                                json={"code": "NORTH", "name": "North works"})
    assert response.status_code == 201, response.get_json()
    north = response.get_json()["id"]
    outsider = site.create_user("north-admin").get_json()["id"]
    assert site.set_roles(outsider, ["admin"], project=north).status_code == 200
    response = site.set_roles(demo_id("foreman1"), ["admin"], by="north-admin")
    assert response.status_code == 404, response.get_json()
    assert site.members()["foreman1"] == ["foreman"]


def test_the_creator_of_a_project_is_its_admin(site):
    response = site.client.post("/api/projects", headers=site.headers("admin1"),
                                json={"code": "SOUTH", "name": "South works"})
    assert response.status_code == 201
    south = response.get_json()
    assert south["roles"] == ["admin"]
    assert site.members(south["id"]) == {"admin1": ["admin"]}
    response = site.client.post("/api/projects", headers=site.headers("admin1"),
                                json={"code": "SOUTH", "name": "Again"})
    assert response.status_code == 409, response.get_json()


def test_any_member_may_list_members_but_not_of_other_projects(site):
    response = site.client.get(f"/api/projects/{PROJECT}/members", headers=site.headers("foreman1"))
    assert response.status_code == 200
    assert {"foreman1", "liaison1", "admin1"} <= {m["username"] for m in response.get_json()["members"]}
    response = site.client.get(f"/api/projects/{uuid.uuid4()}/members", headers=site.headers("foreman1"))
    assert response.status_code == 404


# -- sections -----------------------------------------------------------------------------

def test_sections_created_and_updated_by_an_admin_appear_in_pull(site):
    device = site.device("foreman1")
    device.pull_all()
    response = site.client.post(f"/api/projects/{PROJECT}/sections", headers=site.headers("admin1"),
                                json={"code": "E01", "name": "East drainage",
                                      "owner_id": demo_id("foreman2"), "description": "d600"})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "applied" and created["seq"] > 0

    changes = device.pull_all()
    assert [(c["type"], c["id"]) for c in changes] == [("section", created["id"])]
    assert changes[0]["data"] == {"project_id": PROJECT, "code": "E01", "name": "East drainage",
                                  "owner_id": demo_id("foreman2"), "description": "d600"}

    response = site.client.patch(f"/api/projects/{PROJECT}/sections/{created['id']}",
                                 headers=site.headers("admin1"),
                                 json={"name": "East drainage (d800)", "owner_id": demo_id("foreman1")})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["seq"] > created["seq"]
    changes = device.pull_all()
    assert len(changes) == 1
    assert {k: changes[0]["data"][k] for k in ("code", "name", "owner_id")} == {
        "code": "E01", "name": "East drainage (d800)", "owner_id": demo_id("foreman1")}


def test_a_supervisor_may_create_sections_and_a_foreman_may_not(site):
    response = site.client.post(f"/api/projects/{PROJECT}/sections",
                                headers=site.headers("supervisor1"), json={"code": "E02", "name": "x"})
    assert response.status_code == 201, response.get_json()
    section = response.get_json()["id"]
    before = site.snapshot()
    response = site.client.post(f"/api/projects/{PROJECT}/sections",
                                headers=site.headers("foreman1"), json={"code": "E03", "name": "x"})
    assert response.status_code == 403, response.get_json()
    assert response.get_json()["error"]["code"] == "forbidden"
    response = site.client.patch(f"/api/projects/{PROJECT}/sections/{section}",
                                 headers=site.headers("foreman1"), json={"name": "renamed"})
    assert response.status_code == 403, response.get_json()
    # A refused request answers the caller; it leaves nothing behind, not even in the
    # caller's inbox of rejected mutations (those are for pushes a device could not show).
    assert site.snapshot() == before
    rejected = site.client.get("/api/sync/rejected", headers=site.headers("foreman1")).get_json()
    assert rejected["rejected"] == []


@pytest.mark.parametrize("path, body, status", [
    (f"/api/projects/{PROJECT}/sections/{uuid.uuid4()}", {"name": "x"}, 404),
    (f"/api/projects/{PROJECT}/sections/{demo_id('t2')}", {"name": "x"}, 404),
    (f"/api/projects/{PROJECT}/sections/{demo_id('A01')}", {}, 422),
    (f"/api/projects/{uuid.uuid4()}/sections/{demo_id('A01')}", {"name": "x"}, 404),
], ids=["unknown-section", "a-task-not-a-section", "empty-body", "unknown-project"])
def test_bad_section_updates_are_refused(site, path, body, status):
    before = site.snapshot()
    response = site.client.patch(path, headers=site.headers("admin1"), json=body)
    assert response.status_code == status, response.get_json()
    assert site.snapshot() == before


def test_a_section_of_another_project_is_not_found_through_this_one(site):
    response = site.client.post("/api/projects", headers=site.headers("admin1"),
                                json={"code": "WEST", "name": "West works"})
    west = response.get_json()["id"]
    response = site.client.post(f"/api/projects/{west}/sections", headers=site.headers("admin1"),
                                json={"code": "W01", "name": "West 1"})
    assert response.status_code == 201, response.get_json()
    response = site.client.patch(f"/api/projects/{PROJECT}/sections/{response.get_json()['id']}",
                                 headers=site.headers("admin1"), json={"name": "moved"})
    assert response.status_code == 404, response.get_json()


def test_admin_changes_do_not_need_a_fresh_login(site):
    """Roles are read on every request, so a role given now works on the next push."""
    user_id = site.create_user("promoted1").get_json()["id"]
    assert site.set_roles(user_id, ["foreman"]).status_code == 200
    device = site.device("promoted1")
    feedback = str(uuid.uuid4())
    device.put("feedback", feedback, {"project_id": PROJECT, "category": "dust",
                                      "description": "x"})
    assert device.push()[1]["results"][0]["error"]["code"] == "forbidden"
    assert site.set_roles(user_id, ["foreman", "liaison"]).status_code == 200
    device.put("feedback", feedback, {"project_id": PROJECT, "category": "dust",
                                      "description": "x"})
    assert device.push()[1]["results"][0]["status"] == "applied"


def test_admin_endpoints_on_a_fresh_server_without_demo(tmp_path):
    """No project, no admin: every admin endpoint is refused to a plain user."""
    app = make_app(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path)
    from server.accounts.models import User
    from server.accounts.passwords import hash_password
    with app.app_context():
        db.session.add(User(username="lonely", name="Lonely", password_hash=hash_password(DEMO_PASSWORD)))
        db.session.commit()
    client = app.test_client()
    token = client.post("/api/auth/login", json={"username": "lonely", "password": DEMO_PASSWORD}
                        ).get_json()["token"]
    response = client.post("/api/projects", headers={"Authorization": f"Bearer {token}"},
                           json={"code": "FIRST", "name": "First"})
    assert response.status_code == 403
    with app.app_context():
        db.engine.dispose()


def test_updating_a_deleted_section_is_409_and_leaves_no_rejected_mutation(site):
    """An admin request the engine refuses is answered to the caller, once: it does not
    also land in the caller's inbox of rejected pushes (server/syncing/service.write_as)."""
    response = site.client.post(f"/api/projects/{PROJECT}/sections", headers=site.headers("admin1"),
                                json={"code": "GONE", "name": "To be deleted"})
    section = response.get_json()["id"]
    device = site.device("admin1")
    device.delete("section", section)
    assert device.push()[1]["results"][0]["status"] == "applied"

    before = site.snapshot()
    response = site.client.patch(f"/api/projects/{PROJECT}/sections/{section}",
                                 headers=site.headers("admin1"), json={"name": "back"})
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["code"] == "deleted"
    rejected = site.client.get("/api/sync/rejected", headers=site.headers("admin1")).get_json()
    assert [r for r in rejected["rejected"] if r["record_id"] == section] == []
    assert site.snapshot() == before


# -- server administrators and project admins --------------------------------------------

def _project_with_admin(site, code: str, admin: str) -> str:
    """A new project (made by admin1, a server administrator in the demo) administered by a
    new user `admin`, who is in no other project."""
    response = site.client.post("/api/projects", headers=site.headers("admin1"),
                                json={"code": code, "name": f"{code} works"})
    assert response.status_code == 201, response.get_json()
    project = response.get_json()["id"]
    user_id = site.create_user(admin).get_json()["id"]
    assert site.set_roles(user_id, ["admin"], project=project).status_code == 200
    return project


def test_cross_tenant_takeover_an_admin_of_another_project_may_not_touch_a_user_of_this_one(site):
    _project_with_admin(site, "RIVAL", "rival-admin")
    site.headers("rival-admin")
    before = site.snapshot()
    target = demo_id("foreman1")
    for body in ({"password": "taken-over-by-rival"}, {"active": False}, {"name": "Renamed"}):
        response = site.client.patch(f"/api/admin/users/{target}",
                                     headers=site.headers("rival-admin"), json=body)
        assert response.status_code == 404, response.get_json()
    assert site.snapshot() == before
    # The target still logs in with their own password, and nobody with the attacker's.
    assert site.client.post("/api/auth/login", json={
        "username": "foreman1", "password": DEMO_PASSWORD}).status_code == 200
    assert site.client.post("/api/auth/login", json={
        "username": "foreman1", "password": "taken-over-by-rival"}).status_code == 401


def test_a_project_admin_manages_accounts_only_wholly_within_their_projects(site):
    project = _project_with_admin(site, "EAST", "east-admin")
    response = site.client.post(f"/api/projects/{project}/members", headers=site.headers("east-admin"),
                                json={"username": "east-worker", "name": "East worker",
                                      "password": DEMO_PASSWORD, "roles": ["foreman"]})
    assert response.status_code == 201, response.get_json()
    worker = {m["username"]: m for m in response.get_json()["members"]}["east-worker"]
    assert worker["roles"] == ["foreman"]
    # Their own user, in their project alone: a reset is theirs to do.
    response = site.client.patch(f"/api/admin/users/{worker['user_id']}",
                                 headers=site.headers("east-admin"), json={"name": "East foreman"})
    assert response.status_code == 200, response.get_json()

    # Once the user also belongs to the demo project, only a server administrator may.
    assert site.set_roles(worker["user_id"], ["foreman"]).status_code == 200
    response = site.client.patch(f"/api/admin/users/{worker['user_id']}",
                                 headers=site.headers("east-admin"), json={"password": "not-yours-now-9"})
    assert response.status_code == 403, response.get_json()
    response = site.client.patch(f"/api/admin/users/{worker['user_id']}",
                                 headers=site.headers("admin1"), json={"name": "Both sites"})
    assert response.status_code == 200, response.get_json()


def test_only_a_server_administrator_creates_accounts_and_projects(site):
    _project_with_admin(site, "WEST2", "west2-admin")
    headers = site.headers("west2-admin")
    before = site.snapshot()
    response = site.client.post("/api/admin/users", headers=headers, json={
        "username": "stray1", "name": "Stray", "password": DEMO_PASSWORD})
    assert response.status_code == 403, response.get_json()
    response = site.client.post("/api/projects", headers=headers, json={"code": "W3", "name": "x"})
    assert response.status_code == 403, response.get_json()
    assert site.snapshot() == before
    me = site.client.get("/api/me", headers=headers).get_json()["user"]
    assert me["server_admin"] is False
    assert site.client.get("/api/me", headers=site.headers("admin1")).get_json()["user"]["server_admin"]


def test_a_project_admin_adds_an_existing_user_by_username(site):
    project = _project_with_admin(site, "NORTH2", "north2-admin")
    headers = site.headers("north2-admin")
    response = site.client.post(f"/api/projects/{project}/members", headers=headers,
                                json={"username": "foreman2", "roles": ["foreman", "safety"]})
    assert response.status_code == 201, response.get_json()
    assert {m["username"]: m["roles"] for m in response.get_json()["members"]}["foreman2"] == [
        "foreman", "safety"]
    again = site.client.post(f"/api/projects/{project}/members", headers=headers,
                             json={"username": "foreman2", "roles": ["foreman"]})
    assert again.status_code == 409, again.get_json()
    unknown = site.client.post(f"/api/projects/{project}/members", headers=headers,
                               json={"username": "nobody-here", "roles": ["foreman"]})
    assert unknown.status_code == 404 and "username" in unknown.get_json()["error"]["fields"]
    # Not into a project they do not administer, nor as a plain member.
    response = site.client.post(f"/api/projects/{PROJECT}/members", headers=headers,
                                json={"username": "north2-admin", "roles": ["admin"]})
    assert response.status_code == 404, response.get_json()
    response = site.client.post(f"/api/projects/{PROJECT}/members", headers=site.headers("foreman1"),
                                json={"username": "north2-admin", "roles": ["admin"]})
    assert response.status_code == 403, response.get_json()
