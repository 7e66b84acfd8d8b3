"""Two phones push the same level's inspection of one work step at the same moment, to two
gunicorn workers: one is applied, the other rejected `invalid_transition` with its payload
kept, on SQLite and PostgreSQL alike (pushes queue for the writers' lock)."""
from __future__ import annotations

import threading
import uuid

import pytest

from server.demo import demo_id

from .live_server import live_database, running_server
from .sync_client import Device

pytestmark = pytest.mark.slow

PROJECT = demo_id("project")
ROUNDS = 2


def _inspection(device: Device, step_id: str, result: str) -> None:
    """Queue a self inspection with its step's move, as the app saves them together."""
    device.put("inspection", str(uuid.uuid4()), {
        "project_id": PROJECT, "work_step_id": step_id, "level": "self", "round": 0,
        "result": result, "inspected_at": "2026-12-04T08:00:00Z"})
    device.put("work_step", step_id, {"status": "self_passed" if result == "pass" else "rectifying_self"})


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_phones_inspecting_one_level_at_once_one_wins(tmp_path, backend):
    with live_database(backend, tmp_path) as database_url, \
            running_server(database_url, tmp_path, workers=2) as server:
        tokens = {name: server.login(name) for name in ("supervisor1", "foreman1")}
        planner = Device(server.transport(), tokens["supervisor1"])
        for _ in range(ROUNDS):
            step_id = str(uuid.uuid4())
            planner.put("work_step", step_id, {
                "project_id": PROJECT, "section_id": demo_id("B01"), "step": "回填",
                "foreman_id": demo_id("foreman1"), "next_foreman_id": demo_id("foreman2")})
            planner.put("work_step", step_id, {"status": "in_progress"})
            assert [r["status"] for r in planner.push()[1]["results"]] == ["applied", "applied"]
            phones = [Device(server.transport(), tokens["foreman1"]) for _ in range(2)]
            for phone, result in zip(phones, ("pass", "fail")):
                _inspection(phone, step_id, result)
            start = threading.Barrier(len(phones))
            answers: list[dict] = [{} for _ in phones]

            def push(index: int) -> None:
                start.wait()
                answers[index] = phones[index].push()[1]

            threads = [threading.Thread(target=push, args=(i,)) for i in range(len(phones))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            inspections = [answer["results"][0] for answer in answers]
            assert sorted(r["status"] for r in inspections) == ["applied", "rejected"], answers
            lost = next(r for r in inspections if r["status"] == "rejected")
            assert lost["error"]["code"] == "invalid_transition", lost
            winner = answers[[r["status"] for r in inspections].index("applied")]
            assert [r["status"] for r in winner["results"]] == ["applied", "applied"], winner
            status, rejected = server.transport()("GET", "/api/sync/rejected",
                                                  headers={"Authorization": f"Bearer {tokens['foreman1']}"})
            assert status == 200
            assert any(entry["record_id"] != step_id and entry["type"] == "inspection"
                       and entry["payload"]["fields"]["work_step_id"] == step_id
                       for entry in rejected["rejected"]), rejected
