"""The database failing under pushes is a fault of the server, not of the phone: `503` in
the protocol's error shape with a Retry-After, nothing half-written, and the device's
queue drains once the database is back.

PostgreSQL: a real gunicorn with two workers while the test terminates every connection
to its own database again and again (pg_terminate_backend; the shared server itself is
never restarted). SQLite: a real SQLITE_FULL, from a page limit set on every connection.
"""
from __future__ import annotations

import http.client
import json
import threading
import time
import uuid

import psycopg
import pytest
from sqlalchemy import create_engine, event, text

from server.demo import demo_id
from server.extensions import db

from .conftest import _pg_admin_dsn, demo_app
from .demo_site import PROJECT, DemoSite, assert_error
from .live_server import HOST, live_database, running_server
from .sync_client import Device

BATCH = 60


def queue_tasks(device: Device, count: int) -> list[str]:
    """`count` new tasks in the device's outbox, each with three fields; their ids."""
    ids = []
    for n in range(count):
        task_id = str(uuid.uuid4())
        device.put("task", task_id, {"project_id": PROJECT, "section_id": demo_id("A01"),
                                     "title": f"Trench {n}", "priority": "high", "progress": n % 100})
        ids.append(task_id)
    return ids


def raw_push(port: int, token: str, body: dict) -> tuple[int, dict, dict]:
    """POST /api/sync/push; (status, headers, JSON body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("POST", "/api/sync/push", body=json.dumps(body),
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read() or b"null")
    finally:
        conn.close()


def assert_unavailable(status: int, headers: dict, body: dict) -> None:
    assert status == 503, (status, body)
    assert set(body) == {"error"} and body["error"]["code"] == "unavailable", body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert int(headers["Retry-After"]) > 0, headers


def assert_whole(rows, expected_ids: set[str]) -> None:
    """Every queued task is stored once, each with every field its put carried."""
    found = {row.id: row for row in rows}
    assert set(found) == expected_ids, (len(found), len(expected_ids))
    for row in found.values():
        assert row.title.startswith("Trench ") and row.priority == "high", row
        assert row.progress == int(row.title.split()[1]) % 100, row


class Terminator(threading.Thread):
    """Ends every connection to one PostgreSQL database, over and over, until stopped."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database = database
        self.stopping = threading.Event()
        self.terminated = 0

    def run(self) -> None:
        with psycopg.connect(_pg_admin_dsn(), autocommit=True) as admin:
            while not self.stopping.is_set():
                self.terminated += admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()", (self.database,)).fetchone()[0]
                time.sleep(0.005)


@pytest.mark.slow
@pytest.mark.postgresql
def test_pushes_while_postgresql_connections_are_killed_answer_503_then_drain(tmp_path):
    with live_database("postgresql", tmp_path) as url, \
            running_server(url, tmp_path, workers=2) as server:
        devices = [Device(server.transport(), server.login(name)) for name in ("foreman1", "foreman2")]
        queued = {task for device in devices for task in queue_tasks(device, 4 * BATCH)}
        database = url.rsplit("/", 1)[1]
        statuses: list[int] = []
        killer = Terminator(database)
        killer.start()
        try:
            deadline = time.monotonic() + 20
            # Push batch after batch while connections die; each answer is whole or a 503.
            while time.monotonic() < deadline and statuses.count(503) < 3:
                for device in devices:
                    batch = device.outbox[:BATCH]
                    if not batch:
                        continue
                    status, headers, body = raw_push(server.port, device.token, {
                        "client_id": device.client_id, "schema_version": 1, "mutations": batch})
                    statuses.append(status)
                    if status == 503:
                        assert_unavailable(status, headers, body)
                    else:
                        assert status == 200, (status, body)
                        assert [r["mid"] for r in body["results"]] == [m["mid"] for m in batch]
                        done = {r["mid"] for r in body["results"] if r["status"] != "gap"}
                        device.outbox = [m for m in device.outbox if m["mid"] not in done]
        finally:
            killer.stopping.set()
            killer.join()
        assert statuses.count(503) >= 1 and killer.terminated > 0, (statuses, killer.terminated)
        assert set(statuses) <= {200, 503}, statuses

        # The database is back: every queue drains with the same batches, retried as sent.
        for device in devices:
            for _ in range(20):
                if not device.outbox:
                    break
                status, _ = device.push(device.outbox[:BATCH])
                assert status == 200
            assert device.outbox == []
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT id, title, priority, progress FROM tasks "
                                         "WHERE title LIKE 'Trench %'")).all()
                last_mids = conn.execute(text("SELECT last_mid FROM devices WHERE client_id IN "
                                              "(:a, :b)"), {"a": devices[0].client_id,
                                                            "b": devices[1].client_id}).scalars().all()
        finally:
            engine.dispose()
        assert_whole(rows, queued)
        assert sorted(last_mids) == [4 * BATCH, 4 * BATCH]


@pytest.fixture
def site(tmp_path):
    with demo_app("sqlite", tmp_path) as app:
        yield DemoSite(app)


def limit_pages(app, pages: int | None) -> None:
    """Every new connection of the app may grow the database to `pages` pages (None: no
    limit); connections open now are closed so the limit holds for all."""
    with app.app_context():
        engine = db.engine
        for listener in getattr(app, "_page_limits", []):
            event.remove(engine, "connect", listener)

        def cap(dbapi_connection, _record):
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        app._page_limits = [cap] if pages else []
        if pages:
            event.listen(engine, "connect", cap)
        engine.dispose()


def test_a_full_sqlite_disk_answers_503_and_the_queue_drains_after(site):
    with site.app.app_context():
        used = db.session.execute(text("PRAGMA page_count")).scalar()
        db.session.remove()
    device = site.device("foreman1")
    queued = set(queue_tasks(device, 4 * BATCH))
    # Room for a few pages only: the first batch cannot be stored.
    limit_pages(site.app, used + 2)
    response = site.client.post("/api/sync/push", headers=site.headers("foreman1"), json={
        "client_id": device.client_id, "schema_version": 1, "mutations": device.outbox[:BATCH]})
    error = assert_error(response, 503, "unavailable")
    assert int(response.headers["Retry-After"]) > 0, error
    for _ in range(3):
        status, _ = device.push(device.outbox[:BATCH])
        assert status == 503
    assert len(device.outbox) == 4 * BATCH
    with site.app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM tasks WHERE title LIKE 'Trench %'")).scalar() == 0
        assert db.session.execute(text("SELECT count(*) FROM devices WHERE client_id = :c"),
                                  {"c": device.client_id}).scalar() == 0
        db.session.remove()

    # Space again: the same batches go through.
    limit_pages(site.app, None)
    while device.outbox:
        status, _ = device.push(device.outbox[:BATCH])
        assert status == 200
    with site.app.app_context():
        rows = db.session.execute(text("SELECT id, title, priority, progress FROM tasks "
                                       "WHERE title LIKE 'Trench %'")).all()
        db.session.remove()
    assert_whole(rows, queued)
