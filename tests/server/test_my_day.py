"""My day on the server: the shared cases (the phone checks the same file), and the endpoint."""
from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest

from server.approvals.table import approval_id
from server.demo import change_order_approval, demo_id
from server.my_day.rules import BUCKETS, my_day

from .conftest import demo_app

CASES = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "my_day_cases.json")
                   .read_text(encoding="utf-8"))
PROJECT = demo_id("project")


def _records_by_type() -> dict[str, list[dict]]:
    records: dict[str, list[dict]] = {}
    for record in CASES["records"]:
        records.setdefault(record["type"], []).append(record)
    return records


@pytest.mark.parametrize("case", CASES["cases"], ids=[case["user"] for case in CASES["cases"]])
def test_the_shared_cases_put_each_record_in_its_bucket(case):
    """Every bucket holds exactly the expected ids, in order, for each user of the cases."""
    buckets = my_day(_records_by_type(), case["user"], case["roles"], CASES["today"],
                     CASES["now"], CASES["day_end"])
    assert {name: [entry["id"] for entry in entries] for name, entries in buckets.items()} \
        == {name: case["expected"][name] for name in BUCKETS}, case["name"]


def test_an_escalation_record_gives_the_escalated_complaint_its_time():
    """A complaint escalated on record carries when; one computed but not yet recorded, none."""
    buckets = my_day(_records_by_type(), "u-sup", ["supervisor"], CASES["today"], CASES["now"],
                     CASES["day_end"])
    by_id = {entry["id"]: entry for entry in buckets["escalated"]}
    assert by_id["complaint-late"]["escalated_at"] == "2026-12-04T01:05:00Z"
    assert by_id["complaint-late"]["reason"] == "response_overdue"
    assert by_id["action-late"] == {"type": "action", "id": "action-late", "reason": "action_overdue",
                                    "due": "2026-12-01", "escalated_at": None}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_app("sqlite", tmp_path_factory.mktemp("my-day")) as app:
        yield app, app.test_client()


def _login(client, username: str) -> dict:
    response = client.post("/api/auth/login", json={"username": username, "password": "demo-pass-1"})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def _push(client, headers, *drafts):
    client_id = str(uuid.uuid4())
    mutations = [{"mid": n + 1, "hlc": f"{int(time.time() * 1000) + n:015d}:00000:{client_id}", **draft}
                 for n, draft in enumerate(drafts)]
    response = client.post("/api/sync/push", headers=headers, json={
        "client_id": client_id, "schema_version": 1, "mutations": mutations})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["applied"] * len(drafts), results


def test_the_endpoint_gives_a_supervisor_the_pending_approvals_and_the_overdue_complaint(site):
    """On the demo site the supervisor decides the pending approval, and the complaint past its
    response deadline (黄先生's, 16 hours late) is escalated to him."""
    app, client = site
    body = client.get(f"/api/projects/{PROJECT}/my-day", headers=_login(client, "supervisor1")).get_json()
    assert change_order_approval() in [entry["id"] for entry in body["buckets"]["to_decide"]]
    escalated = {entry["id"]: entry for entry in body["buckets"]["escalated"]}
    assert escalated[demo_id("f2")]["reason"] == "response_overdue"
    assert demo_id("f1") not in escalated


def test_a_rejection_sent_back_reaches_its_asker_and_no_one_else(site):
    """A rejected approval the foreman asked for (by marking his task done) is on his day as
    sent back, not on another's."""
    app, client = site
    foreman = _login(client, "foreman2")
    _push(client, foreman, {"op": "put", "type": "task", "id": demo_id("t8"),
                            "fields": {"status": "done", "progress": 100}})
    # The server opened the acceptance itself, under the id derived from the task's first cycle.
    approval = approval_id("task", demo_id("t8"), "task_acceptance", 1)
    _push(client, _login(client, "supervisor1"), {"op": "put", "type": "approval", "id": approval,
                                                  "fields": {"status": "rejected",
                                                             "decision_comment": "导向标志缺两块"}})
    mine = client.get(f"/api/projects/{PROJECT}/my-day?today=2026-12-04", headers=foreman).get_json()
    assert [entry["id"] for entry in mine["buckets"]["sent_back"]] == [approval]
    other = client.get(f"/api/projects/{PROJECT}/my-day", headers=_login(client, "foreman1")).get_json()
    assert approval not in [entry["id"] for entry in other["buckets"]["sent_back"]]


def test_a_date_that_is_not_one_is_a_422_in_the_one_error_shape(site):
    """`today=tomorrow` is refused as a field error, not a 500."""
    app, client = site
    response = client.get(f"/api/projects/{PROJECT}/my-day?today=tomorrow",
                          headers=_login(client, "foreman1"))
    assert response.status_code == 422
    assert "today" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("query, day_end", [
    ("today=2026-12-04&utc_offset=480", "2026-12-04T16:00:00Z"),
    ("today=2026-12-04", "2026-12-05T00:00:00Z"),
    ("today=9999-12-31&utc_offset=-720", "9999-12-31T23:59:59Z"),
    ("today=0001-01-01&utc_offset=840", "0001-01-01T10:00:00Z"),
])
def test_the_day_ends_at_the_users_midnight_even_at_the_ends_of_the_calendar(site, query, day_end):
    """China's day ends at 16:00 UTC; the first and last days a date can name are no 500."""
    app, client = site
    response = client.get(f"/api/projects/{PROJECT}/my-day?{query}", headers=_login(client, "foreman1"))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["day_end"] == day_end
