"""Two phones deciding the same thing at the same moment, their pushes reaching two gunicorn
workers at once, on SQLite and PostgreSQL alike (pushes queue for the writers' lock):

- two contrary decisions on one approval, made offline: the first committed wins and moves the
  subject; the other comes back `rejected` `invalid_transition` with its payload and reason kept;
- two inspections of one work step's level: one is applied, the other rejected
  `invalid_transition` with its payload kept.

One server per database serves both races.
"""
from __future__ import annotations

import threading
import uuid

import pytest

from server.approvals.table import approval_id, decision_comment_id
from server.demo import demo_id

from .live_server import live_database, running_server
from .sync_client import Device

pytestmark = pytest.mark.slow

PROJECT = demo_id("project")
ROUNDS = 2


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    """gunicorn with two workers on a fresh demo database of each kind."""
    tmp_path = tmp_path_factory.mktemp(f"races-{request.param}")
    with live_database(request.param, tmp_path) as database_url, \
            running_server(database_url, tmp_path, workers=2) as live:
        yield live


def _done_task(foreman: Device) -> str:
    """A task the foreman marked done: its acceptance is pending."""
    task = str(uuid.uuid4())
    foreman.put("task", task, {"project_id": PROJECT, "title": "Kerb stones K0+200"})
    foreman.put("task", task, {"status": "doing"})
    foreman.put("task", task, {"status": "done"})
    status, body = foreman.push()
    assert status == 200 and all(r["status"] == "applied" for r in body["results"]), body
    return task


def _push_together(devices: list[Device]) -> list[dict]:
    """Push every device's outbox at once; each device's one result."""
    barrier = threading.Barrier(len(devices))
    answers: list[dict | None] = [None] * len(devices)

    def push(index: int) -> None:
        barrier.wait()
        status, body = devices[index].push()
        answers[index] = body["results"][0] if status == 200 else {"http": status, "body": body}

    threads = [threading.Thread(target=push, args=(i,)) for i in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_the_first_committed_decision_wins_and_the_contrary_one_is_kept(server):
    tokens = {name: server.login(name) for name in ("foreman1", "supervisor1", "admin1")}
    foreman = Device(server.transport(), tokens["foreman1"])
    for round_number in range(ROUNDS):
        task = _done_task(foreman)
        approval = approval_id("task", task, "task_acceptance", 1)
        approver = Device(server.transport(), tokens["supervisor1"])
        rejecter = Device(server.transport(), tokens["admin1"])
        # Both decided offline, before either had heard of the other.
        approver.put("approval", approval, {"status": "approved",
                                            "decision_comment": "平整度合格"})
        reason = f"沟槽底部仍有积水 {round_number}"
        rejecter.put("approval", approval, {"status": "rejected", "decision_comment": reason})
        approved, rejected = _push_together([approver, rejecter])
        assert sorted([approved["status"], rejected["status"]]) == ["applied", "rejected"], (
            approved, rejected, server.log())
        won = "approved" if approved["status"] == "applied" else "rejected"
        loser, loser_result, loser_reason = ((rejecter, rejected, reason) if won == "approved"
                                             else (approver, approved, "平整度合格"))
        assert loser_result["error"]["code"] == "invalid_transition"

        reader = Device(server.transport(), tokens["foreman1"])
        records = {(c["type"], c["id"]): c["data"] for c in reader.pull_all()}
        assert records[("approval", approval)]["status"] == won
        assert records[("task", task)]["status"] == ("accepted" if won == "approved" else "doing")
        assert (("comment", decision_comment_id(approval)) in records) is (won == "rejected")

        # The losing decision, reason included, waits in its author's inbox.
        status, inbox = loser.send("GET", "/api/sync/rejected", None, loser.headers)
        assert status == 200
        kept = [e for e in inbox["rejected"] if e["record_id"] == approval]
        assert kept and kept[0]["payload"]["fields"]["decision_comment"] == loser_reason
        assert kept[0]["error"]["code"] == "invalid_transition"


def _inspection(device: Device, step_id: str, result: str) -> None:
    """Queue a self inspection with its step's move, as the app saves them together."""
    device.put("inspection", str(uuid.uuid4()), {
        "project_id": PROJECT, "work_step_id": step_id, "level": "self", "round": 0,
        "result": result, "inspected_at": "2026-12-04T08:00:00Z"})
    device.put("work_step", step_id, {"status": "self_passed" if result == "pass" else "rectifying_self"})


def test_two_phones_inspecting_one_level_at_once_one_wins(server):
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
