"""Database engine settings and the schema commands."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, insert, select, text

from .checkpoints import Checkpointer
from .extensions import db


def engine_options(url: str) -> dict:
    """SQLAlchemy engine options for the database at `url`."""
    if url.startswith("sqlite"):
        # Writers wait for the lock instead of failing at once.
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers run beside the one writer; NORMAL sync is durable across a
    crash of the server process (the WAL is fsynced at checkpoints)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _checkpoint_beside_requests(dbapi_connection, _record) -> None:
    """No checkpoint inside a commit: the Checkpointer runs them (server/checkpoints.py)."""
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def init_app(app: Flask) -> None:
    """Attach the database to `app` and register the schema commands."""
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
            path = db.engine.url.database
            if path and path != ":memory:" and not path.startswith("file:"):
                checkpointer = Checkpointer(path)
                event.listen(db.engine, "connect", _checkpoint_beside_requests)
                event.listen(db.engine, "commit", lambda _connection: checkpointer.wrote())
    app.cli.add_command(init_db_command)


# Held on PostgreSQL while migrating, so app servers starting together migrate one at a time.
MIGRATION_LOCK = 7_301_946_117


def init_db() -> None:
    """Create or upgrade the schema and its fixed rows; safe to repeat, and to run from
    several app servers at once on PostgreSQL."""
    from .syncing.models import SyncCounter
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                _upgrade(SyncCounter)
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                lock.commit()
    else:
        _upgrade(SyncCounter)


def _upgrade(counter_model) -> None:
    upgrade(directory=_migrations_dir())
    table = counter_model.__table__
    if db.session.execute(select(table.c.id).where(table.c.id == 1)).first() is None:
        db.session.execute(insert(table).values(id=1, seq=0, tombstone_floor=0))
    db.session.commit()


def _migrations_dir() -> str:
    return str(Path(__file__).resolve().parent / "migrations")


@click.command("init-db")
def init_db_command():
    """Create or upgrade the database schema (safe to repeat)."""
    init_db()
    click.echo("database is up to date")
