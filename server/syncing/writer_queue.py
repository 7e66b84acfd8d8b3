"""On SQLite, pushes queue for the write lock in the kernel rather than in SQLite.

SQLite's busy handler polls: a writer that finds the database locked sleeps, up to
100 ms a time, and tries again, so with several devices pushing at once a push can
wait far longer than the pushes ahead of it took. An exclusive `flock` on a file beside
the database makes pushes wait in line and wakes the next one as soon as the lock is
released. SQLite's own locking still guards the data; this only orders the waiting.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager


@contextmanager
def writers_queue(engine):
    """Hold the pushers' file lock for a SQLite file database; nothing on other databases."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    descriptor = os.open(f"{database}.push-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
