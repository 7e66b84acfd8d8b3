"""`flask anonymise-residents` forgets the residents of complaints closed longer ago than
their project's `resident_data_retention_days` (default 180): in the record, its history
and the inboxes, as a change with a new seq that devices pull. Safe to run from several
processes at once."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from server.extensions import db
from server.syncing.models import FieldHistory

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite, assert_error
from .personal_data import DAY_MS, complaint, personal_values_kept, resident
from .test_cli import flask_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path):
    with demo_app(request.param, tmp_path) as app:
        yield DemoSite(app)


def anonymise(site: DemoSite) -> str:
    result = site.app.test_cli_runner().invoke(flask_cli(site.app), ["anonymise-residents"])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def record(site: DemoSite, record_id: str, username: str = "liaison1") -> dict:
    response = site.client.get(f"/api/records/feedback/{record_id}",
                               headers=site.headers(username))
    assert response.status_code == 200
    return response.get_json()["data"]


def settings(site: DemoSite, **changes):
    return site.client.patch(f"/api/projects/{PROJECT}/settings", json=changes,
                             headers=site.headers("admin1"))


def test_retention_defaults_to_180_days_and_the_admin_sets_it(site):
    path = f"/api/projects/{PROJECT}/settings"
    got = site.client.get(path, headers=site.headers("liaison1")).get_json()
    assert got["resident_data_retention_days"] == 180
    response = settings(site, resident_data_retention_days=30)
    assert response.status_code == 200 and response.get_json()["resident_data_retention_days"] == 30
    got = site.client.get(path, headers=site.headers("liaison1")).get_json()
    assert got["resident_data_retention_days"] == 30
    assert got["feedback_response_hours"]["noise"] == 24
    # Changing the hours leaves the retention as it is.
    assert settings(site, feedback_response_hours={"noise": 12}).get_json()[
        "resident_data_retention_days"] == 30


@pytest.mark.parametrize("days", [0, -5, "30", 1.5, None])
def test_retention_must_be_a_positive_whole_number_of_days(site, days):
    assert settings(site, resident_data_retention_days=1).status_code == 200
    error = assert_error(settings(site, resident_data_retention_days=days), 422)
    assert "resident_data_retention_days" in error["fields"]
    assert site.client.get(f"/api/projects/{PROJECT}/settings", headers=site.headers("admin1")) \
        .get_json()["resident_data_retention_days"] == 1


def test_retention_is_set_by_the_project_admin_alone(site):
    response = site.client.patch(f"/api/projects/{PROJECT}/settings",
                                 json={"resident_data_retention_days": 1},
                                 headers=site.headers("liaison1"))
    assert_error(response, 403)


def test_a_complaint_closed_longer_ago_than_retention_is_anonymised(site):
    old, recent, still_open = resident(), resident(), resident()
    liaison_then = site.device("liaison1", clock_offset_ms=-200 * DAY_MS)
    old_id = complaint(liaison_then, old, "closed")
    open_id = complaint(liaison_then, still_open, "resolved")
    recent_id = complaint(site.device("liaison1"), recent, "closed")
    assert personal_values_kept(site.app, old)

    assert "anonymised 1 of 1" in anonymise(site)
    data = record(site, old_id)
    assert (data["resident_name"], data["resident_phone"], data["location"]) == (None, None, None)
    assert data["description"] == "Piling at night" and data["status"] == "closed"
    assert personal_values_kept(site.app, old) == []
    for kept, record_id in ((recent, recent_id), (still_open, open_id)):
        assert record(site, record_id)["resident_phone"] == kept["resident_phone"]
    history = site.client.get(f"/api/records/feedback/{old_id}/history",
                              headers=site.headers("liaison1")).get_json()["history"]
    assert history[-1]["field"] == "anonymised" and history[-1]["new"] is True
    assert all(e["old"] is None and e["new"] is None for e in history
               if e["field"] in ("resident_name", "resident_phone", "location"))
    assert "anonymised 0 of 0" in anonymise(site)


def test_the_projects_retention_decides_when(site):
    person = resident()
    record_id = complaint(site.device("liaison1", clock_offset_ms=-10 * DAY_MS), person, "closed")
    assert "anonymised 0" in anonymise(site)
    assert record(site, record_id)["resident_phone"] == person["resident_phone"]
    assert settings(site, resident_data_retention_days=9).status_code == 200
    assert "anonymised 1" in anonymise(site)
    assert record(site, record_id)["resident_phone"] is None


def test_a_device_that_pulled_the_phone_gets_the_anonymised_complaint_on_its_next_pull(site):
    person = resident()
    record_id = complaint(site.device("liaison1", clock_offset_ms=-200 * DAY_MS), person, "closed")
    phone = site.device("supervisor1")
    phone.pull_all()
    held = phone.records[("feedback", record_id)]
    assert held["resident_phone"] == person["resident_phone"]
    anonymise(site)
    changes = phone.pull_all()
    assert [c["id"] for c in changes] == [record_id]
    assert changes[0]["seq"] > 0 and changes[0]["data"]["resident_phone"] is None
    assert phone.records[("feedback", record_id)]["resident_name"] is None


def test_a_later_put_older_than_the_anonymisation_does_not_bring_the_phone_back(site):
    person = resident()
    then = site.device("liaison1", clock_offset_ms=-200 * DAY_MS)
    record_id = complaint(then, person, "closed")
    anonymise(site)
    then.put("feedback", record_id, {"description": "Piling at night, fixed",
                                     "resident_phone": person["resident_phone"]})
    assert then.push()[1]["results"][0]["status"] == "merged"
    assert record(site, record_id)["resident_phone"] is None
    assert record(site, record_id)["description"] == "Piling at night, fixed"
    # The value that lost is in history and its author's inbox until the next run.
    assert personal_values_kept(site.app, person)
    assert "anonymised 1 of 1" in anonymise(site)
    assert personal_values_kept(site.app, person) == []


def test_anonymising_scrubs_the_conflicts_and_rejected_payloads_of_the_complaint(site):
    person = resident()
    then = site.device("liaison1", clock_offset_ms=-200 * DAY_MS)
    record_id = complaint(then, person, "closed")
    older = site.device("admin1", clock_offset_ms=-201 * DAY_MS)
    older.put("feedback", record_id, {"resident_name": person["resident_name"] + "乙"})
    older.put("feedback", record_id, {"location": person["location"] + "东", "satisfaction": 0})
    assert [r["status"] for r in older.push()[1]["results"]] == ["merged", "rejected"]
    anonymise(site)
    assert personal_values_kept(site.app, person) == []
    rejected = site.client.get("/api/sync/rejected", headers=site.headers("admin1")).get_json()
    [entry] = [e for e in rejected["rejected"] if e["record_id"] == record_id]
    assert entry["payload"]["fields"] == {"satisfaction": 0}


@pytest.mark.postgresql
@pytest.mark.parametrize("processes", [2])
def test_two_runs_at_once_on_postgresql_anonymise_each_complaint_once(tmp_path, processes):
    with demo_app("postgresql", tmp_path) as app:
        site = DemoSite(app)
        then = site.device("liaison1", clock_offset_ms=-200 * DAY_MS)
        people = [resident() for _ in range(60)]
        ids = [complaint(then, person, "closed") for person in people]
        env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "SECRET_KEY": "test-secret", "BLOB_DIR": str(tmp_path / "blobs")}
        runs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "server",
                                  "anonymise-residents"], cwd=ROOT, env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(processes)]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert all(run.returncode == 0 for run in runs), outputs
        done = [int(out.split()[1]) for out, _ in outputs]
        assert sum(done) == len(ids), outputs
        with app.app_context():
            entries = db.session.execute(select(FieldHistory.record_id, FieldHistory.seq).where(
                FieldHistory.field == "anonymised")).all()
            db.session.rollback()
        assert sorted(record_id for record_id, _ in entries) == sorted(ids)
        assert len({seq for _, seq in entries}) == len(ids)
        assert all(personal_values_kept(app, person) == [] for person in people[:5])
        print(f"anonymised per process: {done}")
