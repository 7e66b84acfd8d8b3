"""A real gunicorn serving the app on a free port, for tests that need real processes.

The server runs in its own session (process group), so `kill()` can take down the
master and every worker at once with SIGKILL, as a power cut or the OOM killer would.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .conftest import DEMO_PASSWORD, PgDatabase, require_pg
from .sync_client import HttpTransport

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def live_database(backend: str, tmp_path: Path):
    """The URL of a fresh database for a live server: an SQLite file or a new PostgreSQL
    database (dropped afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'live.db'}"
        return
    require_pg()
    database = PgDatabase()
    try:
        yield database.url
    finally:
        database.drop()


class LiveServer:
    """`gunicorn -w N 'server:create_app()'` on `database_url`, schema and demo loaded."""

    def __init__(self, database_url: str, tmp_path: Path, workers: int = 4):
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.log_path = tmp_path / "gunicorn.log"
        self.env = {**os.environ, "DATABASE_URL": database_url,
                    "SECRET_KEY": "live-server-test-secret", "BLOB_DIR": str(tmp_path / "blobs"),
                    "LOGIN_RATE_LIMIT": "10000 per minute", "LOGIN_LOCK_AFTER": "10000",
                    "PYTHONPATH": str(ROOT)}
        self.env.pop("FLASK_APP", None)
        self.process: subprocess.Popen | None = None

    # -- the database --------------------------------------------------------------------

    def prepare(self) -> "LiveServer":
        """`flask init-db` and `flask seed-demo`, as an operator would run them."""
        for args in (["init-db"], ["seed-demo", "--password", DEMO_PASSWORD]):
            done = subprocess.run([sys.executable, "-m", "flask", "--app", "server", *args],
                                  cwd=ROOT, env=self.env, capture_output=True, text=True,
                                  timeout=120)
            assert done.returncode == 0, f"flask {args[0]} failed:\n{done.stdout}\n{done.stderr}"
        return self

    # -- the processes -------------------------------------------------------------------

    def start(self, timeout: float = 30) -> "LiveServer":
        """Start gunicorn and wait until it answers HTTP."""
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "-b", f"{HOST}:{self.port}",
             "--graceful-timeout", "5", "--timeout", "120", "server:create_app()"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        probe = HttpTransport(HOST, self.port, timeout=5)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                status, _ = probe("GET", "/api/me")
                if status == 401:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.kill()
        raise AssertionError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to the whole process group)."""
        self._signal(signal.SIGTERM, wait=15)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, mid-whatever."""
        self._signal(signal.SIGKILL, wait=15)

    def _signal(self, signum: int, wait: float) -> None:
        if self.process is None or self.process.poll() is not None:
            self._reap_group(signum)
            return
        self._reap_group(signum)
        try:
            self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self._reap_group(signal.SIGKILL)
            self.process.wait(timeout=wait)
        # Workers are children of the master: wait until none of the group is left.
        deadline = time.monotonic() + wait
        while self._group_alive() and time.monotonic() < deadline:
            time.sleep(0.05)

    def _reap_group(self, signum: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def _group_alive(self) -> bool:
        """Whether any process of the group still runs (zombies do not count: orphaned
        workers may wait a while for an init that reaps them)."""
        proc = Path("/proc")
        if not proc.exists():
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return False
            return True
        for stat in proc.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] != "Z" and int(fields[2]) == self.process.pid:
                return True
        return False

    # -- talking to it -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def transport(self, timeout: float = 60) -> HttpTransport:
        return HttpTransport(HOST, self.port, timeout=timeout)

    def login(self, username: str, password: str = DEMO_PASSWORD) -> str:
        """A bearer token for `username`, through POST /api/auth/login."""
        status, body = self.transport()("POST", "/api/auth/login",
                                        {"username": username, "password": password})
        assert status == 200, body
        return body["token"]

    def log(self) -> str:
        """The tail of gunicorn's output."""
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except FileNotFoundError:
            return ""


@contextlib.contextmanager
def running_server(database_url: str, tmp_path: Path, workers: int = 4):
    """A prepared, started LiveServer, stopped (or killed) on the way out."""
    server = LiveServer(database_url, tmp_path, workers).prepare().start()
    try:
        yield server
    finally:
        server.stop()
        if server._group_alive():
            server.kill()
