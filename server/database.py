"""Database engine settings and the schema commands."""
from __future__ import annotations

import click
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, insert, select

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


def init_app(app: Flask) -> None:
    """Attach the database to `app` and register the schema commands."""
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
    app.cli.add_command(init_db_command)


def init_db() -> None:
    """Create or upgrade the schema and its fixed rows; safe to repeat."""
    from .syncing.models import SyncCounter
    upgrade(directory=_migrations_dir())
    table = SyncCounter.__table__
    if db.session.execute(select(table.c.id).where(table.c.id == 1)).first() is None:
        db.session.execute(insert(table).values(id=1, seq=0, tombstone_floor=0))
    db.session.commit()


def _migrations_dir() -> str:
    from pathlib import Path
    return str(Path(__file__).resolve().parent / "migrations")


@click.command("init-db")
def init_db_command():
    """Create or upgrade the database schema (safe to repeat)."""
    init_db()
    click.echo("database is up to date")
