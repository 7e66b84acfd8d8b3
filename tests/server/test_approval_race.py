"""Two contrary decisions made offline on two phones, pushed at the same moment to two
gunicorn workers: the first committed wins and moves the subject; the other comes back
`rejected` `invalid_transition` with its payload and reason kept. SQLite and PostgreSQL."""
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


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_first_committed_decision_wins_and_the_contrary_one_is_kept(tmp_path, backend):
    with live_database(backend, tmp_path) as database_url, \
            running_server(database_url, tmp_path, workers=2) as server:
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
