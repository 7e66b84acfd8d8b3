"""`flask init-db` is safe to repeat; `flask seed-demo` loads the demo once and only once."""
from __future__ import annotations

import pytest
from flask.cli import FlaskGroup
from sqlalchemy import func, inspect, select

from server import create_app
from server.demo import demo_id
from server.extensions import db

from .sync_client import Device, FlaskTransport

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
PASSWORD = "seed-pass-1"
USERS = {"foreman1": ["foreman"], "foreman2": ["foreman"], "liaison1": ["liaison"],
         "supervisor1": ["supervisor"], "safety1": ["safety"], "quality1": ["quality"],
         "admin1": ["admin"]}


@pytest.fixture
def fresh_app(database_url, tmp_path):
    """An app on an empty database: no schema yet (unlike the `app` fixture)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "test-secret", "BLOB_DIR": str(tmp_path / "blobs")})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def flask_cli(app) -> FlaskGroup:
    """The `flask` command bound to `app`, as `flask --app server …` runs it."""
    return FlaskGroup(create_app=lambda: app, load_dotenv=False, set_debug_flag=False)


def run(app, *args):
    result = app.test_cli_runner().invoke(flask_cli(app), list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def snapshot(app) -> dict:
    """Row counts of every table, the sync counter, and every user's password hash."""
    with app.app_context():
        counts = {t.name: db.session.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in db.metadata.sorted_tables}
        counts["sync_counter"] = db.session.execute(db.metadata.tables["sync_counter"].select()).all()
        counts["passwords"] = db.session.execute(
            select(db.metadata.tables["users"].c.username, db.metadata.tables["users"].c.password_hash)
            .order_by("username")).all()
        counts["alembic"] = db.session.execute(db.text("SELECT version_num FROM alembic_version")).all()
        db.session.rollback()
    return counts


@BOTH
def test_init_db_creates_the_schema_and_is_safe_to_repeat(fresh_app):
    with fresh_app.app_context():
        assert "users" not in inspect(db.engine).get_table_names()
    assert "up to date" in run(fresh_app, "init-db")
    with fresh_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    first = snapshot(fresh_app)
    assert first["sync_counter"] == [(1, 0, 0)] and len(first["alembic"]) == 1

    assert "up to date" in run(fresh_app, "init-db")
    assert snapshot(fresh_app) == first


@BOTH
def test_seed_demo_twice_changes_nothing_the_second_time(fresh_app):
    run(fresh_app, "init-db")
    output = run(fresh_app, "seed-demo", "--password", PASSWORD)
    assert "demo loaded" in output
    loaded = snapshot(fresh_app)
    assert loaded["users"] == len(USERS)

    # Even with another password, the second run leaves everything as it was.
    output = run(fresh_app, "seed-demo", "--password", "another-pass-2")
    assert "already loaded" in output
    assert snapshot(fresh_app) == loaded
    # init-db on a loaded database keeps the data.
    run(fresh_app, "init-db")
    assert snapshot(fresh_app) == loaded
    response = fresh_app.test_client().post("/api/auth/login", json={
        "username": "admin1", "password": PASSWORD})
    assert response.status_code == 200, "the first run's password still holds"


def test_seed_demo_needs_a_password(fresh_app):
    run(fresh_app, "init-db")
    result = fresh_app.test_cli_runner().invoke(flask_cli(fresh_app), ["seed-demo"])
    assert result.exit_code == 2 and "--password" in result.output
    assert snapshot(fresh_app)["users"] == 0


def test_the_demo_has_what_a_walkthrough_needs(fresh_app):
    run(fresh_app, "init-db")
    run(fresh_app, "seed-demo", "--password", PASSWORD)
    client = fresh_app.test_client()

    tokens = {}
    for username in ("admin1", "liaison1"):  # Argon2 is slow on purpose: two logins suffice
        response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, (username, response.get_json())
        tokens[username] = response.get_json()["token"]
        assert response.get_json()["user"]["roles"] == USERS[username]
    members = client.get(f"/api/projects/{demo_id('project')}/members",
                         headers={"Authorization": f"Bearer {tokens['admin1']}"}).get_json()
    assert {m["username"]: m["roles"] for m in members["members"]} == USERS
    projects = client.get("/api/projects", headers={"Authorization": f"Bearer {tokens['admin1']}"})
    assert [p["code"] for p in projects.get_json()["projects"]] == ["DEMO"]

    device = Device(FlaskTransport(client), tokens["admin1"])
    device.pull_all()
    records: dict[str, list[dict]] = {}
    for (type_name, record_id), data in device.records.items():
        records.setdefault(type_name, []).append({"id": record_id, **data})

    assert 6 <= len(records["section"]) <= 10
    assert len({s["code"] for s in records["section"]}) == len(records["section"])
    assert all(s.get("owner_id") for s in records["section"])
    assert len({t["status"] for t in records["task"]}) >= 3
    assert records["briefing"]
    failed = [c for c in records["safety_check"] if "fail" in (c.get("results") or {}).values()]
    assert failed, records["safety_check"]
    assert {a["check_id"] for a in records["action"]} & {c["id"] for c in failed}
    assert len({f["status"] for f in records["feedback"]}) >= 3
    # Every record belongs to the demo project.
    assert {r["project_id"] for rows in records.values() for r in rows} == {demo_id("project")}


def _user(app, username):
    from server.accounts.models import User
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == username)).scalar()
        db.session.expunge_all()
        return user


def test_create_admin_makes_a_server_administrator_once(fresh_app):
    run(fresh_app, "init-db")
    runner = fresh_app.test_cli_runner()
    # The password is asked for twice when left out, and hidden.
    result = runner.invoke(flask_cli(fresh_app), ["create-admin", "chief"],
                           input="site office 2027\nsite office 2027\n")
    assert result.exit_code == 0, (result.output, result.exception)
    assert "site office 2027" not in result.output
    first = _user(fresh_app, "chief")
    assert first.is_server_admin and first.active
    client = fresh_app.test_client()
    response = client.post("/api/auth/login", json={"username": "chief", "password": "site office 2027"})
    token = response.get_json()["token"]
    assert response.get_json()["user"]["server_admin"] is True
    response = client.post("/api/projects", headers={"Authorization": f"Bearer {token}"},
                           json={"code": "FIRST", "name": "First site"})
    assert response.status_code == 201, response.get_json()

    # Again: nothing changes, the password and the session stay.
    before = snapshot(fresh_app)
    assert "already a server administrator" in run(fresh_app, "create-admin", "chief")
    assert snapshot(fresh_app) == before
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_create_admin_grants_an_existing_user_and_refuses_weak_passwords(fresh_app):
    run(fresh_app, "init-db")
    run(fresh_app, "seed-demo", "--password", PASSWORD)
    assert not _user(fresh_app, "foreman1").is_server_admin
    assert "granted" in run(fresh_app, "create-admin", "foreman1")
    assert _user(fresh_app, "foreman1").is_server_admin
    before = snapshot(fresh_app)
    for args in (["create-admin", "newboss", "--password", "12345678"],
                 ["create-admin", "newboss", "--password", "newboss-pass"],
                 ["create-admin", "Not A Username", "--password", "site office 2027"]):
        result = fresh_app.test_cli_runner().invoke(flask_cli(fresh_app), args)
        assert result.exit_code == 2, (args, result.output)
    assert snapshot(fresh_app) == before


def test_seed_demo_makes_admin1_a_server_administrator(fresh_app):
    run(fresh_app, "init-db")
    run(fresh_app, "seed-demo", "--password", PASSWORD)
    assert _user(fresh_app, "admin1").is_server_admin
    assert not any(_user(fresh_app, name).is_server_admin for name in USERS if name != "admin1")
