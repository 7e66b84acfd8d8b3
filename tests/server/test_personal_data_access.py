"""Every time a resident's unmasked phone (or name) is shown outside the sync stream, the
access log gets a row: who, when, which record, which project, which endpoint. The
project's admin reads it, newest first; a data request exports every complaint holding a
phone, and is logged too."""
from __future__ import annotations

import uuid

import pytest

from server.demo import demo_id
from server.extensions import db
from server.projects.models import Membership, Project

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite, assert_error
from .personal_data import complaint, resident

LOG = f"/api/projects/{PROJECT}/privacy/access-log"
RECORD = "GET /api/records/<type_name>/<record_id>"
HISTORY = "GET /api/records/<type_name>/<record_id>/history"
EXPORT = "GET /api/projects/<project_id>/privacy/resident"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"access-{request.param}")) as app:
        yield DemoSite(app)


def log(site: DemoSite, **query) -> dict:
    response = site.client.get(LOG, query_string=query, headers=site.headers("admin1"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def rows_about(site: DemoSite, record_id: str) -> list[tuple[str, str]]:
    """(username, endpoint) of each access-log row naming the record, newest first."""
    names = {demo_id(n): n for n in ("foreman1", "liaison1", "supervisor1", "safety1", "admin1")}
    return [(names.get(e["user_id"]), e["endpoint"])
            for e in log(site, limit=500)["entries"] if e["record_id"] == record_id]


def test_a_record_shown_with_its_phone_unmasked_is_logged(site):
    record_id = complaint(site.device("liaison1"), resident())
    for username in ("liaison1", "supervisor1", "foreman1", "safety1"):
        response = site.client.get(f"/api/records/feedback/{record_id}",
                                   headers=site.headers(username))
        assert response.status_code == 200
    assert rows_about(site, record_id) == [("supervisor1", RECORD), ("liaison1", RECORD)]
    [entry] = [e for e in log(site)["entries"] if e["record_id"] == record_id][:1]
    assert entry["type"] == "feedback" and entry["at"].endswith("+00:00")
    assert entry["user_name"]


def test_a_complaint_without_a_resident_is_not_logged(site):
    record_id = complaint(site.device("liaison1"), {"location": "解放路 1 号"})
    site.client.get(f"/api/records/feedback/{record_id}", headers=site.headers("liaison1"))
    site.client.get(f"/api/records/feedback/{record_id}/history", headers=site.headers("liaison1"))
    assert rows_about(site, record_id) == []


def test_history_shown_with_the_phone_unmasked_is_logged(site):
    record_id = complaint(site.device("liaison1"), resident())
    for username in ("admin1", "foreman1"):
        response = site.client.get(f"/api/records/feedback/{record_id}/history",
                                   headers=site.headers(username))
        assert response.status_code == 200
    assert rows_about(site, record_id) == [("admin1", HISTORY)]


def test_inboxes_showing_a_phone_unmasked_are_logged(site):
    person = resident()
    record_id = complaint(site.device("liaison1"), person)
    older = site.device("liaison1", clock_offset_ms=-60_000)
    older.put("feedback", record_id, {"resident_phone": "13900000000"})
    older.put("feedback", record_id, {"resident_phone": "13900000001", "satisfaction": 9})
    assert [r["status"] for r in older.push()[1]["results"]] == ["merged", "rejected"]
    for path in ("/api/sync/conflicts", "/api/sync/rejected"):
        assert site.client.get(path, headers=site.headers("liaison1")).status_code == 200
    assert rows_about(site, record_id) == [("liaison1", "GET /api/sync/rejected"),
                                           ("liaison1", "GET /api/sync/conflicts")]


def test_the_log_comes_newest_first_a_page_at_a_time(site):
    record_id = complaint(site.device("liaison1"), resident())
    for _ in range(3):
        site.client.get(f"/api/records/feedback/{record_id}", headers=site.headers("liaison1"))
    first = log(site, limit=2)
    assert first["has_more"] is True and len(first["entries"]) == 2
    second = log(site, limit=2, before=first["before"])
    ids = [e["id"] for e in first["entries"] + second["entries"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4


def test_the_log_is_the_projects_alone(site):
    with site.app.app_context():
        other = Project(code=f"P{uuid.uuid4().hex[:6].upper()}", name="Other", settings={})
        db.session.add(other)
        db.session.flush()
        db.session.add(Membership(project_id=other.id, user_id=demo_id("admin1"), role="admin"))
        db.session.commit()
        other_id = other.id
    site._tokens.pop("admin1", None)  # a fresh token sees the new membership either way
    response = site.client.get(f"/api/projects/{other_id}/privacy/access-log",
                               headers=site.headers("admin1"))
    assert response.status_code == 200 and response.get_json()["entries"] == []


def export(site: DemoSite, phone: str, username: str = "admin1"):
    return site.client.get(f"/api/projects/{PROJECT}/privacy/resident",
                           query_string={"phone": phone}, headers=site.headers(username))


@pytest.mark.parametrize("written", ["{phone}", "+86 {a} {b} {c}", "{a}-{b}-{c}",
                                     "+86-{a}-{b}-{c}", " {a} {b}{c} "])
def test_a_data_request_finds_the_phone_however_it_is_written(site, written):
    person = resident()
    phone = person["resident_phone"]
    record_id = complaint(site.device("liaison1"), person, "closed")
    text = written.format(phone=phone, a=phone[:3], b=phone[3:7], c=phone[7:])
    response = export(site, text)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["phone"] == phone
    [found] = body["complaints"]
    assert found["record"]["id"] == record_id
    assert found["record"]["data"]["resident_phone"] == phone
    assert [e["field"] for e in found["history"]][-1] == "status"
    assert rows_about(site, record_id)[0] == ("admin1", EXPORT)


def test_a_data_request_finds_a_complaint_whose_phone_was_changed_since(site):
    person = resident()
    liaison = site.device("liaison1")
    record_id = complaint(liaison, person)
    liaison.put("feedback", record_id, {"resident_phone": "13700000000"})
    liaison.push()
    other = complaint(liaison, resident())
    ids = [c["record"]["id"] for c in export(site, person["resident_phone"]).get_json()["complaints"]]
    assert ids == [record_id] and other not in ids


def test_a_data_request_finds_no_deleted_complaint_and_is_logged_still(site):
    person = resident()
    liaison = site.device("liaison1")
    record_id = complaint(liaison, person)
    liaison.delete("feedback", record_id)
    liaison.push()
    before = log(site, limit=1)["entries"][0]["id"]
    assert export(site, person["resident_phone"]).get_json()["complaints"] == []
    [entry] = log(site, limit=1)["entries"]
    assert entry["id"] > before and entry["endpoint"] == EXPORT and entry["record_id"] is None


@pytest.mark.parametrize("phone", ["12345", "not a phone", ""])
def test_a_data_request_needs_a_phone_number(site, phone):
    error = assert_error(export(site, phone), 422)
    assert "phone" in error["fields"]
