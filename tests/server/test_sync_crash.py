"""kill -9 of gunicorn (master and workers) while devices push: after a restart on the
same database no acknowledged mutation is lost, nothing is half-applied, and retried
batches are answered as replays."""
from __future__ import annotations

import http.client
import random
import threading
import time
import traceback
import uuid

import pytest
from sqlalchemy import create_engine, select, text

from server.demo import demo_id
from server.syncing.models import ChangeLog, DeviceResult, FieldHistory, RejectedMutation
from server.records.task import Task

from .live_server import live_database, running_server
from .sync_client import Device

pytestmark = pytest.mark.slow

USERS = ["foreman1", "foreman2", "supervisor1", "admin1", "foreman1", "supervisor1"]
HOT_TASKS = [demo_id(f"t{n}") for n in range(1, 9)]
KILLS = 2
# Connection errors that mean the request may have reached the server.
IN_FLIGHT = (ConnectionResetError, BrokenPipeError, TimeoutError, http.client.HTTPException)


class PushingDevice(threading.Thread):
    """Pushes small batches without pause; an unanswered batch is retried unchanged."""

    def __init__(self, number: int, device: Device, project_id: str, stop: threading.Event):
        super().__init__(name=f"device-{number}", daemon=True)
        self.device, self.project_id, self.stop = device, project_id, stop
        self.random = random.Random(number)
        self.sent: dict[int, dict] = {}           # mid -> mutation
        self.answers: dict[int, dict] = {}        # mid -> first answer (not replayed)
        self.answered_at: dict[int, float] = {}   # mid -> when that answer arrived
        self.cut_off: list[list[int]] = []        # batches cut off by a kill, by mid
        self.retried: dict[int, dict] = {}        # mid -> answer to a cut-off batch's retry
        self.created: list[str] = []
        self.error: str | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set() or self.device.outbox:
                if not self.device.outbox:
                    self.make_batch()
                self.push_outbox()
        except BaseException:  # noqa: BLE001 - reported by the test
            self.error = traceback.format_exc()

    def make_batch(self) -> None:
        for _ in range(self.random.randint(1, 4)):
            roll = self.random.random()
            if roll < 0.35 or not self.created:
                task_id = str(uuid.uuid4())
                self.created.append(task_id)
                mutation = self.device.put("task", task_id, {
                    "project_id": self.project_id,
                    "title": f"{self.name} new #{self.device.mid + 1}"})
            elif roll < 0.4:
                mutation = self.device.delete("task", self.created.pop(0))
            else:
                task_id = self.random.choice(HOT_TASKS + self.created[-5:])
                field = self.random.choice(["title", "description"])
                mutation = self.device.put("task", task_id, {
                    field: f"{self.name} {field} #{self.device.mid + 1}"})
            self.sent[mutation["mid"]] = mutation

    def push_outbox(self) -> None:
        batch = [m["mid"] for m in self.device.outbox]
        was_cut_off = bool(self.cut_off) and self.cut_off[-1] == batch
        try:
            status, body = self.device.push()
        except ConnectionRefusedError:
            time.sleep(0.05)  # the server is down: nothing was sent
            return
        except IN_FLIGHT:
            if not (self.cut_off and self.cut_off[-1] == batch):
                self.cut_off.append(batch)
            time.sleep(0.05)
            return
        if status == 503:
            time.sleep(0.1)
            return
        assert status == 200, (self.name, status, body)
        now = time.monotonic()
        for result in body["results"]:
            assert result["status"] != "gap", (self.name, result)
            if was_cut_off:
                self.retried[result["mid"]] = result
            if result.get("replayed"):
                assert was_cut_off, f"{self.name}: mid {result['mid']} replayed unasked"
                continue
            assert result["mid"] not in self.answers, f"{self.name}: mid {result['mid']} twice"
            self.answers[result["mid"]] = result
            self.answered_at[result["mid"]] = now


def _database_state(database_url: str) -> dict:
    """What the database holds, read directly."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            state = {
                "history": {(r.record_id, r.field, r.hlc): r.new for r in connection.execute(
                    select(FieldHistory.record_id, FieldHistory.field, FieldHistory.hlc,
                           FieldHistory.new).where(FieldHistory.type == "task"))},
                # Values that lost keep the seq of a mutation that saved nothing.
                "history_seqs": connection.execute(
                    select(FieldHistory.record_id, FieldHistory.seq)
                    .where(FieldHistory.type == "task", FieldHistory.lost.is_(False))).all(),
                "tasks": {r.id: r for r in connection.execute(
                    select(Task.id, Task.seq, Task.deleted, Task.title, Task.description))},
                "log": dict(connection.execute(select(ChangeLog.record_id, ChangeLog.seq)
                                               .where(ChangeLog.type == "task")).all()),
                "results": {(r.client_id, r.mid): r.result for r in connection.execute(
                    select(DeviceResult.client_id, DeviceResult.mid, DeviceResult.result))},
                "rejected": {(r.client_id, r.mid) for r in connection.execute(
                    select(RejectedMutation.client_id, RejectedMutation.mid))},
                "devices": dict(connection.execute(text(
                    "SELECT client_id, last_mid FROM devices")).all()),
                "counter": connection.execute(text("SELECT seq FROM sync_counter")).scalar_one(),
            }
            if connection.dialect.name == "sqlite":
                state["integrity"] = connection.execute(text("PRAGMA integrity_check")).scalar_one()
            return state
    finally:
        engine.dispose()


def _run_and_kill(server, devices: list[PushingDevice]) -> list[float]:
    """Let the devices push, kill -9 the server mid-push and restart it, KILLS times."""
    stop = devices[0].stop
    for device in devices:
        device.start()
    kills = []
    for cycle in range(KILLS):
        time.sleep(1.5 + cycle * 0.7)
        kills.append(time.monotonic())
        server.kill()
        time.sleep(0.3)
        server.start()
    time.sleep(1.5)
    stop.set()
    for device in devices:
        device.join(timeout=120)
        assert not device.is_alive(), f"{device.name} is stuck"
    errors = [d.error for d in devices if d.error]
    assert not errors, "\n".join(errors) + server.log()
    return kills


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_mid_push_loses_no_acknowledged_write(tmp_path, backend):
    with live_database(backend, tmp_path) as database_url:
        with running_server(database_url, tmp_path, workers=4) as server:
            tokens = {name: server.login(name) for name in set(USERS)}
            stop = threading.Event()
            devices = [PushingDevice(n, Device(server.transport(timeout=30), tokens[name]),
                                     demo_id("project"), stop) for n, name in enumerate(USERS)]
            kills = _run_and_kill(server, devices)

            # Every mutation pushed again, in other splits: all replays of the answers.
            for device in devices:
                mids = sorted(device.sent)
                for start in range(0, len(mids), 40):
                    part = [device.sent[m] for m in mids[start:start + 40]]
                    status, body = device.device.push(part)
                    assert status == 200, body
                    for result in body["results"]:
                        first = device.answers.get(result["mid"]) or device.retried[result["mid"]]
                        assert result == {**first, "replayed": True}, (device.name, result, first)
        state = _database_state(database_url)

    if backend == "sqlite":
        assert state["integrity"] == "ok"
    # The kills cut pushes off mid-flight, and their retries were answered.
    cut_off = [mid for d in devices for batch in d.cut_off for mid in batch]
    assert cut_off, "no push was in flight at a kill"
    acknowledged_before_kill = 0
    for device in devices:
        client_id = device.device.client_id
        assert sorted(device.sent) == list(range(1, device.device.mid + 1))
        assert state["devices"][client_id] == device.device.mid
        for mid, mutation in device.sent.items():
            result = device.answers.get(mid) or device.retried.get(mid)
            assert result is not None, f"{device.name}: mid {mid} never answered"
            acknowledged_before_kill += any(device.answered_at.get(mid, 1e99) < k for k in kills)
            # The stored answer is the one given; nothing of a mutation is missing.
            stored = state["results"][(client_id, mid)]
            assert {**stored, "replayed": result.get("replayed", False)} == \
                {**result, "replayed": result.get("replayed", False)}, (device.name, mid)
            if result["status"] == "rejected":
                assert (client_id, mid) in state["rejected"]
                continue
            record = state["tasks"][mutation["id"]]
            assert state["log"][record.id] == record.seq
            if mutation["op"] == "delete":
                assert record.deleted
                assert (record.id, "deleted", mutation["hlc"]) in state["history"]
                continue
            # Each value written is current, or in history (won, then overwritten; or lost).
            for field, value in mutation["fields"].items():
                if field == "project_id":
                    continue
                key = (record.id, field, mutation["hlc"])
                assert state["history"].get(key) == value, (device.name, mid, field)
    assert acknowledged_before_kill > 0
    # No change-log row without its record, no history of a change its record lacks.
    assert set(state["log"]) == set(state["tasks"])
    assert all(seq <= state["tasks"][record_id].seq for record_id, seq in state["history_seqs"])
    assert max(t.seq for t in state["tasks"].values()) <= state["counter"]
