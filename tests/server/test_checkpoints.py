"""SQLite WAL checkpoints run beside the requests: commits leave them to a thread."""
from __future__ import annotations

import os
import sqlite3
import time
import uuid

from server import checkpoints
from server.checkpoints import Checkpointer
from server.demo import demo_id, load_demo
from server.extensions import db

from .conftest import DEMO_PASSWORD, Auth, make_app


def _wal_database(path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    return connection


def _until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_written_pages_reach_the_database_file_without_a_commit_checkpointing(tmp_path):
    path = tmp_path / "notes.db"
    writer = _wal_database(path)
    writer.executemany("INSERT INTO notes (body) VALUES (?)", [("x" * 500,)] * 2000)
    before = os.path.getsize(path)
    time.sleep(0.3)
    assert os.path.getsize(path) == before  # nothing moves the WAL into the file by itself

    Checkpointer(path).wrote()
    assert _until(lambda: os.path.getsize(path) > before + 500_000)
    assert writer.execute("SELECT count(*) FROM notes").fetchone() == (2000,)
    writer.close()


def test_the_thread_ends_when_idle_and_starts_again_with_the_next_write(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoints, "IDLE_SECONDS", 0.2)
    path = tmp_path / "notes.db"
    writer = _wal_database(path)
    checkpointer = Checkpointer(path, delay=0)
    checkpointer.wrote()
    first = checkpointer._thread
    assert first is not None
    assert _until(lambda: checkpointer._thread is None and not first.is_alive(), 5)

    writer.executemany("INSERT INTO notes (body) VALUES (?)", [("y" * 500,)] * 2000)
    before = os.path.getsize(path)
    checkpointer.wrote()
    assert checkpointer._thread is not None and checkpointer._thread is not first
    assert _until(lambda: os.path.getsize(path) > before + 500_000)
    writer.close()


def test_a_database_that_is_gone_is_not_created_again(tmp_path):
    path = tmp_path / "gone.db"
    assert Checkpointer(path).checkpoint() is None
    assert not path.exists()


def test_the_app_leaves_checkpoints_to_its_checkpointer(tmp_path):
    path = tmp_path / "gridline.db"
    app = make_app(f"sqlite:///{path}", tmp_path)
    with app.app_context():
        load_demo(DEMO_PASSWORD)
        setting = db.session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        db.session.commit()
    assert setting == 0
    client = app.test_client()
    headers = Auth(client).headers("foreman1")
    client_id = str(uuid.uuid4())
    mutations = [{"mid": mid, "op": "put", "type": "task", "id": str(uuid.uuid4()),
                  "hlc": f"{int(time.time() * 1000):015d}:{mid:05d}:{client_id}",
                  "fields": {"project_id": demo_id("project"), "title": f"W{mid} 回填",
                             "description": "分层夯实 " * 40}} for mid in range(1, 201)]
    # The push's pages land in the WAL ...
    time.sleep(0.3)
    before = os.path.getsize(path)
    response = client.post("/api/sync/push", json={"client_id": client_id, "schema_version": 1,
                                                   "mutations": mutations}, headers=headers)
    assert response.status_code == 200, response.get_json()
    # ... and the checkpointer, not the commit, copies them into the database file.
    assert _until(lambda: os.path.getsize(path) > before + 100_000)
    with app.app_context():
        db.engine.dispose()
