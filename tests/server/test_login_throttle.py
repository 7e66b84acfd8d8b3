"""Failed logins are throttled per account and per address, in the database, so the limits
hold across gunicorn workers, and colleagues behind one address still log in."""
from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import update

from server.accounts.models import LoginCounter, User
from server.accounts.passwords import hash_password
from server.accounts.throttle import parse_limit
from server.extensions import db

from .conftest import DEMO_PASSWORD, make_app
from .live_server import LiveServer, live_database

WRONG = "not-the-password"
BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def login(client, username, password=DEMO_PASSWORD):
    return client.post("/api/auth/login", json={"username": username, "password": password})


def demo_client(database_url, tmp_path, **settings):
    """An app with three users (no demo records: only logins matter here)."""
    app = make_app(database_url, tmp_path, **settings)
    with app.app_context():
        secret = hash_password(DEMO_PASSWORD)
        db.session.add_all(User(username=name, name=name, password_hash=secret)
                           for name in ("foreman1", "foreman2", "supervisor1"))
        db.session.commit()
    return app, app.test_client()


def test_the_limit_reads_like_flask_limiters():
    assert parse_limit("10 per minute") == (10, dt.timedelta(minutes=1))
    assert parse_limit("20/hour") == (20, dt.timedelta(hours=1))
    assert parse_limit("30 per 5 minutes") == (30, dt.timedelta(minutes=5))


@BOTH
def test_an_account_is_locked_after_repeated_failures_with_a_doubling_backoff(database_url, tmp_path):
    app, client = demo_client(database_url, tmp_path, LOGIN_LOCK_AFTER=3, LOGIN_LOCK_SECONDS=60)
    assert [login(client, "foreman1", WRONG).status_code for _ in range(3)] == [401] * 3
    # Locked: even the right password waits, and says for how long.
    response = login(client, "foreman1")
    assert response.status_code == 429, response.get_json()
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 55 <= int(response.headers["Retry-After"]) <= 60
    # Another account is not touched.
    assert login(client, "foreman2").status_code == 200

    # When the lock ends, one more failure locks it for twice as long.
    with app.app_context():
        db.session.execute(update(LoginCounter).where(LoginCounter.key == "account:foreman1")
                           .values(locked_until=dt.datetime.now(dt.timezone.utc)))
        db.session.commit()
    assert login(client, "foreman1", WRONG).status_code == 401
    response = login(client, "foreman1")
    assert response.status_code == 429
    assert 115 <= int(response.headers["Retry-After"]) <= 120

    # A correct login after the lock starts the count afresh.
    with app.app_context():
        db.session.execute(update(LoginCounter).where(LoginCounter.key == "account:foreman1")
                           .values(locked_until=dt.datetime.now(dt.timezone.utc)))
        db.session.commit()
    assert login(client, "foreman1").status_code == 200
    assert [login(client, "foreman1", WRONG).status_code for _ in range(2)] == [401] * 2
    assert login(client, "foreman1").status_code == 200
    with app.app_context():
        db.engine.dispose()


@BOTH
def test_a_colleague_behind_the_same_address_still_logs_in(database_url, tmp_path):
    app, client = demo_client(database_url, tmp_path, LOGIN_RATE_LIMIT="5 per minute")
    assert login(client, "foreman2").status_code == 200  # logged in from this site before
    # Correct logins do not use up the address's allowance.
    assert all(login(client, "foreman2").status_code == 200 for _ in range(3))
    # Someone on the site's network tries one password on many accounts.
    sprayed = [login(client, f"guess-{n}", WRONG).status_code for n in range(8)]
    assert sprayed == [401] * 5 + [429] * 3, sprayed
    # A colleague who logged in from here before still gets in; an account new to the
    # address waits for the window to pass.
    assert login(client, "foreman2").status_code == 200
    response = login(client, "supervisor1")
    assert response.status_code == 429 and 0 < int(response.headers["Retry-After"]) <= 60
    assert login(client, "foreman2", WRONG).status_code == 401  # the account rule still holds
    with app.app_context():
        db.engine.dispose()


def test_login_limits_hold_across_four_gunicorn_workers(tmp_path):
    """memory:// counted per process: 4 workers let 4 × the limit through. Attempts sent
    side by side reach several workers; the counts in the database hold exactly."""
    with live_database("sqlite", tmp_path) as url:
        server = LiveServer(url, tmp_path, workers=4)
        server.env.update(LOGIN_RATE_LIMIT="20 per minute", LOGIN_LOCK_AFTER="3")
        server.prepare().start()
        try:
            send = server.transport()

            def attempt(username, password=WRONG):
                return send("POST", "/api/auth/login", {"username": username, "password": password})[0]

            with ThreadPoolExecutor(8) as pool:
                # The account: three failures lock it, the right password then waits.
                assert list(pool.map(attempt, ["foreman1"] * 3)) == [401] * 3
                assert attempt("foreman1", DEMO_PASSWORD) == 429
                server.login("foreman2")
                # The address: 20 failures a minute (3 used above), whichever worker counts.
                statuses = list(pool.map(attempt, [f"spray-{uuid.uuid4().hex[:8]}" for _ in range(40)]))
            assert sorted(statuses).count(401) == 17, statuses
            assert statuses.count(429) == 23, statuses
            assert attempt("foreman2", DEMO_PASSWORD) == 200
            assert attempt("supervisor1", DEMO_PASSWORD) == 429
        finally:
            server.stop()
            if server._group_alive():
                server.kill()


def test_a_login_limit_that_does_not_parse_stops_the_app_at_start(tmp_path):
    with pytest.raises(ValueError, match="LOGIN_RATE_LIMIT"):
        make_app(f"sqlite:///{tmp_path / 'x.db'}", tmp_path, LOGIN_RATE_LIMIT="lots")
