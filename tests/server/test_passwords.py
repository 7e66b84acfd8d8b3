"""New passwords follow NIST SP 800-63B: a length floor, no common or guessable password,
not the username, no composition rules; checked wherever a password is set."""
from __future__ import annotations

import pytest

from server.accounts.passwords import password_problems
from server.demo import demo_id

from .conftest import DEMO_PASSWORD, demo_app

PROJECT = demo_id("project")
REFUSED = {
    "common-digits": "12345678",
    "common-word": "password",
    "keyboard-walk": "qwertyuiop",
    "common-phrase": "iloveyou1",
    "the-username": "{username}",
    "holds-the-username": "x-{username}-2024",
    "too-short": "k7#Pq2",
    "too-long": "correct horse " * 19,
}
ACCEPTED = ["gridline-demo", DEMO_PASSWORD, "correct horse 1", "绿色施工安全第一", "tabletopdinosaur",
            "x" * 10 + "correct horse battery" + "y" * 200]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_app("sqlite", tmp_path_factory.mktemp("passwords")) as app:
        client = app.test_client()
        token = client.post("/api/auth/login", json={"username": "admin1", "password": DEMO_PASSWORD}
                            ).get_json()["token"]
        yield client, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("password", ACCEPTED)
def test_passwords_without_composition_rules_are_accepted(password):
    assert password_problems(password, "foreman1") == []


def _assert_password_refused(response, field="password"):
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [field], error
    assert all(isinstance(m, str) and m for m in error["fields"][field])


@pytest.mark.parametrize("kind", REFUSED)
def test_weak_passwords_are_refused_wherever_a_password_is_set(site, kind):
    client, admin = site
    username = f"weak-{kind}"
    password = REFUSED[kind].format(username=username)
    _assert_password_refused(client.post("/api/admin/users", headers=admin, json={
        "username": username, "name": "x", "password": password}))
    _assert_password_refused(client.post(f"/api/projects/{PROJECT}/members", headers=admin, json={
        "username": username, "name": "x", "password": password, "roles": ["foreman"]}))
    response = client.post("/api/admin/users", headers=admin, json={
        "username": username, "name": "x", "password": DEMO_PASSWORD})
    assert response.status_code == 201, response.get_json()
    user_id = response.get_json()["id"]
    _assert_password_refused(client.patch(f"/api/admin/users/{user_id}", headers=admin,
                                          json={"password": password}))
    token = client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD}
                        ).get_json()["token"]
    _assert_password_refused(client.post("/api/me/password", headers={"Authorization": f"Bearer {token}"},
                                         json={"current_password": DEMO_PASSWORD, "new_password": password}),
                             "new_password")
    # Nothing was changed: the old password still works.
    assert client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD}
                       ).status_code == 200
