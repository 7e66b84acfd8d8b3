"""Sessions end when they should: a password change or reset, a disable; a user sees and
ends their own sessions and changes their own password."""
from __future__ import annotations

import uuid

import pytest

from server.demo import demo_id
from server.permissions import AUTHOR, PERMISSIONS, UNMASKED

from .conftest import DEMO_PASSWORD, demo_app

PROJECT = demo_id("project")


class Site:
    """The demo on one app; each test makes the users it logs in and out."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.admin = self.bearer(self.login("admin1"))

    @staticmethod
    def bearer(token: str) -> dict:
        return {"Authorization": f"Bearer {token}"}

    def login(self, username: str, password: str = DEMO_PASSWORD) -> str:
        response = self.client.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["token"]

    def add_user(self, username: str) -> str:
        response = self.client.post("/api/admin/users", headers=self.admin, json={
            "username": username, "name": username, "password": DEMO_PASSWORD})
        assert response.status_code == 201, response.get_json()
        user_id = response.get_json()["id"]
        response = self.client.put(f"/api/projects/{PROJECT}/members/{user_id}", headers=self.admin,
                                   json={"roles": ["foreman"]})
        assert response.status_code == 200, response.get_json()
        return user_id

    def status(self, token: str) -> int:
        return self.client.get("/api/me", headers=self.bearer(token)).status_code


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_app("sqlite", tmp_path_factory.mktemp("sessions")) as app:
        yield Site(app)


def test_a_password_reset_ends_every_session_of_the_user(site):
    user_id = site.add_user("reset-me")
    tokens = [site.login("reset-me") for _ in range(2)]
    response = site.client.patch(f"/api/admin/users/{user_id}", headers=site.admin,
                                 json={"password": "a fresh start 7"})
    assert response.status_code == 200, response.get_json()
    assert [site.status(t) for t in tokens] == [401, 401]
    assert site.status(site.login("reset-me", "a fresh start 7")) == 200


def test_a_rename_ends_no_session(site):
    user_id = site.add_user("rename-me")
    token = site.login("rename-me")
    assert site.client.patch(f"/api/admin/users/{user_id}", headers=site.admin,
                             json={"name": "Renamed"}).status_code == 200
    assert site.status(token) == 200


def test_disabling_ends_sessions_and_enabling_does_not_bring_them_back(site):
    user_id = site.add_user("disable-me")
    token = site.login("disable-me")
    for active in (False, True):
        response = site.client.patch(f"/api/admin/users/{user_id}", headers=site.admin,
                                     json={"active": active})
        assert response.status_code == 200, response.get_json()
    response = site.client.get("/api/me", headers=site.bearer(token))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert site.status(site.login("disable-me")) == 200


def test_changing_your_own_password_keeps_this_session_and_ends_the_others(site):
    site.add_user("changer")
    here, elsewhere = site.login("changer"), site.login("changer")
    response = site.client.post("/api/me/password", headers=site.bearer(here), json={
        "current_password": "not my password", "new_password": "new and long 42"})
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["error"]["fields"]) == {"current_password"}
    assert [site.status(here), site.status(elsewhere)] == [200, 200]

    response = site.client.post("/api/me/password", headers=site.bearer(here), json={
        "current_password": DEMO_PASSWORD, "new_password": "new and long 42"})
    assert response.status_code == 204, response.get_json()
    assert [site.status(here), site.status(elsewhere)] == [200, 401]
    site.login("changer", "new and long 42")
    response = site.client.post("/api/auth/login", json={"username": "changer", "password": DEMO_PASSWORD})
    assert response.status_code == 401


def test_a_user_sees_and_ends_their_own_sessions(site):
    site.add_user("many-phones")
    first, second = site.login("many-phones"), site.login("many-phones")
    response = site.client.get("/api/me/sessions", headers=site.bearer(second))
    assert response.status_code == 200, response.get_json()
    sessions = response.get_json()["sessions"]
    assert len(sessions) == 2
    assert [s["current"] for s in sessions] == [True, False]  # newest first
    assert all(s["address"] == "127.0.0.1" and s["expires_at"] > s["created_at"] for s in sessions)
    assert not {"digest", "token"} & set(sessions[0])

    # Nobody ends another user's session, nor learns it exists.
    other = site.client.get("/api/me/sessions", headers=site.admin).get_json()["sessions"][0]["id"]
    for session_id in (other, str(uuid.uuid4()), "not-an-id"):
        response = site.client.delete(f"/api/me/sessions/{session_id}", headers=site.bearer(second))
        assert response.status_code == 404, response.get_json()
    assert site.client.get("/api/me", headers=site.admin).status_code == 200

    assert site.client.delete(f"/api/me/sessions/{sessions[1]['id']}",
                              headers=site.bearer(second)).status_code == 204
    assert [site.status(first), site.status(second)] == [401, 200]
    listed = site.client.get("/api/me/sessions", headers=site.bearer(second)).get_json()["sessions"]
    assert [s["id"] for s in listed] == [sessions[0]["id"]]


def test_me_gives_the_servers_permission_table(site):
    token = site.login("foreman1")
    table = site.client.get("/api/me", headers=site.bearer(token)).get_json()["user"]["permissions"]
    assert table["author"] == AUTHOR
    assert table["rules"] == {t: {a: sorted(r) for a, r in rules.items()}
                                for t, rules in PERMISSIONS.items()}
    assert table["unmasked"] == {t: {f: sorted(r) for f, r in rules.items()}
                                 for t, rules in UNMASKED.items()}
    assert AUTHOR in table["rules"]["task"]["delete"]
    assert table["unmasked"]["feedback"]["resident_phone"] == ["admin", "liaison", "supervisor"]
