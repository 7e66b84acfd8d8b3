#!/usr/bin/env python
"""Many phones syncing at once against gunicorn, run by hand (not part of the test suite).

    .venv/bin/python bench/load_test.py [--backend sqlite|postgresql|both] [--devices 200]
                                        [--workers 3] [--step 20]

Simulated devices (plain threads and http.client, one connection per request as the app
makes them) on the app's schedule, compressed in time:

- every device pulls every 30 s (first at a random moment within that), pages of 500;
- a device pushes when its user changes something: on average every 20 s, 1–3 mutations;
- one push in 20 also uploads a photo (a JPEG of ~100 KB, new bytes each time);
- the 07:00 briefing peak: in the last step every device pushes a briefing and pulls at once.

Devices join in steps (a quarter, half, then all of `--devices`, `--step` seconds each), then
the peak, so the tables show where latency bends. Per endpoint and step: requests, errors,
p50/p95/p99. The database gets the demo project and 1,000 tasks first; a device's first pull is its catch-up.
"""
from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_bench import (  # noqa: E402
    PASSWORD, ROOT, WRITERS, BenchDb, InProcess, Workload, demo_ids, dispose, free_port, machine,
    make_app, percentile)

PULL_EVERY_S = 30
CHANGE_EVERY_S = 20
PHOTO_EVERY = 20
SEED_TASKS = 1_000


class Recorder:
    """Latencies and errors per (step, endpoint)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(list)
        self.step = "-"

    def add(self, endpoint: str, seconds: float, error: str | None) -> None:
        with self.lock:
            key = (self.step, endpoint)
            self.latencies[key].append(seconds)
            if error:
                self.errors[key].append(error)


def call(port: int, method: str, path: str, body: bytes | None, headers: dict, recorder: Recorder,
         endpoint: str):
    start = time.perf_counter()
    error, answer = None, None
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        if response.status >= 400:
            error = f"{response.status} {raw[:120]!r}"
        elif raw:
            answer = json.loads(raw)
    except (OSError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}"
    recorder.add(endpoint, time.perf_counter() - start, error)
    return answer


def photo(seed: int) -> bytes:
    """A JPEG of about 100 KB, different for every seed."""
    from PIL import Image
    rng = random.Random(seed)
    image = Image.effect_noise((320, 240), 60 + seed % 30).convert("RGB")
    image.putpixel((rng.randrange(320), rng.randrange(240)), (rng.randrange(256), 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


class Device(threading.Thread):
    """One phone: pulls on a timer, pushes its user's changes, sometimes a photo."""

    def __init__(self, number: int, port: int, token: str, workload: Workload, recorder: Recorder,
                 stop: threading.Event, peak: threading.Event):
        super().__init__(daemon=True)
        self.number, self.port, self.token, self.workload = number, port, token, workload
        self.recorder, self.stop, self.peak = recorder, stop, peak
        self.cursor = None
        self.rng = random.Random(number)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def pull(self) -> None:
        while not self.stop.is_set():
            path = f"/api/sync/pull?client_id={self.workload.client_id}&limit=500"
            if self.cursor:
                path += f"&cursor={self.cursor}"
            page = call(self.port, "GET", path, None, self.headers, self.recorder, "pull")
            if not page:
                return
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return

    def push(self, size: int) -> None:
        body = self.workload.body(self.workload.batch(size))
        call(self.port, "POST", "/api/sync/push", body, self.headers, self.recorder, "push")

    def upload(self) -> None:
        import hashlib
        data = photo(self.number * 100_003 + self.workload.mid)
        sha = hashlib.sha256(data).hexdigest()
        call(self.port, "PUT", f"/api/blobs/{sha}", data,
             {"Authorization": f"Bearer {self.token}", "Content-Type": "image/jpeg"}, self.recorder, "photo")

    def run(self) -> None:
        now = time.monotonic()
        next_pull = now + self.rng.uniform(0, PULL_EVERY_S)
        next_change = now + self.rng.expovariate(1 / CHANGE_EVERY_S)
        briefed = False
        while not self.stop.is_set():
            if self.peak.is_set() and not briefed:
                briefed = True
                time.sleep(self.rng.uniform(0, 3))  # everyone within a few seconds of 07:00
                self.push(1)
                self.pull()
                continue
            now = time.monotonic()
            if now >= next_pull:
                self.pull()
                next_pull = now + PULL_EVERY_S
            elif now >= next_change:
                self.push(self.rng.randint(1, 3))
                if self.rng.randrange(PHOTO_EVERY) == 0:
                    self.upload()
                next_change = now + self.rng.expovariate(1 / CHANGE_EVERY_S)
            else:
                self.stop.wait(min(next_pull, next_change) - now)


def serve(bench_db: BenchDb, workdir: Path, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": bench_db.url, "BLOB_DIR": str(workdir / "blobs"),
           "SECRET_KEY": "bench-secret", "LOGIN_RATE_LIMIT": "1000 per minute"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--backlog", "2048"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        time.sleep(0.2)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            pass
    raise SystemExit("gunicorn did not start")


def run(backend: str, workdir: Path, devices: int, workers: int, step_s: float) -> Recorder:
    bench_db = BenchDb(backend, workdir, "load")
    app = make_app(bench_db, workdir)
    ids = demo_ids()
    seeders = [(InProcess(app, name), Workload(ids, name, seed=i)) for i, name in enumerate(WRITERS)]
    for index in range(SEED_TASKS // 200):
        device, workload = seeders[index % len(seeders)]
        device.push(workload.body(workload.batch(200, creates_only=True)), 200)
    tokens = {name: seeders[i][0].headers["Authorization"].split()[1] for i, name in enumerate(WRITERS)}
    dispose(app)
    process, port = serve(bench_db, workdir, workers)
    recorder, stop, peak = Recorder(), threading.Event(), threading.Event()
    try:
        threads = []
        steps = [max(1, devices // 4), max(1, devices // 2), devices]
        for target in steps:
            recorder.step = f"{target} devices"
            while len(threads) < target:
                name = WRITERS[len(threads) % len(WRITERS)]
                thread = Device(len(threads), port, tokens[name], Workload(ids, name, seed=len(threads)),
                                recorder, stop, peak)
                thread.start()
                threads.append(thread)
            time.sleep(step_s)
        recorder.step = f"07:00 peak, {devices}"
        peak.set()
        time.sleep(max(step_s, 15))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=30)
        bench_db.drop()
    return recorder


def report(backend: str, workers: int, recorder: Recorder) -> str:
    lines = [f"\n{backend}, gunicorn -w {workers}:\n",
             "| step | endpoint | requests | errors | p50 | p95 | p99 | max |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for (step, endpoint), values in recorder.latencies.items():
        ms = [v * 1000 for v in values]
        lines.append(f"| {step} | {endpoint} | {len(ms)} | {len(recorder.errors[(step, endpoint)])} | "
                     f"{statistics.median(ms):.0f} ms | {percentile(ms, 95):.0f} ms | "
                     f"{percentile(ms, 99):.0f} ms | {max(ms):.0f} ms |")
    samples = [error for errors in recorder.errors.values() for error in errors][:5]
    if samples:
        lines.append(f"\nfirst errors: {samples}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="both", choices=("sqlite", "postgresql", "both"))
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--step", type=float, default=20.0, help="seconds per step of devices")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(f"load average at start: {os.getloadavg()}", file=sys.stderr)
    out = [f"Machine: {machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"]
    for backend in backends:
        workdir = Path(tempfile.mkdtemp(prefix="gridline-load-"))
        out.append(report(backend, args.workers, run(backend, workdir, args.devices, args.workers, args.step)))
        print(f"load average after {backend}: {os.getloadavg()}", file=sys.stderr)
    print("\n".join(out))


if __name__ == "__main__":
    main()
