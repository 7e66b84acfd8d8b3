"""SQLite WAL checkpoints beside the requests rather than inside them.

By default SQLite checkpoints in the commit that takes the WAL past 1,000 pages: that
commit copies the WAL into the database file and fsyncs it before it returns. A push of
50 changes writes about 250 pages, so every fourth push paid for a checkpoint while the
writers' lock was held. Connections here turn automatic checkpoints off (see
`server/database.py`); after a commit, a thread of the process runs a PASSIVE checkpoint,
which waits for no reader or writer and is skipped when another process is running one.
The thread ends after a few idle seconds and starts again with the next write.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

IDLE_SECONDS = 5.0


class Checkpointer:
    """Checkpoints one SQLite database file from a thread of this process."""

    def __init__(self, path: str | Path, delay: float = 0.05):
        self.path = str(path)
        self.delay = delay  # let a burst of commits land before checkpointing after them
        self._wal_seen: tuple[int, int] | None = None
        self._wrote = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def wrote(self) -> None:
        """Called after a commit: a checkpoint follows soon, off the committing thread."""
        self._wrote.set()
        with self._lock:
            forked = self._pid != os.getpid()  # threads do not survive a fork
            if forked or self._thread is None or not self._thread.is_alive():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="wal-checkpoint",
                                                daemon=True)
                self._thread.start()

    def checkpoint(self) -> tuple[int, int, int] | None:
        """One PASSIVE checkpoint: (busy, frames in the WAL, frames checkpointed), or None
        when the database cannot be opened or another checkpoint holds it."""
        try:
            # mode=rw: never create a database that is not there (any more).
            connection = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=0)
        except sqlite3.Error:
            return None
        try:
            return connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:
            return None
        finally:
            connection.close()

    def _run(self) -> None:
        while True:
            if not self._wrote.wait(IDLE_SECONDS):
                with self._lock:
                    if not self._wrote.is_set():
                        self._thread = None
                        return
                continue
            self._wrote.clear()
            time.sleep(self.delay)
            # A commit that wrote nothing (a read's) leaves the WAL as it was: nothing to do.
            try:
                stat = os.stat(f"{self.path}-wal")
            except OSError:
                continue
            if (stat.st_size, stat.st_mtime_ns) != self._wal_seen:
                self.checkpoint()
                self._wal_seen = (stat.st_size, stat.st_mtime_ns)
