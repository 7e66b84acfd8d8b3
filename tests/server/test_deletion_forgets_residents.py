"""Deleting a complaint leaves none of its resident's data in any table: not in the
tombstone, its history, the conflict inboxes, the stored push answers, nor the rejected
payloads (which keep their other fields for their author). `flask prune-tombstones`
forgets what a deletion made before this rule left in history."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update

from server.extensions import db
from server.records.feedback import Feedback
from server.syncing.models import FieldHistory

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite
from .personal_data import complaint, personal_values_kept, resident
from .test_cli import flask_cli


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"forget-{request.param}")) as app:
        yield DemoSite(app)


def copies_everywhere(site: DemoSite, person: dict) -> str:
    """A complaint of `person` whose data is also in history, in a conflict and the losing
    push's stored answer, and in a rejected payload; its id."""
    liaison = site.device("liaison1")
    record_id = complaint(liaison, person)
    phone = person["resident_phone"]
    other_phone = phone[:-1] + str((int(phone[-1]) + 1) % 10)
    older = site.device("admin1", clock_offset_ms=-60_000)
    older.put("feedback", record_id, {"resident_phone": other_phone})
    older.put("feedback", record_id, {"resident_name": person["resident_name"] + "甲",
                                      "satisfaction": 9})  # invalid: rejected, payload kept
    results = older.push()[1]["results"]
    assert [r["status"] for r in results] == ["merged", "rejected"], results
    person["other_phone"] = other_phone
    assert personal_values_kept(site.app, person)
    return record_id


def test_deleting_a_complaint_leaves_its_residents_data_in_no_table(site):
    person = resident()
    record_id = copies_everywhere(site, person)
    liaison = site.device("liaison1")
    liaison.delete("feedback", record_id)
    assert liaison.push()[1]["results"][0]["status"] == "applied"
    assert personal_values_kept(site.app, person) == []


def test_a_rejected_payload_keeps_its_other_fields_after_the_deletion(site):
    person = resident()
    record_id = copies_everywhere(site, person)
    liaison = site.device("liaison1")
    liaison.delete("feedback", record_id)
    liaison.push()
    rejected = site.client.get("/api/sync/rejected", headers=site.headers("admin1")).get_json()
    [entry] = [e for e in rejected["rejected"] if e["record_id"] == record_id]
    assert entry["payload"]["fields"] == {"satisfaction": 9}
    conflicts = site.client.get("/api/sync/conflicts", headers=site.headers("admin1")).get_json()
    [conflict] = [c for c in conflicts["conflicts"] if c["record_id"] == record_id]
    assert (conflict["field"], conflict["yours"], conflict["kept"]) == ("resident_phone", None, None)


def test_a_put_after_the_deletion_is_kept_without_its_personal_fields(site):
    person = resident()
    liaison = site.device("liaison1")
    record_id = complaint(liaison, resident())
    liaison.delete("feedback", record_id)
    liaison.push()
    late = site.device("liaison1")
    late.put("feedback", record_id, {"description": "Still piling", **person})
    [result] = late.push()[1]["results"]
    assert result["error"]["code"] == "deleted"
    rejected = site.client.get("/api/sync/rejected", headers=site.headers("liaison1")).get_json()
    [entry] = [e for e in rejected["rejected"] if e["record_id"] == record_id]
    assert entry["payload"]["fields"] == {"description": "Still piling"}
    assert personal_values_kept(site.app, person) == []


def test_deleting_and_putting_in_one_push_keeps_nothing_personal(site):
    person = resident()
    liaison = site.device("liaison1")
    record_id = str(uuid.uuid4())
    liaison.put("feedback", record_id, {"project_id": PROJECT, "category": "dust",
                                        "description": "Dust", **person})
    liaison.delete("feedback", record_id)
    liaison.put("feedback", record_id, {"resident_phone": person["resident_phone"]})
    assert [r["status"] for r in liaison.push()[1]["results"]] == ["applied", "applied", "rejected"]
    assert personal_values_kept(site.app, person) == []


def test_pruning_tombstones_forgets_personal_values_a_deletion_left_in_history(site):
    """A complaint deleted before deletions forgot residents kept them in history."""
    person = resident()
    liaison = site.device("liaison1")
    record_id = complaint(liaison, person)
    liaison.delete("feedback", record_id)
    liaison.push()
    with site.app.app_context():  # as such a deletion, a year ago, left it
        db.session.execute(update(Feedback).where(Feedback.id == record_id)
                           .values(updated_at="2025-12-01T00:00:00Z"))
        db.session.execute(update(FieldHistory).where(
            FieldHistory.record_id == record_id, FieldHistory.field == "resident_phone")
            .values(new=person["resident_phone"]))
        db.session.commit()
    assert personal_values_kept(site.app, person)
    result = site.app.test_cli_runner().invoke(flask_cli(site.app),
                                               ["prune-tombstones", "--days", "90"])
    assert result.exit_code == 0 and "pruned 1 " in result.output, result.output
    assert personal_values_kept(site.app, person) == []
