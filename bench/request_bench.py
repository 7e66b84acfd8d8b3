#!/usr/bin/env python
"""The server's request path through gunicorn over HTTP, run by hand (not part of the suite).

    .venv/bin/python bench/request_bench.py [--records 10000] [--profile push1|push50|pull]

One gunicorn worker serves the app on a SQLite database with the demo project and
`--records` tasks; a second one serves `raw_push_wsgi` (the same body parsed and its rows
written with plain SQL) on a database of its own. Measured over HTTP, a new connection per
request as the phones make them:

- push1    CPU of the app's worker per push of one mutation (from /proc), and wall time;
- push50   pushes of 50 to the app and to the raw floor, in turn, in the same run: medians
           and the ratio of their rates;
- pull     a full pull (pages of 500) of every record: records per second.

`--profile X` serves the app through `profiled_wsgi` instead, runs scenario X only and
prints where the worker's time went (cProfile, self time and cumulative).
"""
from __future__ import annotations

import argparse
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from phone_bench import seed  # noqa: E402
from sync_bench import PASSWORD, ROOT, Workload, demo_ids, free_port, http_call, machine  # noqa: E402

BENCH = Path(__file__).resolve().parent
USER = "foreman1"


def cpu_of(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


class Gunicorn:
    """One gunicorn worker serving `target` (module:app) with `env` added."""

    def __init__(self, target: str, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--pythonpath", str(BENCH),
             "--bind", f"127.0.0.1:{self.port}", "--workers", "1", target],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(150):
            time.sleep(0.2)
            workers = children(self.process.pid)
            if workers:
                try:
                    http_call(self.port, "GET", "/api/health", None, {})
                    self.worker = workers[0]
                    return
                except OSError:
                    pass
        raise SystemExit(f"gunicorn {target} did not start")

    def cpu(self) -> float:
        return cpu_of(self.worker)

    def call(self, method: str, path: str, body: bytes | None = None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return http_call(self.port, method, path, body, headers)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def login(server: Gunicorn) -> str:
    import json
    status, answer = server.call("POST", "/api/auth/login", json.dumps({"username": USER, "password": PASSWORD}).encode())
    assert status == 200, answer
    return answer["token"]


def push(server: Gunicorn, token: str | None, workload: Workload, size: int) -> float:
    body = workload.body(workload.batch(size, creates_only=True))
    start = time.perf_counter()
    status, answer = server.call("POST", "/api/sync/push", body, token)
    elapsed = time.perf_counter() - start
    assert status == 200 and all(r["status"] == "applied" for r in answer["results"]), answer
    return elapsed


def pull_all(server: Gunicorn, token: str) -> tuple[float, int]:
    client_id, cursor, records = str(__import__("uuid").uuid4()), None, 0
    start = time.perf_counter()
    while True:
        path = f"/api/sync/pull?client_id={client_id}&limit=500" + (f"&cursor={cursor}" if cursor else "")
        status, page = server.call("GET", path, None, token)
        assert status == 200, page
        records += len(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return time.perf_counter() - start, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--pushes", type=int, default=200, help="pushes of 1 (pushes of 50: a fifth)")
    parser.add_argument("--profile", choices=("push1", "push50", "pull"))
    parser.add_argument("--profile-out", type=Path, help="with --profile: keep the pstats file here")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="gridline-request-bench-"))
    ids = demo_ids()
    print(f"load average at start: {os.getloadavg()}", file=sys.stderr)
    try:
        app_db = seed(workdir, args.records, "app")
        raw_db = seed(workdir, 0, "raw")
        env = {"DATABASE_URL": f"sqlite:///{app_db}", "BLOB_DIR": str(workdir / "blobs"),
               "SECRET_KEY": "bench-secret", "LOGIN_RATE_LIMIT": "1000 per minute",
               "PROFILE_OUT": str(workdir / "profile")}
        app = Gunicorn("profiled_wsgi:app" if args.profile else "server:create_app()", env)
        raw = Gunicorn("raw_push_wsgi:app", {"RAW_DB": str(raw_db), "RAW_USER": ids["users"][USER]})
        token = login(app)
        figures = {}
        try:
            device = Workload(ids, USER)
            push(app, token, device, 1)  # the device row exists from here on
            if args.profile in (None, "push1"):
                before, walls = app.cpu(), [push(app, token, device, 1) for _ in range(args.pushes)]
                figures["push1_cpu_ms"] = (app.cpu() - before) / args.pushes * 1000
                figures["push1_wall_ms"] = statistics.median(walls) * 1000
            if args.profile in (None, "push50"):
                raw_device = Workload(ids, USER)
                app_walls, raw_walls, app_cpu = [], [], 0.0
                for _ in range(max(1, args.pushes // 5)):
                    before = app.cpu()
                    app_walls.append(push(app, token, device, 50))
                    app_cpu += app.cpu() - before
                    raw_walls.append(push(raw, None, raw_device, 50))
                figures["push50_cpu_ms"] = app_cpu / len(app_walls) * 1000
                figures["push50_wall_ms"] = statistics.median(app_walls) * 1000
                figures["raw50_wall_ms"] = statistics.median(raw_walls) * 1000
                figures["push50_over_raw"] = statistics.median(raw_walls) / statistics.median(app_walls)
            if args.profile in (None, "pull"):
                rates, cpu_rates = [], []
                for _ in range(3):
                    before = app.cpu()
                    seconds, records = pull_all(app, token)
                    rates.append(records / seconds)
                    cpu_rates.append(records / max(app.cpu() - before, 0.01))
                figures["pull_records"] = records
                figures["pull_records_per_s"] = statistics.median(rates)
                figures["pull_records_per_cpu_s"] = statistics.median(cpu_rates)
        finally:
            app.stop()
            raw.stop()
        print(f"load average at end: {os.getloadavg()}", file=sys.stderr)
        print(f"Machine: {machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        for name, value in figures.items():
            print(f"{name}: {value:,.3f}" if isinstance(value, float) else f"{name}: {value}")
        if args.profile:
            dumps = sorted(workdir.glob("profile.*"))
            stats = pstats.Stats(*map(str, dumps))
            if args.profile_out:
                stats.dump_stats(args.profile_out)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(35)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
