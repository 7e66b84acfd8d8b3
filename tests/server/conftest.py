"""Fixtures for server tests: a real database per test, the Flask test client, logins."""
from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from server import create_app
from server.database import init_db
from server.demo import load_demo
from server.extensions import db

DEMO_PASSWORD = "demo-pass-1"
# Real Argon2id, with argon2-cffi's parameters for tests: the suite's logins each cost about a
# millisecond, not a third of a second (server/accounts/passwords.py; its default is tested).
os.environ.setdefault("PASSWORD_HASH_PROFILE", "CHEAPEST")
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_admin_dsn() -> str:
    url = make_url(PG_URL)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def pg_available() -> bool:
    """Whether the PostgreSQL server of TEST_DATABASE_URL answers."""
    try:
        with psycopg.connect(_pg_admin_dsn(), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def require_pg() -> None:
    """Skip when PostgreSQL is down, except under CI=true, where that is a failure."""
    if pg_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL at {PG_URL} is required under CI=true and did not answer")
    pytest.skip(f"PostgreSQL at {PG_URL} did not answer")


class PgDatabase:
    """A fresh PostgreSQL database, created for a test and dropped after it."""

    def __init__(self):
        self.name = f"gridline_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = make_url(PG_URL).set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def pg_database():
    """The URL of a fresh PostgreSQL database, dropped after the test."""
    require_pg()
    database = PgDatabase()
    yield database.url
    database.drop()


# The schema made once per test process, which each test's database is copied from: the SQLite
# file, and the name of the PostgreSQL database (copied with CREATE DATABASE … TEMPLATE).
_schema_templates: dict[str, str] = {}


def _schema_template(backend: str) -> str:
    if backend not in _schema_templates:
        if backend == "postgresql":
            template = PgDatabase()
            atexit.register(template.drop)
            url, name = template.url, template.name
        else:
            folder = tempfile.mkdtemp(prefix="gridline-schema-")
            atexit.register(shutil.rmtree, folder, True)
            name = str(Path(folder) / "schema.db")
            url = f"sqlite:///{name}"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                          "BLOB_DIR": str(Path(tempfile.gettempdir()) / "gridline-schema-blobs")})
        with app.app_context():
            init_db()
            db.session.remove()
            db.engine.dispose()  # a PostgreSQL template is copied only while nobody is connected to it
        _schema_templates[backend] = name
    return _schema_templates[backend]


def with_schema(database_url: str) -> None:
    """Gives the empty database at `database_url` the app's schema, copied from one made by
    `init_db` once per test process (a copy costs a fraction of running the migrations)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        template = _schema_template("postgresql")
        with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"')
    elif url.get_backend_name() == "sqlite" and url.database:
        with closing(sqlite3.connect(_schema_template("sqlite"))) as source, closing(sqlite3.connect(url.database)) as target:
            source.backup(target)


def make_app(database_url: str, tmp_path, **overrides):
    """An app on `database_url` with its schema created."""
    app = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
        "BLOB_DIR": str(tmp_path / "blobs"), "LOGIN_RATE_LIMIT": "1000 per minute",
        **overrides})
    with app.app_context():
        init_db()
    return app


@contextmanager
def demo_app(backend: str, tmp_path):
    """An app with the demo loaded on `backend` ("sqlite" or "postgresql"), for fixtures
    shared by a module; its database is dropped after. Hold no app context between
    requests: each request gets its own, as when served."""
    database = None
    if backend == "postgresql":
        require_pg()
        database = PgDatabase()
        url = database.url
    else:
        url = f"sqlite:///{tmp_path / 'gridline.db'}"
    with_schema(url)
    app = make_app(url, tmp_path)
    with app.app_context():
        load_demo(DEMO_PASSWORD)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        if database:
            database.drop()


@pytest.fixture(params=["sqlite"])
def database_url(request, tmp_path):
    """The database a test runs on; parametrize indirectly with "postgresql" to add it."""
    if request.param == "postgresql":
        require_pg()
        database = PgDatabase()
        yield database.url
        database.drop()  # WITH (FORCE) ends any connection a pool still holds
    else:
        yield f"sqlite:///{tmp_path / 'gridline.db'}"


@pytest.fixture
def app(database_url, tmp_path):
    """A fresh app and database (the schema copied, then `init_db` run on it as a server starts)."""
    with_schema(database_url)
    app = make_app(database_url, tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo(app):
    """The demo project loaded; returns its project id and the users' ids by username."""
    from server.demo import demo_id
    with app.app_context():
        load_demo(DEMO_PASSWORD)
    return {"project_id": demo_id("project"),
            "users": {name: demo_id(name) for name in
                      ("foreman1", "foreman2", "liaison1", "supervisor1", "safety1", "quality1",
                       "admin1")}}


class Auth:
    """Logs demo users in and returns their Authorization headers."""

    def __init__(self, client):
        self.client = client
        self._tokens: dict[str, str] = {}

    def token(self, username: str, password: str = DEMO_PASSWORD) -> str:
        if username not in self._tokens:
            response = self.client.post("/api/auth/login",
                                        json={"username": username, "password": password})
            assert response.status_code == 200, response.get_json()
            self._tokens[username] = response.get_json()["token"]
        return self._tokens[username]

    def headers(self, username: str) -> dict:
        return {"Authorization": f"Bearer {self.token(username)}"}


@pytest.fixture
def auth(client, demo):
    return Auth(client)
