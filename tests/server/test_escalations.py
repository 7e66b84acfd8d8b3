"""Escalations: a complaint past its response deadline or an action past its deadline is
recorded once (by a pull's check, or `flask escalate`), reaches every member's phone, and
is resolved when its subject is answered or done; clients never write one."""
from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from flask.cli import FlaskGroup

from server.approvals.escalations import escalate, escalation_id
from server.demo import demo_id
from sync import SERVER_CLIENT_ID

from .conftest import make_app
from .sync_client import Device, FlaskTransport

PROJECT = demo_id("project")
PAST = "2026-01-05T08:00:00Z"


@pytest.fixture
def devices(client, auth):
    def make(username: str) -> Device:
        return Device(FlaskTransport(client), auth.token(username))
    return make


@pytest.fixture
def checking(app):
    """Every pull looks for what passed its deadline (no pause between looks)."""
    app.config["ESCALATION_CHECK_SECONDS"] = 0
    return app


def _push(device: Device) -> list[dict]:
    status, body = device.push()
    assert status == 200, body
    return body["results"]


def _escalations(device: Device, subject: str) -> list[dict]:
    device.pull_all()
    return [data | {"id": record_id} for (kind, record_id), data in device.records.items()
            if kind == "escalation" and data["subject_id"] == subject]


def _my_day_escalated(device: Device) -> set[str]:
    """The ids in the escalated list of the device user's day, as the server works it out."""
    status, body = device.send("GET", f"/api/projects/{PROJECT}/my-day", headers=device.headers)
    assert status == 200, body
    return {entry["id"] for entry in body["buckets"]["escalated"]}


def test_an_overdue_complaint_is_escalated_once_and_resolved_when_it_is_answered(checking, devices):
    liaison, supervisor = devices("liaison1"), devices("supervisor1")
    complaint = str(uuid.uuid4())
    liaison.put("feedback", complaint, {"project_id": PROJECT, "category": "noise",
                                        "description": "Breaker at night", "response_due": PAST})
    _push(liaison)
    [escalation] = _escalations(supervisor, complaint)
    assert escalation["id"] == escalation_id("feedback", complaint, "response_overdue", PAST)
    assert (escalation["reason"], escalation["due"], escalation["state"]) == (
        "response_overdue", PAST, "open")
    assert escalation["escalated_at"].endswith("Z")
    # Pulled again, and looked for by cron: still the one.
    assert len(_escalations(supervisor, complaint)) == 1
    with checking.app_context():
        assert escalate() == 0

    # Acknowledged and being worked on, but not answered yet: still escalated, as my day says.
    for state in ("acknowledged", "in_progress"):
        liaison.put("feedback", complaint, {"status": state})
        assert _push(liaison)[0]["status"] == "applied"
        [escalation] = _escalations(supervisor, complaint)
        assert escalation["state"] == "open"
        assert _my_day_escalated(supervisor) >= {complaint}
    liaison.put("feedback", complaint, {"status": "resolved", "answer": "Breaker stops at 22:00"})
    assert _push(liaison)[0]["status"] == "applied"
    [resolved] = _escalations(supervisor, complaint)
    assert resolved["state"] == "resolved"
    assert complaint not in _my_day_escalated(supervisor)
    # Answered: it is not recorded again, by a pull's check or by cron.
    with checking.app_context():
        assert escalate() == 0
    assert len(_escalations(supervisor, complaint)) == 1


def test_an_action_past_its_deadline_still_open_is_escalated_and_done_resolves_it(
        checking, devices):
    safety, foreman = devices("safety1"), devices("foreman1")
    action, later = str(uuid.uuid4()), str(uuid.uuid4())
    yesterday = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    safety.put("action", action, {"project_id": PROJECT, "description": "Fence W13",
                                  "deadline": yesterday})
    safety.put("action", later, {"project_id": PROJECT, "description": "Lights W14",
                                 "deadline": (dt.date.today() + dt.timedelta(days=1)).isoformat()})
    _push(safety)
    [escalation] = _escalations(foreman, action)
    assert (escalation["reason"], escalation["due"]) == ("action_overdue", yesterday)
    assert _escalations(foreman, later) == []
    foreman.put("action", action, {"status": "done"})
    assert _push(foreman)[0]["status"] == "applied"
    assert _escalations(foreman, action)[0]["state"] == "resolved"


def test_clients_neither_write_nor_resolve_escalations(checking, devices):
    liaison, admin = devices("liaison1"), devices("admin1")
    complaint = str(uuid.uuid4())
    liaison.put("feedback", complaint, {"project_id": PROJECT, "category": "dust",
                                        "description": "Dust", "response_due": PAST})
    _push(liaison)
    [escalation] = _escalations(admin, complaint)
    admin.put("escalation", str(uuid.uuid4()), {
        "project_id": PROJECT, "subject_type": "feedback", "subject_id": complaint,
        "reason": "response_overdue", "due": PAST})
    admin.put("escalation", escalation["id"], {"state": "resolved"})
    admin.delete("escalation", escalation["id"])
    created, moved, deleted = _push(admin)
    assert created["error"]["code"] == "forbidden"
    assert moved["error"]["code"] == "invalid_transition"
    assert deleted["error"]["code"] == "forbidden"
    assert _escalations(admin, complaint)[0]["state"] == "open"


def test_flask_escalate_records_what_passed_its_deadline_with_who_and_when(app, devices):
    liaison = devices("liaison1")
    complaint = str(uuid.uuid4())
    liaison.put("feedback", complaint, {"project_id": PROJECT, "category": "traffic",
                                        "description": "Blocked lane", "response_due": PAST})
    _push(liaison)
    cli = FlaskGroup(create_app=lambda: app, load_dotenv=False, set_debug_flag=False)
    first = app.test_cli_runner().invoke(cli, ["escalate"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("recorded ") and first.output != "recorded 0 escalations\n"
    again = app.test_cli_runner().invoke(cli, ["escalate"])
    assert again.output == "recorded 0 escalations\n"
    record = devices("admin1")
    [escalation] = _escalations(record, complaint)
    client = app.test_client()
    response = client.get(f"/api/records/escalation/{escalation['id']}",
                          headers={"Authorization": f"Bearer {record.token}"})
    body = response.get_json()
    assert body["created_by"] == SERVER_CLIENT_ID
    assert body["created_at"] == escalation["escalated_at"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_servers_looking_at_once_record_each_escalation_once(app, database_url, devices,
                                                                tmp_path):
    liaison = devices("liaison1")
    complaints = [str(uuid.uuid4()) for _ in range(3)]
    for complaint in complaints:
        liaison.put("feedback", complaint, {"project_id": PROJECT, "category": "noise",
                                            "description": "Night work", "response_due": PAST})
    _push(liaison)
    other = make_app(database_url, tmp_path / "second")
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def look(server) -> None:
        with server.app_context():
            barrier.wait()
            counts.append(escalate([PROJECT]))

    threads = [threading.Thread(target=look, args=(server,)) for server in (app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with other.app_context():
        from server.extensions import db
        db.engine.dispose()
    # The demo's own overdue complaint is counted too; each one is recorded by one server.
    assert len(counts) == 2 and sum(counts) >= len(complaints)
    admin = devices("admin1")
    for complaint in complaints:
        assert len(_escalations(admin, complaint)) == 1
    with app.app_context():
        assert escalate([PROJECT]) == 0
