"""Eight devices against gunicorn with four workers, on SQLite and on PostgreSQL: pulls in
small pages never skip or repeat a change, no mutation is applied twice, and every
device ends equal to the server."""
from __future__ import annotations

import random
import threading
import time
import traceback
import uuid

import pytest
from sqlalchemy import create_engine, text

from server.demo import demo_id

from .live_server import live_database, running_server
from .sync_client import Device

pytestmark = pytest.mark.slow

# Two devices of each demo user who may create tasks, each with its own client_id.
USERS = ["foreman1", "foreman2", "supervisor1", "admin1"] * 2
WORKLOAD_SECONDS = 12
MAX_ROUNDS = 60
PAGE = 7
HOT_TASKS = [demo_id(f"t{n}") for n in range(1, 9)]
PHOTOS = [c * 64 for c in "abcd"]
NEXT = {"todo": "doing", "doing": "done", "done": "doing"}


class Stream:
    """What one device received from the server, in order."""

    def __init__(self, device: Device):
        self.device = device
        self.received: list[tuple[str, str, int]] = []

    def pull(self) -> None:
        """Pull every page of `PAGE` changes, remembering each change received."""
        for change in self.device.pull_all(limit=PAGE):
            self.received.append((change["type"], change["id"], change["seq"]))

    def first_disorder(self) -> str | None:
        """Where seqs stop strictly increasing, or None."""
        for before, after in zip(self.received, self.received[1:]):
            if after[2] <= before[2]:
                return f"{before} then {after}"
        return None


class DeviceWorker(threading.Thread):
    """One device: offline edits in small batches, pushes (sometimes twice) and pulls."""

    def __init__(self, number: int, username: str, device: Device, project_id: str,
                 deadline: float):
        super().__init__(name=f"device-{number}-{username}", daemon=True)
        self.number, self.username, self.device = number, username, device
        self.project_id, self.deadline = project_id, deadline
        self.random = random.Random(number)
        self.stream = Stream(device)
        # The first (not replayed) answer to each mid, and every replayed one.
        self.answers: dict[int, dict] = {}
        self.replays: list[tuple[dict, dict]] = []
        self.created: list[str] = []
        self.unavailable = 0
        self.pushes = 0
        self.error: str | None = None

    def run(self) -> None:
        try:
            self.stream.pull()
            for _ in range(MAX_ROUNDS):
                if time.monotonic() > self.deadline:
                    break
                for _ in range(self.random.randint(1, 3)):
                    self.edit()
                self.push()
                self.stream.pull()
        except BaseException:  # noqa: BLE001 - reported by the test, not lost in a thread
            self.error = traceback.format_exc()

    # -- making mutations ----------------------------------------------------------------

    def known_tasks(self) -> list[str]:
        return [record_id for (type_name, record_id) in self.device.records if type_name == "task"]

    def edit(self) -> None:
        """One offline mutation: a new task, or an edit of a task this device holds."""
        roll = self.random.random()
        known = self.known_tasks()
        if roll < 0.2 or not known:
            task_id = str(uuid.uuid4())
            self.created.append(task_id)
            self.device.put("task", task_id, {
                "project_id": self.project_id,
                "title": f"{self.name} created #{self.device.mid + 1}"})
            return
        hot = [t for t in HOT_TASKS if t in known]
        task_id = self.random.choice(hot if hot and self.random.random() < 0.6 else known)
        if roll < 0.23 and task_id in self.created:
            self.device.delete("task", task_id)
            return
        fields: dict = {}
        what = self.random.choice(["title", "progress", "priority", "photos", "status"])
        if what == "title":
            fields["title"] = f"{self.name} #{self.device.mid + 1}"
        elif what == "progress":
            fields["progress"] = self.random.randint(0, 100)
        elif what == "priority":
            fields["priority"] = self.random.choice(["low", "normal", "high", "urgent"])
        elif what == "photos":
            photo = self.random.choice(PHOTOS)
            fields["photos"] = {self.random.choice(["add", "remove"]): [photo]}
        else:
            status = self.device.records[("task", task_id)].get("status", "todo")
            deciding = self.username in ("supervisor1", "admin1") and status == "done"
            fields["status"] = "accepted" if deciding and self.random.random() < 0.3 \
                else NEXT.get(status, "doing")
        self.device.put("task", task_id, fields)

    # -- pushing -------------------------------------------------------------------------

    def push(self) -> None:
        """Push the outbox until answered; every fourth batch goes twice, as a retry would."""
        batch = list(self.device.outbox)
        if not batch:
            return
        body = self._push(batch)
        for result in body["results"]:
            assert result["status"] != "gap", (self.name, result)
            self._record(result)
        assert self.device.outbox == []
        self.pushes += 1
        if self.pushes % 4 == 1:
            again = self._push(batch)
            assert all(r.get("replayed") for r in again["results"]), (self.name, again)
            for result in again["results"]:
                self._record(result)

    def _push(self, batch: list[dict]) -> dict:
        while True:
            status, body = self.device.push(batch)
            if status == 503:  # the protocol's "retry the same batch"
                self.unavailable += 1
                time.sleep(0.2)
                continue
            assert status == 200, (self.name, status, body)
            return body

    def _record(self, result: dict) -> None:
        if result.get("replayed"):
            self.replays.append((result, self.answers.get(result["mid"])))
        else:
            assert result["mid"] not in self.answers, \
                f"{self.name}: mid {result['mid']} applied twice"
            self.answers[result["mid"]] = result


def _database_checks(database_url: str, workers: list[DeviceWorker]) -> None:
    """Every applied mid has its result, record and change-log row; nothing twice."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            twice = connection.execute(text(
                "SELECT type, record_id, field, hlc FROM field_history "
                "GROUP BY type, record_id, field, hlc HAVING COUNT(*) > 1")).all()
            assert twice == [], f"mutations applied twice: {twice[:5]}"
            for worker in workers:
                client_id = worker.device.client_id
                last_mid = connection.execute(text(
                    "SELECT last_mid FROM devices WHERE client_id = :c"), {"c": client_id}).scalar()
                mids = connection.execute(text(
                    "SELECT mid FROM device_results WHERE client_id = :c ORDER BY mid"),
                    {"c": client_id}).scalars().all()
                assert last_mid == worker.device.mid and mids == list(range(1, last_mid + 1))
            tasks = dict(connection.execute(text("SELECT id, seq FROM tasks")).all())
            logged = dict(connection.execute(text(
                "SELECT record_id, seq FROM change_log WHERE type = 'task'")).all())
            assert tasks == logged
            counter = connection.execute(text("SELECT seq FROM sync_counter")).scalar_one()
            assert max(tasks.values()) <= counter
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_eight_devices_on_four_workers_converge_without_skips_or_repeats(tmp_path, backend):
    with live_database(backend, tmp_path) as database_url, \
            running_server(database_url, tmp_path, workers=4) as server:
        tokens = {name: server.login(name) for name in set(USERS)}
        project_id = demo_id("project")
        deadline = time.monotonic() + WORKLOAD_SECONDS
        # Device clocks differ by up to 7 s (within the drift allowed), so writes with
        # lower hlcs keep arriving after higher ones and merges happen.
        workers = [DeviceWorker(n, name, Device(server.transport(), tokens[name],
                                                clock_offset_ms=(n % 4) * 2_000 - n * 100),
                                project_id, deadline) for n, name in enumerate(USERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=WORKLOAD_SECONDS + 120)
            assert not worker.is_alive(), f"{worker.name} is stuck"
        errors = [w.error for w in workers if w.error]
        assert not errors, "\n".join(errors) + server.log()

        # Drain: every device takes in what the others wrote last.
        for worker in workers:
            assert worker.device.outbox == []
            worker.stream.pull()
        fresh: dict[str, Stream] = {}
        for name in sorted(set(USERS)):
            fresh[name] = Stream(Device(server.transport(), tokens[name]))
            fresh[name].pull()

        _database_checks(database_url, workers)

    total = sum(len(w.answers) for w in workers)
    assert total > 100, f"only {total} mutations were pushed"
    statuses = [r["status"] for w in workers for r in w.answers.values()]
    assert statuses.count("merged") > 0 and statuses.count("applied") > total / 2
    for worker in workers:
        # Answers: each mid once, and every replay is the first answer again.
        assert sorted(worker.answers) == list(range(1, worker.device.mid + 1)), worker.name
        assert worker.replays, f"{worker.name} never replayed a batch"
        for replayed, first in worker.replays:
            assert first is not None and replayed == {**first, "replayed": True}, worker.name
        # Pulls: commit order, nothing repeated, nothing skipped.
        disorder = worker.stream.first_disorder()
        assert disorder is None, f"{worker.name} received seqs out of order: {disorder}"
        reference = fresh[worker.username]
        assert worker.device.records == reference.device.records, worker.name
        seen = set(worker.stream.received)
        missed = [change for change in reference.received if change not in seen]
        assert missed == [], f"{worker.name} never received {missed[:5]}"
    # Every user sees the same tasks (only feedback is masked differently by role).
    task_views = [{k: v for k, v in stream.device.records.items() if k[0] == "task"}
                  for stream in fresh.values()]
    assert all(view == task_views[0] for view in task_views)
