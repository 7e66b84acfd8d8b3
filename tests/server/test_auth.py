"""Login, tokens and their end: expiry, logout, disabled accounts, rate limits, hashing."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid

import pytest
from argon2 import PasswordHasher, extract_parameters, profiles
from sqlalchemy import func, select, text, update

from server.accounts.models import Token, User
from server import config
from server.accounts.passwords import check_password, hash_password
from server.demo import demo_id
from server.extensions import db

from .conftest import DEMO_PASSWORD, demo_app, make_app
from .sync_client import Device, FlaskTransport

PROJECT = demo_id("project")


def login(client, username="foreman1", password=DEMO_PASSWORD):
    return client.post("/api/auth/login", json={"username": username, "password": password})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_unauthorized(response, code="unauthorized"):
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == code, response.get_json()


class Site:
    """An app with the demo loaded, shared by the tests of this module."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.admin = bearer(login(self.client, "admin1").get_json()["token"])

    def add_user(self, username: str, password: str = DEMO_PASSWORD, roles=("foreman",)) -> str:
        """A new user of the demo project (so tests that disable users disturb no other)."""
        response = self.client.post("/api/admin/users", headers=self.admin, json={
            "username": username, "name": username, "password": password})
        assert response.status_code == 201, response.get_json()
        user_id = response.get_json()["id"]
        response = self.client.put(f"/api/projects/{PROJECT}/members/{user_id}",
                                   headers=self.admin, json={"roles": list(roles)})
        assert response.status_code == 200, response.get_json()
        return user_id

    def query(self, statement):
        """All rows of `statement`, read in an app context of its own."""
        with self.app.app_context():
            return db.session.execute(statement).all()

    def token_row(self, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        (row,) = self.query(select(Token).where(Token.digest == digest))
        return row[0]

    def expire(self, token: str) -> None:
        digest = hashlib.sha256(token.encode()).hexdigest()
        with self.app.app_context():
            db.session.execute(update(Token).where(Token.digest == digest).values(
                expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
            db.session.commit()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_app("sqlite", tmp_path_factory.mktemp("auth")) as app:
        yield Site(app)


@pytest.fixture
def small_app(tmp_path):
    """Make an app with given settings and one user `foreman1` (no demo, so it is quick)."""
    apps = []

    def make(**settings):
        app = make_app(f"sqlite:///{tmp_path / f'app{len(apps)}.db'}", tmp_path, **settings)
        with app.app_context():
            db.session.add(User(username="foreman1", name="Foreman",
                                password_hash=password_hash()))
            db.session.commit()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@functools.cache
def password_hash() -> str:
    """DEMO_PASSWORD hashed once: Argon2 is slow on purpose."""
    return hash_password(DEMO_PASSWORD)


def test_login_returns_a_token_and_the_user(site):
    response = login(site.client)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    user = body["user"]
    assert (user["id"], user["name"], user["roles"]) == (demo_id("foreman1"), "张建国", ["foreman"])
    me = site.client.get("/api/me", headers=bearer(body["token"])).get_json()["user"]
    assert me["id"] == user["id"]


def test_each_login_gets_its_own_token(site):
    first, second = login(site.client).get_json()["token"], login(site.client).get_json()["token"]
    assert first != second
    for token in (first, second):
        assert site.client.get("/api/me", headers=bearer(token)).status_code == 200


def test_token_lives_as_long_as_configured(small_app):
    app = small_app(TOKEN_TTL_SECONDS=3600)
    before = dt.datetime.now(dt.timezone.utc)
    body = login(app.test_client()).get_json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    expires = expires if expires.tzinfo else expires.replace(tzinfo=dt.timezone.utc)
    assert dt.timedelta(seconds=3590) < expires - before < dt.timedelta(seconds=3610)


@pytest.mark.parametrize("username, password", [
    ("foreman1", "wrong-password"), ("foreman1", DEMO_PASSWORD.upper()),
    ("nobody", DEMO_PASSWORD), ("FOREMAN1", DEMO_PASSWORD)])
def test_wrong_credentials_are_401_and_issue_no_token(site, username, password):
    tokens = site.query(select(func.count(Token.id)))
    response = login(site.client, username, password)
    assert_unauthorized(response, "invalid_credentials")
    assert "token" not in response.get_json()
    assert site.query(select(func.count(Token.id))) == tokens


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", "Basic Zm9yZW1hbjE6cHc=", "Bearer not-a-token",
    "Token abc"])
def test_requests_without_a_valid_token_are_401(site, header):
    headers = {} if header is None else {"Authorization": header}
    for method, path in (("GET", "/api/me"), ("GET", f"/api/sync/pull?client_id={uuid.uuid4()}"),
                         ("POST", "/api/sync/push"), ("POST", "/api/auth/logout"),
                         ("GET", "/api/projects"), ("POST", "/api/admin/users"),
                         ("HEAD", f"/api/blobs/{'a' * 64}")):
        response = site.client.open(path, method=method, headers=headers, json={})
        if method == "HEAD":
            assert response.status_code == 401
        else:
            assert_unauthorized(response)


def test_logout_revokes_the_token(site):
    token = login(site.client).get_json()["token"]
    other = login(site.client).get_json()["token"]
    response = site.client.post("/api/auth/logout", headers=bearer(token))
    assert response.status_code == 204
    assert site.token_row(token).revoked_at is not None
    assert_unauthorized(site.client.get("/api/me", headers=bearer(token)))
    assert_unauthorized(site.client.post("/api/auth/logout", headers=bearer(token)))
    # Only that session ends.
    assert site.client.get("/api/me", headers=bearer(other)).status_code == 200


def test_an_expired_token_is_401(site):
    token = login(site.client).get_json()["token"]
    assert site.client.get("/api/me", headers=bearer(token)).status_code == 200
    site.expire(token)
    assert_unauthorized(site.client.get("/api/me", headers=bearer(token)))
    device = Device(FlaskTransport(site.client), token)
    assert device.push()[0] == 401


def test_a_token_made_with_no_lifetime_is_already_expired(small_app):
    client = small_app(TOKEN_TTL_SECONDS=0).test_client()
    token = login(client).get_json()["token"]
    assert_unauthorized(client.get("/api/me", headers=bearer(token)))


def test_an_expired_token_costs_a_device_nothing_it_queued(site):
    """401 drops nothing: log in again and push the same queue unchanged."""
    token = login(site.client).get_json()["token"]
    device = Device(FlaskTransport(site.client), token)
    record_id = str(uuid.uuid4())
    device.put("task", record_id, {"project_id": PROJECT, "title": "offline"})
    site.expire(token)
    status, body = device.push()
    assert status == 401 and len(device.outbox) == 1, body
    device.token = login(site.client).get_json()["token"]
    status, body = device.push()
    assert status == 200 and body["results"][0]["status"] == "applied", body
    response = site.client.get(f"/api/records/task/{record_id}", headers=site.admin)
    assert response.get_json()["data"]["title"] == "offline"


def test_a_disabled_user_is_refused_on_the_next_request(site):
    user_id = site.add_user("to-disable")
    token = login(site.client, "to-disable").get_json()["token"]
    assert site.client.get("/api/me", headers=bearer(token)).status_code == 200
    response = site.client.patch(f"/api/admin/users/{user_id}", headers=site.admin,
                                 json={"active": False})
    assert response.status_code == 200 and response.get_json()["active"] is False

    assert_unauthorized(site.client.get("/api/me", headers=bearer(token)), "account_disabled")
    device = Device(FlaskTransport(site.client), token)
    device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "x"})
    status, body = device.push()
    assert status == 401 and body["error"]["code"] == "account_disabled", body
    assert_unauthorized(login(site.client, "to-disable"), "account_disabled")

    response = site.client.patch(f"/api/admin/users/{user_id}", headers=site.admin,
                                 json={"active": True})
    assert response.get_json()["active"] is True
    token = login(site.client, "to-disable").get_json()["token"]
    assert site.client.get("/api/me", headers=bearer(token)).status_code == 200


def test_tokens_are_stored_only_as_their_sha256(site):
    token = login(site.client, "safety1").get_json()["token"]
    assert site.token_row(token).digest == hashlib.sha256(token.encode()).hexdigest()
    # No column of any row of the table holds the token itself.
    for values in site.query(text("SELECT * FROM tokens")):
        assert all(token not in str(value) for value in values)


def test_login_is_rate_limited_with_a_json_429(small_app):
    client = small_app(LOGIN_RATE_LIMIT="3 per minute").test_client()
    assert [login(client, password="wrong").status_code for _ in range(3)] == [401] * 3
    response = login(client)
    assert response.status_code == 429, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert set(response.get_json()["error"]) == {"code", "message", "fields"}
    assert int(response.headers["Retry-After"]) > 0


def test_the_rate_limit_is_for_login_only(small_app):
    client = small_app(LOGIN_RATE_LIMIT="2 per minute").test_client()
    token = login(client).get_json()["token"]
    for _ in range(5):
        assert client.get("/api/me", headers=bearer(token)).status_code == 200


def test_passwords_are_stored_as_argon2id_hashes(site):
    site.add_user("newcomer", "correct horse 1")
    user_id = site.add_user("renewed")
    response = site.client.patch(f"/api/admin/users/{user_id}", headers=site.admin,
                                 json={"password": "battery staple 2"})
    assert response.status_code == 200, response.get_json()
    assert "password_hash" not in response.get_json()
    users = {u.username: u for (u,) in site.query(select(User))}
    for username, password in (("newcomer", "correct horse 1"), ("renewed", "battery staple 2"),
                               ("foreman1", DEMO_PASSWORD)):
        stored = users[username].password_hash
        assert stored.startswith("$argon2id$"), stored
        assert password not in stored
        assert PasswordHasher().verify(stored, password)
    assert login(site.client, "newcomer", "correct horse 1").status_code == 200
    assert login(site.client, "renewed", "battery staple 2").status_code == 200
    assert_unauthorized(login(site.client, "renewed", DEMO_PASSWORD), "invalid_credentials")


def test_new_hashes_take_rfc_9106s_parameters_unless_a_profile_is_named_and_old_ones_still_verify(tmp_path, monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_PROFILE", raising=False)
    assert config.from_environment(str(tmp_path), {"SECRET_KEY": "x"})["PASSWORD_HASH_PROFILE"] == "RFC_9106_LOW_MEMORY"
    url = f"sqlite:///{tmp_path / 'x.db'}"
    default = make_app(url, tmp_path, PASSWORD_HASH_PROFILE="RFC_9106_LOW_MEMORY")
    with default.app_context():
        strong = hash_password("correct horse 1")
    made = extract_parameters(strong)
    assert (made.type, made.memory_cost, made.time_cost, made.parallelism) == (
        profiles.RFC_9106_LOW_MEMORY.type, 65536, 3, 4)
    cheap = make_app(url, tmp_path, PASSWORD_HASH_PROFILE="CHEAPEST")
    with cheap.app_context():
        quick = hash_password("correct horse 1")
    assert extract_parameters(quick).memory_cost < made.memory_cost
    # A hash is checked with the parameters it was made with, whatever the profile now.
    for app, stored in ((default, quick), (cheap, strong)):
        with app.app_context():
            assert check_password(stored, "correct horse 1")
            assert not check_password(stored, "correct horse 2")


def test_a_password_hash_profile_that_does_not_exist_stops_the_app_at_start(tmp_path):
    with pytest.raises(ValueError, match="PASSWORD_HASH_PROFILE"):
        make_app(f"sqlite:///{tmp_path / 'x.db'}", tmp_path, PASSWORD_HASH_PROFILE="FAST")


def test_two_users_with_one_password_get_different_hashes(site):
    site.add_user("twin-a", "same password 1")
    site.add_user("twin-b", "same password 1")
    hashes = [h for (h,) in site.query(select(User.password_hash)
                                       .where(User.username.in_(["twin-a", "twin-b"])))]
    assert len(set(hashes)) == 2, "each hash has its own salt"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_token_lifecycle_on_postgresql(app, client, auth, demo):
    """Login, hashed storage, expiry, logout and disabling (the tests above, on SQLite)."""
    body = login(client).get_json()
    token = body["token"]
    assert body["user"]["roles"] == ["foreman"]
    digest = hashlib.sha256(token.encode()).hexdigest()
    with app.app_context():
        assert db.session.execute(select(Token.digest).where(Token.digest == digest)).scalar()
        for values in db.session.execute(text("SELECT * FROM tokens")).all():
            assert all(token not in str(value) for value in values)
    assert client.get("/api/me", headers=bearer(token)).status_code == 200

    with app.app_context():
        db.session.execute(update(Token).where(Token.digest == digest).values(
            expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
        db.session.commit()
    assert_unauthorized(client.get("/api/me", headers=bearer(token)))

    token = login(client).get_json()["token"]
    assert client.post("/api/auth/logout", headers=bearer(token)).status_code == 204
    assert_unauthorized(client.get("/api/me", headers=bearer(token)))

    token = login(client).get_json()["token"]
    response = client.patch(f"/api/admin/users/{demo['users']['foreman1']}",
                            headers=auth.headers("admin1"), json={"active": False})
    assert response.status_code == 200, response.get_json()
    assert_unauthorized(client.get("/api/me", headers=bearer(token)), "account_disabled")
    assert_unauthorized(login(client), "account_disabled")
