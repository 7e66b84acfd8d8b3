#!/usr/bin/env python
"""Peak memory of exporting 100,000 records, run by hand (not part of the test suite).

    .venv/bin/python bench/export_memory.py [--records 100000] [--limit-mib 64] [--only tasks.csv]

Fills a fresh SQLite database with a project of `--records` tasks (and as many complaints,
each with a resident's phone, work steps, and inspections of them), then exports tasks.csv,
tasks.xlsx, complaints.csv and inspections.csv (which names each inspection's step) through
the Flask test client, reading each answer chunk by chunk as a browser would. Python's
allocations during each export are traced (tracemalloc) and their peak printed, with the
number of rows and bytes received. It exits 1 when a peak passes `--limit-mib`: the exports
stream, so the peak stays flat whatever the number of records.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from server import create_app  # noqa: E402
from server.accounts.models import User  # noqa: E402
from server.accounts.tokens import issue_token  # noqa: E402
from server.database import init_db  # noqa: E402
from server.extensions import db  # noqa: E402
from server.projects.models import Membership, Project  # noqa: E402
from server.records import KINDS  # noqa: E402

BATCH = 5_000


def fill(count: int) -> tuple[str, str]:
    """A project with `count` tasks, complaints, work steps and inspections; (project id, a
    liaison's token)."""
    project = Project(code="BENCH", name="导出基准项目", settings={})
    user = User(username="bench-liaison", name="基准", password_hash="-")
    db.session.add_all([project, user])
    db.session.flush()
    db.session.add(Membership(project_id=project.id, user_id=user.id, role="liaison"))
    section = str(uuid.uuid4())
    db.session.execute(insert(KINDS["section"].model.__table__), [{
        "id": section, "project_id": project.id, "seq": 1, "deleted": False, "meta": {},
        "code": "A01", "name": "基准网格"}])
    start = dt.date(2026, 1, 1)
    for first in range(0, count, BATCH):
        size = min(BATCH, count - first)
        db.session.execute(insert(KINDS["task"].model.__table__), [{
            "id": str(uuid.uuid4()), "project_id": project.id, "seq": 10 + first + n, "deleted": False,
            "meta": {}, "created_at": "2026-01-01T00:00:00Z", "section_id": section,
            "title": f"任务 {first + n}", "status": "doing", "progress": (first + n) % 101,
            "priority": "normal", "depends_on": [], "photos": [],
            "planned_start": start, "planned_end": start + dt.timedelta(days=(first + n) % 90),
            "due_date": start + dt.timedelta(days=(first + n) % 365)} for n in range(size)])
        db.session.execute(insert(KINDS["feedback"].model.__table__), [{
            "id": str(uuid.uuid4()), "project_id": project.id, "seq": 10 + count + first + n,
            "deleted": False, "meta": {}, "created_at": "2026-01-02T03:04:05Z",
            "section_id": section, "category": "noise", "description": f"夜间施工噪音 {first + n}",
            "resident_name": "王小明", "resident_phone": "13812345678", "status": "received",
            "photos": []} for n in range(size)])
        steps = [str(uuid.uuid4()) for _ in range(size)]
        db.session.execute(insert(KINDS["work_step"].model.__table__), [{
            "id": steps[n], "project_id": project.id, "seq": 10 + 2 * count + first + n, "deleted": False,
            "meta": {}, "created_at": "2026-01-01T00:00:00Z", "section_id": section,
            "step": "沟槽开挖", "crew": "管道一班", "status": "self_passed",
            "planned_start": start, "planned_end": start + dt.timedelta(days=(first + n) % 30)}
            for n in range(size)])
        db.session.execute(insert(KINDS["inspection"].model.__table__), [{
            "id": str(uuid.uuid4()), "project_id": project.id, "seq": 10 + 3 * count + first + n,
            "deleted": False, "meta": {}, "created_at": "2026-01-03T02:00:00Z", "work_step_id": steps[n],
            "level": "self", "round": 0, "result": "pass", "inspected_at": "2026-01-03T02:00:00Z",
            "results": {"EX01": "pass"}, "measurements": {}, "photos": []} for n in range(size)])
    token, _ = issue_token(user)
    db.session.commit()
    return project.id, token


def measure(client, path: str, token: str) -> tuple[float, int, float]:
    """(peak MiB traced, bytes received, seconds) of one export read chunk by chunk."""
    tracemalloc.start()
    began = time.perf_counter()
    response = client.get(path, headers={"Authorization": f"Bearer {token}"}, buffered=False)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    received = 0
    for chunk in response.response:
        received += len(chunk)
    response.close()
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2 ** 20, received, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--limit-mib", type=float, default=64.0)
    parser.add_argument("--only", default="tasks.csv,tasks.xlsx,complaints.csv,inspections.csv",
                        help="exports to measure, comma-separated (XLSX is slow under tracemalloc)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "SECRET_KEY": "bench", "BLOB_DIR": f"{folder}/blobs"})
        with app.app_context():
            init_db()
            project_id, token = fill(args.records)
        client = app.test_client()
        print("| export | records | peak traced MiB | MiB sent | seconds (traced) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        worst = 0.0
        for name in args.only.split(","):
            peak, received, seconds = measure(client, f"/api/projects/{project_id}/exports/{name}", token)
            worst = max(worst, peak)
            print(f"| {name} | {args.records:,} | {peak:.1f} | {received / 2 ** 20:.1f} | {seconds:.1f} |")
        with app.app_context():
            db.engine.dispose()
    if worst > args.limit_mib:
        print(f"peak {worst:.1f} MiB is over the limit of {args.limit_mib} MiB")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
