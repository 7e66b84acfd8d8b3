"""Every time the API gives is ISO 8601 UTC on both databases ("times ISO 8601 UTC").

SQLite keeps no time zone: a `DateTime(timezone=True)` column reads back naive. PostgreSQL
keeps the instant and reads it back in the session's time zone, which need not be UTC.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from sqlalchemy import DateTime

from server.accounts.models import Token
from server.demo import demo_id, load_demo
from server.extensions import db
from server.timestamps import UtcDateTime

from .conftest import DEMO_PASSWORD, PgDatabase, demo_app, make_app, require_pg
from .demo_site import DemoSite, conflict_and_rejection

UTC_MARK = re.compile(r"(Z|\+00:00)\Z")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"utc-{request.param}")) as app:
        yield DemoSite(app)


def api_times(site: DemoSite) -> dict[str, str]:
    """One time of each kind the API gives: a conflict's and a rejection's created_at, and
    login's expires_at."""
    conflict, rejected = conflict_and_rejection(site)
    login = site.client.post("/api/auth/login", json={"username": "foreman2",
                                                      "password": DEMO_PASSWORD}).get_json()
    return {"conflict": conflict["created_at"], "rejected": rejected["created_at"],
            "login": login["expires_at"]}


def test_times_in_the_inboxes_and_at_login_carry_utc(site):
    times = api_times(site)
    assert all(UTC_MARK.search(moment) for moment in times.values()), times
    now = dt.datetime.now(dt.timezone.utc)
    for name in ("conflict", "rejected"):
        assert abs(dt.datetime.fromisoformat(times[name]) - now) < dt.timedelta(minutes=5), times
    assert dt.datetime.fromisoformat(times["login"]) > now + dt.timedelta(days=29), times


def test_a_postgresql_session_in_another_time_zone_still_gives_utc(tmp_path):
    """A server whose PostgreSQL session time zone is Asia/Shanghai reads timestamptz
    back as +08:00; the API still gives UTC, the same instant."""
    require_pg()
    database = PgDatabase()
    try:
        app = make_app(database.url, tmp_path, SQLALCHEMY_ENGINE_OPTIONS={
            "connect_args": {"options": "-c timezone=Asia/Shanghai"}})
        with app.app_context():
            load_demo(DEMO_PASSWORD)
        times = api_times(DemoSite(app))
        assert all(moment.endswith("+00:00") for moment in times.values()), times
        now = dt.datetime.now(dt.timezone.utc)
        assert abs(dt.datetime.fromisoformat(times["conflict"]) - now) < dt.timedelta(minutes=5)
        with app.app_context():
            db.engine.dispose()
    finally:
        database.drop()


def test_a_time_given_in_another_zone_is_stored_as_its_utc_instant(app):
    """SQLite stores the wall time it is given: an aware time not in UTC must be moved to
    UTC before it is written, or it reads back hours off."""
    with app.app_context():
        load_demo(DEMO_PASSWORD)
        shanghai = dt.timezone(dt.timedelta(hours=8))
        given = dt.datetime(2026, 11, 24, 16, 31, 12, 775063, tzinfo=shanghai)
        token = Token(user_id=demo_id("foreman1"), digest=uuid.uuid4().hex, expires_at=given)
        db.session.add(token)
        db.session.commit()
        token_id = token.id
        db.session.expire_all()
        stored = db.session.get(Token, token_id).expires_at
        assert stored == given and stored.utcoffset() == dt.timedelta(0), stored
        assert stored.hour == 8, stored


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_every_time_column_reads_back_in_utc(app):
    """One column type for every time the server keeps (users, tokens, devices, blobs,
    inboxes), so no model can read a time back naive."""
    with app.app_context():
        columns = [column for table in db.metadata.tables.values() for column in table.columns
                   if isinstance(column.type, (DateTime, UtcDateTime))]
        assert len(columns) >= 9, columns
        assert all(isinstance(column.type, UtcDateTime) for column in columns), [
            f"{column.table.name}.{column.name}" for column in columns
            if not isinstance(column.type, UtcDateTime)]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_naive_time_is_taken_as_utc(app):
    """Rows written before this column type (naive on SQLite) read back as UTC."""
    with app.app_context():
        load_demo(DEMO_PASSWORD)
        naive = dt.datetime(2026, 11, 24, 8, 31, 12)
        token = Token(user_id=demo_id("foreman1"), digest=uuid.uuid4().hex, expires_at=naive)
        db.session.add(token)
        db.session.commit()
        token_id = token.id
        db.session.expire_all()
        stored = db.session.get(Token, token_id).expires_at
        assert stored == naive.replace(tzinfo=dt.timezone.utc), stored
