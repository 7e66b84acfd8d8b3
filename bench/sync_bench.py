#!/usr/bin/env python
"""Sync server benchmarks, run by hand (not part of the test suite).

    .venv/bin/python bench/sync_bench.py --backend sqlite|postgresql|both [--quick]

Three sections, each on every backend asked for, in one run:

1. push      Push throughput at 1, 10, 50 and 200 mutations per push through the real
             request path (Flask test client in-process: JSON parsing, auth, engine, store,
             commit), beside a raw-SQL baseline (sqlite3 / psycopg, no ORM) that writes
             the same rows batch for batch with the same durability settings.
2. devices   8 devices pushing batches of 50 at once over HTTP to gunicorn -w 4.
3. pull      Initial pull of 10,000 and 100,000 records (pages of 500, full drain) and
             an incremental pull of 10 new changes on top of each.

PostgreSQL databases are created fresh (and dropped) on BENCH_PG_URL, by default
postgresql://postgres@127.0.0.1:5432/test. Results go to stdout as Markdown tables;
--json FILE also writes them as JSON. See docs/benchmarks.md for the figures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import logging
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

PASSWORD = "bench-pass-1"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
WRITERS = ("foreman1", "foreman2", "supervisor1", "admin1")
EDIT_EVERY = 5  # every 5th mutation edits an existing task (20 %), the rest create one

FULL = {
    "push_sizes": {1: 300, 10: 150, 50: 80, 200: 25},  # pushes per batch size
    "warmup": 5,
    "rounds": 25,                                      # rounds of 50 per device, 8 devices
    "pull_sizes": (10_000, 100_000),
    "incremental_reps": 30,
}
QUICK = {
    "push_sizes": {1: 40, 10: 20, 50: 12, 200: 4},
    "warmup": 2,
    "rounds": 3,
    "pull_sizes": (2_000, 10_000),
    "incremental_reps": 10,
}


# -- databases ---------------------------------------------------------------------------

class BenchDb:
    """A fresh database for one measurement: a SQLite file or a PostgreSQL database."""

    def __init__(self, backend: str, workdir: Path, label: str):
        self.backend = backend
        if backend == "sqlite":
            self.path = workdir / f"{label}.db"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"gridline_bench_{label}_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            self.url = (make_url(PG_URL).set(drivername="postgresql+psycopg", database=self.name)
                        .render_as_string(hide_password=False))

    def raw_connect(self):
        """A DB-API connection without any ORM, with the server's durability settings."""
        if self.backend == "sqlite":
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            # What server/database.py sets on every connection.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            return conn
        dsn = make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(dsn)  # synchronous_commit stays at its default, on

    def server_cpu(self) -> float:
        """CPU seconds used so far by the PostgreSQL processes serving this database
        (0 for SQLite, which runs inside its clients)."""
        if self.backend != "postgresql":
            return 0.0
        return process_cpu(lambda pid, ppid, cmdline: f" {self.name} " in cmdline
                           and cmdline.startswith("postgres:"))

    def drop(self) -> None:
        if self.backend == "postgresql":
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def process_cpu(select) -> float:
    """CPU seconds (user + system) of the processes for which
    `select(pid, ppid, cmdline)` is true, read from /proc."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if select(int(entry.name), int(stat[1]), cmdline):
            total += int(stat[11]) + int(stat[12])
    return total / os.sysconf("SC_CLK_TCK")


def make_app(bench_db: BenchDb, workdir: Path):
    """The real app on `bench_db`, schema created and the demo project loaded."""
    from server import create_app
    from server.database import init_db
    from server.demo import load_demo
    app = create_app({"SQLALCHEMY_DATABASE_URI": bench_db.url, "SECRET_KEY": "bench-secret",
                      "BLOB_DIR": str(workdir / "blobs"), "LOGIN_RATE_LIMIT": "1000 per minute"})
    logging.disable(logging.INFO)  # alembic's migration log lines
    try:
        with app.app_context():
            init_db()
            load_demo(PASSWORD)
    finally:
        logging.disable(logging.NOTSET)
    return app


def dispose(app) -> None:
    from server.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def demo_ids() -> dict:
    from server.demo import SECTIONS, demo_id
    return {"project": demo_id("project"), "sections": [demo_id(code) for code, *_ in SECTIONS],
            "users": {name: demo_id(name) for name in WRITERS}}


# -- the workload --------------------------------------------------------------------------

class Workload:
    """One device's mutations: tasks created with 7 fields, every 5th mutation an edit
    (progress and description) of a task this device created earlier."""

    def __init__(self, ids: dict, username: str, client_id: str | None = None, seed: int = 0):
        self.project = ids["project"]
        self.sections = ids["sections"]
        self.user_id = ids["users"][username]
        self.client_id = client_id or str(uuid.uuid4())
        self.mid = 0
        self.tasks: list[str] = []
        self.progress: dict[str, int] = {}
        self.seed = seed
        self._last = (0, 0)

    def hlc(self) -> str:
        now = int(time.time() * 1000)
        physical, counter = self._last
        self._last = (now, 0) if now > physical else (physical, counter + 1)
        return f"{self._last[0]:015d}:{self._last[1]:05d}:{self.client_id}"

    def mutation(self, creates_only: bool = False) -> dict:
        self.mid += 1
        mid = self.mid
        if self.tasks and mid % EDIT_EVERY == 0 and not creates_only:
            record_id = self.tasks[(mid * 7919 + self.seed) % len(self.tasks)]
            progress = (self.progress[record_id] + 7) % 101
            self.progress[record_id] = progress
            fields = {"progress": progress, "description": f"Updated by mutation {mid}: "
                      "shoring checked, spoil moved 2 m back from the trench edge."}
        else:
            record_id = str(uuid.uuid4())
            self.tasks.append(record_id)
            progress = mid % 90
            self.progress[record_id] = progress
            day = dt.date(2026, 11, 24) + dt.timedelta(days=mid % 60)
            fields = {
                "project_id": self.project,
                "section_id": self.sections[mid % len(self.sections)],
                "title": f"Backfill trench A-{mid:05d}",
                "description": "Compact in 300 mm layers; density test every 50 m. "
                               "Keep 2 m clear of the gas main.",
                "priority": ("low", "normal", "high", "urgent")[mid % 4],
                "due_date": day.isoformat(),
                "progress": progress,
            }
        return {"mid": mid, "op": "put", "type": "task", "id": record_id, "hlc": self.hlc(),
                "fields": fields}

    def batch(self, size: int, creates_only: bool = False) -> list[dict]:
        return [self.mutation(creates_only) for _ in range(size)]

    def body(self, mutations: list[dict]) -> bytes:
        return json.dumps({"client_id": self.client_id, "schema_version": 1,
                           "mutations": mutations}).encode()


def check_answer(status: int, answer: dict | None, sent: int) -> None:
    if status != 200:
        raise SystemExit(f"push failed: {status} {answer}")
    bad = [r for r in answer["results"] if r["status"] != "applied"]
    if bad or len(answer["results"]) != sent:
        raise SystemExit(f"push not applied: {bad[:3]}")


def login(client, username: str) -> str:
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


class InProcess:
    """Pushes and pulls through the Flask test client."""

    def __init__(self, app, username: str):
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {login(self.client, username)}",
                        "Content-Type": "application/json"}

    def push(self, body: bytes, sent: int) -> float:
        """Push one body; returns the wall time and keeps the CPU time in `last_cpu`."""
        cpu, start = time.process_time(), time.perf_counter()
        response = self.client.post("/api/sync/push", data=body, headers=self.headers)
        elapsed = time.perf_counter() - start
        self.last_cpu = time.process_time() - cpu
        check_answer(response.status_code, response.get_json(), sent)
        return elapsed

    def pull(self, client_id: str, cursor: str | None, limit: int = 500) -> dict:
        path = f"/api/sync/pull?client_id={client_id}&limit={limit}"
        if cursor:
            path += f"&cursor={cursor}"
        response = self.client.get(path, headers=self.headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()


# -- 1. push throughput, and the raw-SQL baseline ------------------------------------------

class RawWriter:
    """Writes, with plain SQL, the rows a push of the same batch writes: the task rows
    (whole rows, upserted), one change_log row per record (moved to its new seq), the
    field_history rows, the device_results rows, the device row and the counter, in one
    transaction per batch with executemany. It keeps the records in memory, so it reads
    nothing but the counter: it is the floor of what a push has to write."""

    COLUMNS = ("id", "project_id", "seq", "deleted", "meta", "created_by", "created_at",
               "updated_by", "updated_at", "section_id", "title", "description", "assignee_id",
               "due_date", "priority", "progress", "planned_start", "planned_end",
               "depends_on", "photos", "status")
    LWW = ("section_id", "title", "description", "assignee_id", "due_date", "priority",
           "progress", "planned_start", "planned_end")

    def __init__(self, conn, backend: str, user_id: str, client_id: str):
        self.conn, self.backend = conn, backend
        self.user_id, self.client_id = user_id, client_id
        self.records: dict[str, dict] = {}
        self.sqlite = backend == "sqlite"
        marks = ", ".join(["%s"] * len(self.COLUMNS))
        updates = ", ".join(f"{c} = excluded.{c}" for c in self.COLUMNS if c != "id")
        self.sql = {
            "lock": "UPDATE sync_counter SET seq = seq WHERE id = 1",
            "counter": "SELECT seq FROM sync_counter WHERE id = 1",
            "task": f"INSERT INTO tasks ({', '.join(self.COLUMNS)}) VALUES ({marks}) "
                    f"ON CONFLICT (id) DO UPDATE SET {updates}",
            "log": "INSERT INTO change_log (type, record_id, seq, project_id, deleted) "
                   "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (type, record_id) DO UPDATE SET "
                   "seq = excluded.seq, project_id = excluded.project_id, "
                   "deleted = excluded.deleted",
            "history": "INSERT INTO field_history (type, record_id, field, old, new, hlc, "
                       "original_hlc, user_id, client_id, seq, lost) "
                       "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            "result": "INSERT INTO device_results (client_id, mid, result) VALUES (%s, %s, %s)",
            "device": "INSERT INTO devices (client_id, user_id, last_mid, pulled_seq, "
                      "last_seen_at) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (client_id) "
                      "DO UPDATE SET last_mid = excluded.last_mid, "
                      "last_seen_at = excluded.last_seen_at",
            "bump": "UPDATE sync_counter SET seq = %s WHERE id = 1",
        }
        if self.sqlite:
            self.sql = {k: v.replace("%s", "?") for k, v in self.sql.items()}

    def write(self, mutations: list[dict], now_iso: str) -> None:
        sql, cur = self.sql, self.conn.cursor()
        if self.sqlite:
            cur.execute("BEGIN")
        cur.execute(sql["lock"])
        seq = cur.execute(sql["counter"]).fetchone()[0]
        tasks, logs, history, results = {}, {}, [], []
        dumps = json.dumps
        for mutation in mutations:
            seq += 1
            record_id, hlc, fields = mutation["id"], mutation["hlc"], mutation["fields"]
            clock = [hlc, self.user_id, seq, self.client_id]
            record = self.records.get(record_id)
            if record is None:
                record = {"values": {"status": "todo"}, "meta": {"c": {}, "m": {}, "s": {}},
                          "project_id": fields["project_id"], "created_at": now_iso}
                self.records[record_id] = record
            for name in sorted(fields):
                if name == "project_id":
                    continue
                old = record["values"].get(name)
                record["values"][name] = fields[name]
                record["meta"]["c"][name] = clock
                history.append(("task", record_id, name, dumps(old), dumps(fields[name]), hlc,
                                None, self.user_id, self.client_id, seq, False))
            values = record["values"]
            tasks[record_id] = (
                record_id, record["project_id"], seq, False, dumps(record["meta"]), self.user_id,
                record["created_at"], self.user_id, now_iso,
                *(values.get(name) for name in self.LWW), "[]", "[]", values["status"])
            logs[record_id] = ("task", record_id, seq, record["project_id"], False)
            results.append((self.client_id, mutation["mid"],
                            dumps({"mid": mutation["mid"], "status": "applied", "seq": seq})))
        cur.executemany(sql["task"], list(tasks.values()))
        cur.executemany(sql["log"], list(logs.values()))
        cur.executemany(sql["history"], history)
        cur.executemany(sql["result"], results)
        now = dt.datetime.now(dt.timezone.utc)
        cur.execute(sql["device"], (self.client_id, self.user_id, mutations[-1]["mid"], 0,
                                    str(now) if self.sqlite else now))
        cur.execute(sql["bump"], (seq,))
        self.conn.commit()


def bench_push(backend: str, workdir: Path, params: dict) -> list[dict]:
    """Each batch size on fresh databases (the demo project only), so sizes compare;
    a push and the baseline's batch alternate, so both see the same machine."""
    ids = demo_ids()
    rows = []
    for size, pushes in params["push_sizes"].items():
        push_db = BenchDb(backend, workdir, f"push{size}")
        raw_db = BenchDb(backend, workdir, f"raw{size}")
        app = make_app(push_db, workdir)
        dispose(make_app(raw_db, workdir))  # the same schema and demo rows for the baseline
        raw_conn = raw_db.raw_connect()
        try:
            device = InProcess(app, "foreman1")
            workload = Workload(ids, "foreman1", seed=size)
            raw_workload = Workload(ids, "foreman1", seed=size)
            raw = RawWriter(raw_conn, backend, ids["users"]["foreman1"], raw_workload.client_id)
            bodies = [workload.body(workload.batch(size))
                      for _ in range(params["warmup"] + pushes)]
            raw_batches = [raw_workload.batch(size) for _ in range(params["warmup"] + pushes)]
            latencies, raw_times, cpu, raw_cpu = [], [], [], []
            db_cpu = db_raw_cpu = 0.0
            for index, (body, batch) in enumerate(zip(bodies, raw_batches)):
                if index == params["warmup"]:
                    db_cpu, db_raw_cpu = -push_db.server_cpu(), -raw_db.server_cpu()
                latencies.append(device.push(body, size))
                cpu.append(device.last_cpu)
                start_cpu, start = time.process_time(), time.perf_counter()
                raw.write(batch, "2026-11-24T08:00:00Z")
                raw_times.append(time.perf_counter() - start)
                raw_cpu.append(time.process_time() - start_cpu)
            warm = params["warmup"]
            latencies, raw_times = latencies[warm:], raw_times[warm:]
            cpu, raw_cpu = cpu[warm:], raw_cpu[warm:]
            db_cpu += push_db.server_cpu()
            db_raw_cpu += raw_db.server_cpu()
        finally:
            raw_conn.close()
            dispose(app)
            push_db.drop()
            raw_db.drop()
        p50, raw_p50 = statistics.median(latencies), statistics.median(raw_times)
        row = {"backend": backend, "size": size, "pushes": pushes,
               "p50_ms": 1000 * p50, "p95_ms": 1000 * percentile(latencies, 95),
               # mutations/s at the median latency, and over the whole run (sum of latencies)
               "rate": size / p50, "sustained": size * pushes / sum(latencies),
               "raw_p50_ms": 1000 * raw_p50, "raw_rate": size / raw_p50,
               "raw_sustained": size * pushes / sum(raw_times),
               # Mean CPU per push: this process (with SQLite, the database's work too)
               # plus, with PostgreSQL, the server processes of that database.
               "cpu_ms": 1000 * (sum(cpu) + db_cpu) / pushes,
               "raw_cpu_ms": 1000 * (sum(raw_cpu) + db_raw_cpu) / pushes}
        row["ratio"] = row["rate"] / row["raw_rate"]
        row["sustained_ratio"] = row["sustained"] / row["raw_sustained"]
        rows.append(row)
        print(f"  [{backend}] push {size:>3}/push: {row['rate']:6.0f} mut/s at p50 "
              f"{row['p50_ms']:.1f} ms ({row['sustained']:.0f} sustained); raw "
              f"{row['raw_rate']:6.0f} mut/s ({row['raw_sustained']:.0f}); ratio "
              f"{row['ratio']:.2f} ({row['sustained_ratio']:.2f})", flush=True)
    return rows


# -- 2. eight devices against gunicorn -------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_call(port: int, method: str, path: str, body: bytes | None, headers: dict):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json",
                                                       **headers})
        response = conn.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None)
    finally:
        conn.close()


def bench_devices(backend: str, workdir: Path, params: dict, devices: int = 8,
                  size: int = 50) -> dict:
    ids = demo_ids()
    bench_db = BenchDb(backend, workdir, "gunicorn")
    env = {**os.environ, "DATABASE_URL": bench_db.url, "SECRET_KEY": "bench-secret",
           "BLOB_DIR": str(workdir / "gunicorn-blobs"), "LOGIN_RATE_LIMIT": "1000 per minute"}
    flask = [sys.executable, "-m", "flask", "--app", "server"]
    server = None
    try:
        subprocess.run(flask + ["init-db"], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run(flask + ["seed-demo", "--password", PASSWORD], env=env, cwd=ROOT,
                       check=True, capture_output=True)
        port = free_port()
        log = open(workdir / f"gunicorn-{backend}.log", "wb")
        # As in production, less gunicorn's control socket: it is one path per user, and
        # a test run's gunicorn beside this one would fight over it.
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "4", "-b",
                                   f"127.0.0.1:{port}", "--no-control-socket",
                                   "--graceful-timeout", "5", "server:create_app()"],
                                  env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                http_call(port, "GET", "/api/openapi.json", None, {})
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"gunicorn did not start; see {log.name}")
                time.sleep(0.2)

        # One device per thread: two per writer, each with its own client_id.
        clients = []
        for index in range(devices):
            username = WRITERS[index % len(WRITERS)]
            status, answer = http_call(port, "POST", "/api/auth/login", json.dumps(
                {"username": username, "password": PASSWORD}).encode(), {})
            assert status == 200, answer
            workload = Workload(ids, username, seed=index)
            bodies = [workload.body(workload.batch(size)) for _ in range(1 + params["rounds"])]
            clients.append(({"Authorization": f"Bearer {answer['token']}"}, bodies))
        for headers, bodies in clients:  # warm every worker and bind every device
            status, answer = http_call(port, "POST", "/api/sync/push", bodies[0], headers)
            check_answer(status, answer, size)

        latencies: list[float] = []
        errors: list[str] = []
        start_line = threading.Barrier(devices + 1)

        def run(headers, bodies):
            start_line.wait()
            for body in bodies[1:]:
                start = time.perf_counter()
                status, answer = http_call(port, "POST", "/api/sync/push", body, headers)
                latencies.append(time.perf_counter() - start)
                try:
                    check_answer(status, answer, size)
                except SystemExit as error:
                    errors.append(str(error))
                    return

        def server_cpu() -> tuple[float, float]:
            workers = process_cpu(lambda pid, ppid, _: server.pid in (pid, ppid))
            return workers, bench_db.server_cpu()

        threads = [threading.Thread(target=run, args=client) for client in clients]
        for thread in threads:
            thread.start()
        cpu_before = server_cpu()
        start_line.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        cpu_after = server_cpu()
        if errors:
            raise SystemExit(f"concurrent pushes failed: {errors[:3]}")
        total = devices * size * params["rounds"]
        row = {"backend": backend, "devices": devices, "size": size, "pushes": len(latencies),
               "p50_ms": 1000 * statistics.median(latencies),
               "p95_ms": 1000 * percentile(latencies, 95), "max_ms": 1000 * max(latencies),
               "rate": total / wall, "wall_s": wall,
               # CPU per push of the gunicorn processes, and of PostgreSQL's for its database
               "worker_cpu_ms": 1000 * (cpu_after[0] - cpu_before[0]) / len(latencies),
               "db_cpu_ms": 1000 * (cpu_after[1] - cpu_before[1]) / len(latencies)}
        print(f"  [{backend}] 8 devices x 50: p50 {row['p50_ms']:.0f} ms, p95 "
              f"{row['p95_ms']:.0f} ms, {row['rate']:.0f} mut/s", flush=True)
        return row
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        bench_db.drop()


# -- 3. pulls ---------------------------------------------------------------------------------

def record_count(app) -> int:
    from sqlalchemy import func, select

    from server.extensions import db
    from server.syncing.models import ChangeLog
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(ChangeLog)).scalar_one()


def load_records(app, writers: list, target: int) -> float:
    """Push new tasks, 200 per push, round robin over the writers, until the change
    log holds `target` records; returns the records per second it took."""
    missing = target - record_count(app)
    start, index = time.perf_counter(), 0
    while missing > 0:
        device, workload = writers[index % len(writers)]
        size = min(200, missing)
        device.push(workload.body(workload.batch(size, creates_only=True)), size)
        missing -= size
        index += 1
    elapsed = time.perf_counter() - start
    assert record_count(app) == target
    return (target - 0) / elapsed if elapsed else 0.0


def drain(reader: InProcess, client_id: str, cursor: str | None) -> tuple[float, int, int, str]:
    """Pull every page from `cursor`; returns seconds, changes, pages and the cursor."""
    start, changes, pages = time.perf_counter(), 0, 0
    while True:
        page = reader.pull(client_id, cursor)
        changes += len(page["changes"])
        pages += 1
        cursor = page["cursor"]
        if not page["has_more"]:
            return time.perf_counter() - start, changes, pages, cursor


def bench_pull(backend: str, workdir: Path, params: dict) -> list[dict]:
    """One database per size, loaded by pushes; each drained from scratch once, then
    incremental pulls taken in turn on every database, so they see the same machine."""
    ids = demo_ids()
    sites, rows = [], []
    try:
        for target in params["pull_sizes"]:
            bench_db = BenchDb(backend, workdir, f"pull{target}")
            app = make_app(bench_db, workdir)
            site = {"db": bench_db, "app": app, "target": target}
            sites.append(site)
            writers = [(InProcess(app, name), Workload(ids, name, seed=i))
                       for i, name in enumerate(WRITERS)]
            site["editor"], site["reader"] = writers[0], InProcess(app, "supervisor1")
            load_start = time.perf_counter()
            load_records(app, writers, target)
            load_s = time.perf_counter() - load_start
            site["client_id"] = str(uuid.uuid4())
            cpu = time.process_time() + bench_db.server_cpu()
            seconds, changes, pages, site["cursor"] = drain(site["reader"], site["client_id"],
                                                            None)
            cpu = time.process_time() + bench_db.server_cpu() - cpu
            assert changes == target, (changes, target)
            site["row"] = {"backend": backend, "records": target, "load_s": load_s,
                           "initial_s": seconds, "pages": pages,
                           "records_per_s": changes / seconds,
                           # this process's CPU, plus PostgreSQL's for its database
                           "initial_cpu_s": cpu}
            site["incremental"], site["incremental_cpu"] = [], []
            print(f"  [{backend}] pull {target:>7,}: initial {seconds:.2f} s ({pages} pages; "
                  f"loaded in {load_s:.0f} s)", flush=True)
        for _ in range(params["incremental_reps"]):
            for site in sites:
                device, workload = site["editor"]
                device.push(workload.body(workload.batch(10)), 10)  # 8 new tasks, 2 edits
                start_cpu = time.process_time()
                took, got, _, site["cursor"] = drain(site["reader"], site["client_id"],
                                                     site["cursor"])
                site["incremental_cpu"].append(time.process_time() - start_cpu)
                site["incremental"].append(took)
                assert got == 10, got
        for site in sites:
            row = site["row"]
            row.update({
                "incremental_p50_ms": 1000 * statistics.median(site["incremental"]),
                "incremental_p95_ms": 1000 * percentile(site["incremental"], 95),
                "incremental_cpu_ms": 1000 * statistics.median(site["incremental_cpu"])})
            rows.append(row)
            print(f"  [{backend}] incremental pull of 10 on {row['records']:>7,}: p50 "
                  f"{row['incremental_p50_ms']:.1f} ms, p95 {row['incremental_p95_ms']:.1f} ms",
                  flush=True)
    finally:
        for site in sites:
            dispose(site["app"])
            site["db"].drop()
    return rows


# -- reporting --------------------------------------------------------------------------------

def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def machine() -> dict:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.OperationalError:
        pg = "unavailable"
    debian = Path("/etc/debian_version").read_text().strip() if Path("/etc/debian_version").exists() else "?"
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem_kb / 1024 / 1024, 1),
            "debian": debian, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "postgresql": pg}


def report(results: dict) -> str:
    lines = []
    if results.get("push"):
        lines += ["### 1. Push throughput (in-process, one device)", "",
                  "| backend | per push | pushes | median latency | p95 | mutations/s at median "
                  "| sustained mutations/s | CPU per push | raw SQL median | raw SQL mutations/s "
                  "| raw SQL CPU per batch | push / raw (median) | push / raw (CPU) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                  "| ---: | ---: |"]
        for r in results["push"]:
            lines.append(f"| {r['backend']} | {r['size']} | {r['pushes']} | {r['p50_ms']:.1f} ms"
                         f" | {r['p95_ms']:.1f} ms | {r['rate']:,.0f} | {r['sustained']:,.0f} |"
                         f" {r['cpu_ms']:.1f} ms | {r['raw_p50_ms']:.1f} ms | {r['raw_rate']:,.0f} |"
                         f" {r['raw_cpu_ms']:.1f} ms | {r['ratio']:.2f} |"
                         f" {r['raw_cpu_ms'] / r['cpu_ms']:.2f} |")
        lines.append("")
    if results.get("devices"):
        lines += ["### 2. Eight devices, batches of 50, gunicorn -w 4 over HTTP", "",
                  "| backend | pushes | p50 | p95 | max | aggregate mutations/s "
                  "| gunicorn CPU per push | PostgreSQL CPU per push |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in results["devices"]:
            db_cpu = f"{r['db_cpu_ms']:.1f} ms" if r["backend"] == "postgresql" else "(in the workers)"
            lines.append(f"| {r['backend']} | {r['pushes']} | {r['p50_ms']:.0f} ms | "
                         f"{r['p95_ms']:.0f} ms | {r['max_ms']:.0f} ms | {r['rate']:,.0f} | "
                         f"{r['worker_cpu_ms']:.1f} ms | {db_cpu} |")
        lines.append("")
    if results.get("pull"):
        lines += ["### 3. Pull (limit 500, full drain, in-process)", "",
                  "| backend | records | initial pull | pages | records/s | CPU | "
                  "incremental pull of 10, median | p95 | CPU (client side) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in results["pull"]:
            lines.append(f"| {r['backend']} | {r['records']:,} | {r['initial_s']:.2f} s | "
                         f"{r['pages']} | {r['records_per_s']:,.0f} | {r['initial_cpu_s']:.2f} s | "
                         f"{r['incremental_p50_ms']:.1f} ms | {r['incremental_p95_ms']:.1f} ms | "
                         f"{r['incremental_cpu_ms']:.1f} ms |")
        lines.append("")
    return "\n".join(lines)


def targets(results: dict) -> list[str]:
    out = []
    for r in results.get("push", []):
        if r["size"] == 50:
            if r["backend"] == "sqlite":
                out.append(f"sqlite 50/push >= 5,000 mutations/s: {r['rate']:,.0f} at the "
                           f"median ({r['sustained']:,.0f} sustained) "
                           f"-> {'met' if r['rate'] >= 5000 else 'MISSED'}")
            out.append(f"{r['backend']} 50/push >= 1/4 of raw SQL: {r['ratio']:.2f} "
                       f"-> {'met' if r['ratio'] >= 0.25 else 'MISSED'}")
    for r in results.get("devices", []):
        out.append(f"{r['backend']} 8 devices p95 <= 250 ms: {r['p95_ms']:.0f} ms "
                   f"-> {'met' if r['p95_ms'] <= 250 else 'MISSED'}")
    for r in results.get("pull", []):
        if r["records"] == 10_000:
            out.append(f"{r['backend']} initial pull of 10,000 <= 2 s: {r['initial_s']:.2f} s "
                       f"-> {'met' if r['initial_s'] <= 2 else 'MISSED'}")
    by_backend: dict[str, list] = {}
    for r in results.get("pull", []):
        by_backend.setdefault(r["backend"], []).append(r)
    for backend, rows in by_backend.items():
        if len(rows) >= 2:
            small, large = rows[0], rows[-1]
            growth = large["incremental_p50_ms"] / small["incremental_p50_ms"]
            size_growth = large["records"] / small["records"]
            # Flat: well under the growth of the data (a scan would grow with it).
            out.append(f"{backend} incremental pull flat ({small['records']:,} -> "
                       f"{large['records']:,} records, x{size_growth:.0f}): median "
                       f"x{growth:.2f} -> {'met' if growth <= 2 else 'MISSED'}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="a one-minute smoke run")
    parser.add_argument("--only", default="push,devices,pull",
                        help="comma-separated sections: push, devices, pull")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    params = QUICK if args.quick else FULL
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    info = machine()
    if "postgresql" in backends and info["postgresql"] == "unavailable":
        raise SystemExit(f"PostgreSQL at {PG_URL} did not answer")
    print(f"# Gridline sync bench ({'quick' if args.quick else 'full'}), "
          f"{dt.datetime.now().isoformat(timespec='seconds')}")
    print(f"# {info}", flush=True)
    print(f"# load average at start: {os.getloadavg()}", flush=True)
    results: dict = {"machine": info, "quick": args.quick, "params": {
        k: (v if not isinstance(v, dict) else {str(a): b for a, b in v.items()})
        for k, v in params.items()}}
    workdir = Path(tempfile.mkdtemp(prefix="gridline-bench-"))
    began = time.perf_counter()
    try:
        for section, run in (("push", bench_push), ("devices", bench_devices),
                             ("pull", bench_pull)):
            if section not in sections:
                continue
            print(f"== {section}", flush=True)
            for backend in backends:
                outcome = run(backend, workdir, params)
                results.setdefault(section, []).extend(
                    outcome if isinstance(outcome, list) else [outcome])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["seconds"] = time.perf_counter() - began
    results["loadavg_end"] = os.getloadavg()
    print()
    print(report(results))
    print("Targets:")
    for line in targets(results):
        print(f"- {line}")
    print(f"\n(total {results['seconds']:.0f} s; load average at the end: "
          f"{', '.join(f'{x:.2f}' for x in results['loadavg_end'])})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
