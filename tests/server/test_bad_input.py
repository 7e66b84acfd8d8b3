"""Bad input is answered with the one JSON error shape and a fitting 4xx, and changes nothing.

Two layers: requests the endpoints refuse whole (malformed JSON, missing, unknown or
mistyped fields, oversized bodies, unknown routes, wrong methods), and single mutations
a push rejects as `invalid` with the field named while the rest of the batch goes on.
"""
from __future__ import annotations

import base64
import json
import re
import uuid

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from server.demo import demo_id
from server.extensions import db

from .conftest import DEMO_PASSWORD, demo_app
from .sync_client import Device, FlaskTransport

PROJECT = demo_id("project")
CLIENT = "0b7f1a5e-58a4-4f5c-9c55-2b1a0d6f3e21"


class Site:
    """The demo project on one app, with admin1 logged in."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.tokens = {}
        for username in ("admin1", "foreman1", "liaison1", "safety1"):
            response = self.client.post("/api/auth/login", json={
                "username": username, "password": DEMO_PASSWORD})
            self.tokens[username] = response.get_json()["token"]

    def headers(self, username: str = "admin1") -> dict:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def snapshot(self) -> dict:
        """Every table's row count and the sync counter: what "nothing changed" compares."""
        with self.app.app_context():
            counts = {table.name: db.session.execute(select(func.count()).select_from(table))
                      .scalar_one() for table in db.metadata.sorted_tables}
            counts["sync_counter"] = db.session.execute(
                db.metadata.tables["sync_counter"].select()).all()
        return counts

    def record_tables(self) -> dict:
        """Row counts of what a mutation writes: records, change log, history."""
        snapshot = self.snapshot()
        return {name: count for name, count in snapshot.items()
                if name not in ("devices", "device_results", "rejected_mutations", "sync_counter",
                                "tokens")}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    """One app with the demo loaded, for the module, on each database."""
    with demo_app(request.param, tmp_path_factory.mktemp(f"bad-input-{request.param}")) as app:
        yield Site(app)


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The response is the JSON error shape with `status`; its error object."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["fields"], dict), error
    if code:
        assert error["code"] == code, error
    return error


def push_body(**overrides) -> dict:
    return {"client_id": CLIENT, "schema_version": 1, "mutations": [], **overrides}


def raw(text: str) -> dict:
    return {"data": text, "content_type": "application/json"}


BIG = "x" * (2 * 1024 * 1024 + 1)
# Deeper than Python's JSON parser recurses.
DEEP = "[" * 100_000 + "]" * 100_000
MEMBER = f"/api/projects/{PROJECT}/members/{demo_id('foreman1')}"
USER = f"/api/admin/users/{demo_id('foreman1')}"
NEW_USER = {"username": "newcomer", "name": "New Comer", "password": "long-enough-1"}
FOREIGN_CURSOR = base64.urlsafe_b64encode(json.dumps({"s": "x"}).encode()).decode()


def case(case_id: str, method: str, path: str, status: int, fields=(), login=True, request=None):
    """One request the API refuses whole."""
    return pytest.param(method, path, status, fields, login, request or {}, id=case_id)


# (id, method, path, status, fields named in the answer; a login unless login=False,
#  request kwargs such as json= or data=)
REQUESTS = [
    case("login-malformed-json", "POST", "/api/auth/login", 400,
         login=False, request=raw('{"username": "admin1",')),
    case("login-not-an-object", "POST", "/api/auth/login", 422,
         login=False, request={"json": ["admin1", "pw"]}),
    case("login-missing-password", "POST", "/api/auth/login", 422, ["password"],
         login=False, request={"json": {"username": "admin1"}}),
    case("login-unknown-field", "POST", "/api/auth/login", 422, ["remember"],
         login=False, request={"json": {"username": "admin1", "password": DEMO_PASSWORD, "remember": True}}),
    case("login-wrong-type", "POST", "/api/auth/login", 422, ["username"],
         login=False, request={"json": {"username": 7, "password": DEMO_PASSWORD}}),
    case("login-empty-username", "POST", "/api/auth/login", 422, ["username"],
         login=False, request={"json": {"username": "", "password": "x"}}),
    case("login-too-large", "POST", "/api/auth/login", 413, login=False, request=raw(BIG)),
    case("login-wrong-method", "GET", "/api/auth/login", 405, login=False),

    case("push-malformed-json", "POST", "/api/sync/push", 400, request=raw('{"client_id": ')),
    case("push-missing-fields", "POST", "/api/sync/push", 422, ["schema_version", "mutations"],
         request={"json": {"client_id": CLIENT}}),
    case("push-unknown-field", "POST", "/api/sync/push", 422, ["since"],
         request={"json": push_body(since=3)}),
    case("push-client-id-not-uuid", "POST", "/api/sync/push", 422, ["client_id"],
         request={"json": push_body(client_id="phone-1")}),
    case("push-schema-version-string", "POST", "/api/sync/push", 422, ["schema_version"],
         request={"json": push_body(schema_version="1")}),
    case("push-schema-version-2", "POST", "/api/sync/push", 422, ["schema_version"],
         request={"json": push_body(schema_version=2)}),
    case("push-mutations-not-list", "POST", "/api/sync/push", 422, ["mutations"],
         request={"json": push_body(mutations={"mid": 1})}),
    case("push-mutation-not-object", "POST", "/api/sync/push", 400,
         request={"json": push_body(mutations=[1])}),
    case("push-mid-missing", "POST", "/api/sync/push", 400,
         request={"json": push_body(mutations=[{"op": "put", "type": "task"}])}),
    case("push-mid-not-integer", "POST", "/api/sync/push", 400,
         request={"json": push_body(mutations=[{"mid": "1", "op": "put", "type": "task"}])}),
    case("push-mid-repeated", "POST", "/api/sync/push", 400,
         request={"json": push_body(mutations=[{"mid": 1}, {"mid": 1}])}),
    case("push-too-large", "POST", "/api/sync/push", 413, request=raw(BIG)),
    case("push-no-token", "POST", "/api/sync/push", 401,
         login=False, request={"json": push_body()}),
    case("push-wrong-method", "PUT", "/api/sync/push", 405, request={"json": push_body()}),

    case("pull-missing-client-id", "GET", "/api/sync/pull", 422, ["client_id"]),
    case("pull-client-id-not-uuid", "GET", "/api/sync/pull?client_id=abc", 422, ["client_id"]),
    case("pull-limit-not-integer", "GET", f"/api/sync/pull?client_id={CLIENT}&limit=many",
         422, ["limit"]),
    case("pull-limit-zero", "GET", f"/api/sync/pull?client_id={CLIENT}&limit=0", 422, ["limit"]),
    case("pull-limit-too-high", "GET", f"/api/sync/pull?client_id={CLIENT}&limit=100000",
         422, ["limit"]),
    case("pull-cursor-garbage", "GET", f"/api/sync/pull?client_id={CLIENT}&cursor=%%%",
         400, ["cursor"]),
    case("pull-cursor-foreign", "GET", f"/api/sync/pull?client_id={CLIENT}&cursor={FOREIGN_CURSOR}",
         400, ["cursor"]),

    case("admin-create-malformed-json", "POST", "/api/admin/users", 400, request=raw("{")),
    case("admin-create-missing-fields", "POST", "/api/admin/users", 422, ["name", "password"],
         request={"json": {"username": "newcomer"}}),
    case("admin-create-unknown-field", "POST", "/api/admin/users", 422, ["is_root"],
         request={"json": {**NEW_USER, "is_root": True}}),
    case("admin-create-wrong-type", "POST", "/api/admin/users", 422, ["name"],
         request={"json": {**NEW_USER, "name": ["a"]}}),
    case("admin-create-bad-username", "POST", "/api/admin/users", 422, ["username"],
         request={"json": {**NEW_USER, "username": "Has Space"}}),
    case("admin-create-short-password", "POST", "/api/admin/users", 422, ["password"],
         request={"json": {**NEW_USER, "password": "short"}}),
    case("admin-create-too-large", "POST", "/api/admin/users", 413, request=raw(BIG)),
    case("admin-update-wrong-type", "PATCH", USER, 422, ["active"],
         request={"json": {"active": "maybe"}}),
    case("admin-update-unknown-field", "PATCH", USER, 422, ["username"],
         request={"json": {"username": "renamed"}}),
    case("admin-update-unknown-user", "PATCH", f"/api/admin/users/{uuid.uuid4()}", 404,
         request={"json": {"name": "x"}}),
    case("members-unknown-role", "PUT", MEMBER, 422, ["roles"],
         request={"json": {"roles": ["king"]}}),
    case("members-roles-not-list", "PUT", MEMBER, 422, ["roles"],
         request={"json": {"roles": "foreman"}}),
    case("members-missing-roles", "PUT", MEMBER, 422, ["roles"], request={"json": {}}),
    case("members-malformed-json", "PUT", MEMBER, 400, request=raw("roles")),
    case("members-not-utf8", "PUT", MEMBER, 400,
         request={"data": b"\xff\xfe{}", "content_type": "application/json"}),
    case("members-unknown-user", "PUT", f"/api/projects/{PROJECT}/members/{uuid.uuid4()}", 404,
         request={"json": {"roles": ["foreman"]}}),
    case("members-unknown-project", "PUT", f"/api/projects/{uuid.uuid4()}/members/{demo_id('foreman1')}",
         404, request={"json": {"roles": ["foreman"]}}),
    case("section-bad-code", "POST", f"/api/projects/{PROJECT}/sections", 422, ["code"],
         request={"json": {"code": "has space", "name": "x"}}),
    case("section-missing-name", "POST", f"/api/projects/{PROJECT}/sections", 422, ["name"],
         request={"json": {"code": "Z9"}}),
    case("section-unknown-field", "POST", f"/api/projects/{PROJECT}/sections", 422, ["colour"],
         request={"json": {"code": "Z9", "name": "x", "colour": "red"}}),
    case("project-bad-code", "POST", "/api/projects", 422, ["code"],
         request={"json": {"code": "lower", "name": "x"}}),

    # Text no database column stores, and regular expressions fooled by a final newline.
    case("login-nul", "POST", "/api/auth/login", 422, ["username"],
         login=False, request={"json": {"username": "admin1\x00", "password": "x"}}),
    case("login-lone-surrogate", "POST", "/api/auth/login", 422, ["password"],
         login=False, request=raw('{"username": "admin1", "password": "\\ud800"}')),
    case("admin-create-nul", "POST", "/api/admin/users", 422, ["name"],
         request={"json": {**NEW_USER, "name": "a\x00b"}}),
    case("admin-create-lone-surrogate", "POST", "/api/admin/users", 422, ["name"],
         request=raw('{"username": "newcomer", "name": "a\\udc00", "password": "long-enough-1"}')),
    case("admin-create-username-newline", "POST", "/api/admin/users", 422, ["username"],
         request={"json": {**NEW_USER, "username": "newcomer\n"}}),
    case("admin-update-nul-phone", "PATCH", USER, 422, ["phone"],
         request={"json": {"phone": "138\x00"}}),
    case("project-code-newline", "POST", "/api/projects", 422, ["code"],
         request={"json": {"code": "NORTH\n", "name": "x"}}),
    case("section-code-newline", "POST", f"/api/projects/{PROJECT}/sections", 422, ["code"],
         request={"json": {"code": "Z9\n", "name": "x"}}),
    case("section-nul-name", "POST", f"/api/projects/{PROJECT}/sections", 422, ["name"],
         request={"json": {"code": "Z9", "name": "\x00"}}),
    case("login-nested-too-deep", "POST", "/api/auth/login", 400, login=False, request=raw(DEEP)),
    case("push-nested-too-deep", "POST", "/api/sync/push", 400, request=raw(DEEP)),
    case("admin-create-nested-too-deep", "POST", "/api/admin/users", 400, request=raw(DEEP)),
    case("members-nul-user", "PUT", f"/api/projects/{PROJECT}/members/a%00b", 404,
         request={"json": {"roles": ["foreman"]}}),
    case("members-nul-project", "GET", "/api/projects/a%00b/members", 404),
    case("admin-update-nul-user", "PATCH", "/api/admin/users/a%00b", 404,
         request={"json": {"name": "x"}}),
    case("section-nul-id", "PATCH", f"/api/projects/{PROJECT}/sections/a%00b", 404,
         request={"json": {"name": "x"}}),
    case("record-nul-id", "GET", "/api/records/task/a%00b", 404),
    case("record-history-nul-id", "GET", "/api/records/task/a%00b/history", 404),
    case("dismiss-rejected-huge-id", "DELETE", f"/api/sync/rejected/{10 ** 30}", 404),
    case("dismiss-conflict-huge-id", "DELETE", f"/api/sync/conflicts/{10 ** 30}", 404),

    case("unknown-route-get", "GET", "/api/nope", 404),
    case("unknown-route-post", "POST", "/api/nope", 404, request={"json": {}}),
    case("unknown-route-deep", "PUT", "/api/nope/deeper", 404, login=False, request={"json": {}}),
    case("unknown-record-type", "GET", f"/api/records/invoice/{uuid.uuid4()}", 404),
    case("unknown-record", "GET", f"/api/records/task/{uuid.uuid4()}", 404),
    case("wrong-method-me", "DELETE", "/api/me", 405),
    case("wrong-method-admin-users", "GET", "/api/admin/users", 405),
]


@pytest.mark.parametrize("method, path, status, fields, login, request_kwargs", REQUESTS)
def test_bad_request_is_a_json_error_and_changes_nothing(site, method, path, status, fields,
                                                         login, request_kwargs):
    before = site.snapshot()
    headers = site.headers() if login else {}
    response = site.client.open(path, method=method, headers=headers, **request_kwargs)
    error = assert_error(response, status)
    for name in fields:
        assert name in error["fields"], error
    if status == 405:
        assert response.headers["Allow"], response.headers
    assert site.snapshot() == before


def test_a_batch_refused_whole_writes_none_of_its_good_mutations(site):
    """A malformed mutation after a good one: 400, and the good one is not applied either."""
    device = Device(FlaskTransport(site.client), site.tokens["foreman1"])
    good = device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "kept out"})
    before = site.snapshot()
    status, body = device.push([good, {"mid": "two"}])
    assert status == 400, body
    assert site.snapshot() == before
    status, body = device.push([good])
    assert status == 200 and body["results"][0]["status"] == "applied", body


def test_a_push_over_the_mutation_limit_is_413_and_writes_nothing(site):
    site.app.config["PUSH_MAX_MUTATIONS"] = 3
    try:
        device = Device(FlaskTransport(site.client), site.tokens["foreman1"])
        for _ in range(4):
            device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "many"})
        before = site.snapshot()
        response = site.client.post("/api/sync/push", headers=site.headers("foreman1"), json={
            "client_id": device.client_id, "schema_version": 1, "mutations": device.outbox})
        assert_error(response, 413, "too_large")
        assert site.snapshot() == before
    finally:
        site.app.config["PUSH_MAX_MUTATIONS"] = 500


# -- field validation inside a push ---------------------------------------------------------

CREATE = {
    "task": {"title": "Backfill trench A-03"},
    "briefing": {"date": "2026-11-24"},
    "safety_check": {"date": "2026-11-24"},
    "action": {"description": "Fence the trench"},
    "feedback": {"category": "noise", "description": "Breaker after 23:00"},
    "approval": {"subject_type": "task", "subject_id": demo_id("t2"), "kind": "acceptance"},
    "comment": {"subject_type": "task", "subject_id": demo_id("t2"), "body": "Noted."},
    "section": {"code": "Z1", "name": "Trial section"},
}
AUTHOR = {"task": "foreman1", "briefing": "foreman1", "safety_check": "safety1",
          "action": "safety1", "feedback": "liaison1", "approval": "foreman1",
          "comment": "foreman1", "section": "admin1"}

# (type, field, bad value): each is rejected `invalid`, naming the field.
BAD_FIELDS = [
    ("task", "progress", 101), ("task", "progress", -1), ("task", "progress", 50.5),
    ("task", "progress", "50"), ("task", "progress", True), ("task", "progress", None),
    ("task", "priority", "asap"), ("task", "priority", "HIGH"),
    ("task", "due_date", "2026-13-01"), ("task", "due_date", "2026/01/01"),
    ("task", "due_date", "20260101"), ("task", "due_date", 20260101),
    ("task", "due_date", "2026-02-30"), ("task", "due_date", "2026-11-24T08:00:00Z"),
    ("task", "planned_start", "tomorrow"),
    ("task", "title", ""), ("task", "title", "x" * 201), ("task", "title", 42),
    ("task", "title", None),
    ("task", "description", "x" * 4001), ("task", "section_id", "A01"),
    ("task", "assignee_id", 12), ("task", "section_id", demo_id("A01") + "\n"),
    ("task", "photos", {"add": ["not-a-sha"]}), ("task", "photos", {"add": ["a" * 64 + "\n"]}),
    ("task", "photos", ["f" * 64]), ("task", "depends_on", {"add": ["t3"]}),
    ("task", "depends_on", {"add": [], "keep": []}), ("task", "colour", "red"),
    ("task", "status", "finished"),
    ("safety_check", "likelihood", 0), ("safety_check", "likelihood", 6),
    ("safety_check", "likelihood", "3"), ("safety_check", "severity", 0),
    ("safety_check", "severity", 6), ("safety_check", "severity", 2.5),
    ("safety_check", "date", "24/11/2026"), ("safety_check", "results", {"EX01": "maybe"}),
    ("safety_check", "results", ["EX01"]), ("safety_check", "notes", "x" * 4001),
    ("feedback", "satisfaction", 0), ("feedback", "satisfaction", 6),
    ("feedback", "satisfaction", "5"), ("feedback", "category", "smell"),
    ("feedback", "category", None), ("feedback", "channel", "email"),
    ("feedback", "resident_phone", "12345"), ("feedback", "resident_phone", "call me"),
    ("feedback", "resident_phone", "1381234567890123"), ("feedback", "resident_phone", 13812345678),
    ("feedback", "resident_name", "x" * 101), ("feedback", "location", "x" * 301),
    ("feedback", "response_due", "2026-11-24"),
    ("feedback", "response_due", "2026-11-24T08:00:00+08:00"),
    ("feedback", "description", ""),
    ("briefing", "headcount", -1), ("briefing", "date", "yesterday"),
    ("briefing", "weather", "x" * 201), ("briefing", "attendees", {"add": [""]}),
    ("briefing", "section_ids", {"add": ["A01"]}),
    ("action", "deadline", "soon"), ("action", "owner_id", "foreman2"),
    ("approval", "subject_type", "invoice"), ("approval", "kind", ""),
    ("approval", "subject_id", "t3"),
    ("comment", "body", ""), ("comment", "body", "x" * 4001),
    ("section", "code", "has space"), ("section", "name", "x" * 201),
]


def _case_id(case) -> str:
    type_name, field, value = case
    shown = repr(value) if len(repr(value)) <= 20 else f"{type(value).__name__}[{len(value)}]"
    return f"{type_name}.{field}={shown}"


@pytest.mark.parametrize("type_name, field, value", BAD_FIELDS, ids=map(_case_id, BAD_FIELDS))
def test_a_bad_field_on_create_is_rejected_invalid_and_writes_nothing(site, type_name, field, value):
    device = Device(FlaskTransport(site.client), site.tokens[AUTHOR[type_name]])
    record_id = str(uuid.uuid4())
    good_id = str(uuid.uuid4())
    device.put(type_name, record_id, {"project_id": PROJECT, **CREATE[type_name], field: value})
    # The next mutation of the batch still goes through.
    device.put("comment", good_id, {"project_id": PROJECT, **CREATE["comment"]})
    before = site.record_tables()

    status, body = device.push()
    assert status == 200, body
    bad, good = body["results"]
    assert bad["status"] == "rejected", bad
    assert bad["error"]["code"] == "invalid", bad
    assert field in bad["error"]["fields"], bad
    assert good["status"] == "applied", good

    response = site.client.get(f"/api/records/{type_name}/{record_id}", headers=site.headers())
    assert_error(response, 404)
    # Only the good comment was written: one record, one change, its own history.
    after = site.record_tables()
    grown = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert set(grown) <= {"comments", "change_log", "field_history"}, grown
    assert (grown["comments"], grown["change_log"]) == (1, 1), grown
    history = db.metadata.tables["field_history"]
    with site.app.app_context():
        assert db.session.execute(select(func.count()).select_from(history)
                                  .where(history.c.record_id == record_id)).scalar_one() == 0


EDITS = [case for case in BAD_FIELDS if case[0] in ("task", "feedback", "safety_check")
         and case[2] is not None]


@pytest.mark.parametrize("type_name, field, value", EDITS, ids=map(_case_id, EDITS))
def test_a_bad_field_on_edit_is_rejected_invalid_and_leaves_the_record(site, type_name, field, value):
    device = Device(FlaskTransport(site.client), site.tokens[AUTHOR[type_name]])
    record_id = str(uuid.uuid4())
    device.put(type_name, record_id, {"project_id": PROJECT, **CREATE[type_name]})
    status, body = device.push()
    assert body["results"][0]["status"] == "applied", body
    path = f"/api/records/{type_name}/{record_id}"
    before = site.client.get(path, headers=site.headers()).get_json()
    tables = site.record_tables()

    device.put(type_name, record_id, {field: value})
    status, body = device.push()
    result = body["results"][0]
    assert result["status"] == "rejected" and result["error"]["code"] == "invalid", result
    assert field in result["error"]["fields"], result
    assert site.client.get(path, headers=site.headers()).get_json() == before
    assert site.record_tables() == tables


@pytest.mark.parametrize("mutation, field", [
    ({"op": "upsert"}, "op"), ({"id": "task-1"}, "id"), ({"hlc": "yesterday"}, "hlc"),
    ({"id": "6f1c2a52-3b7e-4f0e-9d2a-6b1f0c9e8a11\n"}, "id"),
    ({"hlc": None}, "hlc"), ({"fields": "title=x"}, "fields"), ({"fields": {}}, "fields"),
    ({"fields": {"title": "no project"}}, "project_id"),
], ids=["op", "id", "hlc", "id-with-final-newline", "hlc-missing", "fields-not-object",
        "fields-empty", "no-project"])
def test_a_malformed_mutation_is_rejected_invalid_with_the_field_named(site, mutation, field):
    device = Device(FlaskTransport(site.client), site.tokens["foreman1"])
    base = device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "x"})
    base.update(mutation)
    tables = site.record_tables()
    status, body = device.push()
    assert status == 200, body
    result = body["results"][0]
    assert result["status"] == "rejected" and result["error"]["code"] == "invalid", result
    assert field in result["error"]["fields"], result
    assert site.record_tables() == tables


def test_an_unknown_record_type_is_rejected_unknown_type(site):
    device = Device(FlaskTransport(site.client), site.tokens["foreman1"])
    device.put("invoice", str(uuid.uuid4()), {"project_id": PROJECT, "amount": 3})
    tables = site.record_tables()
    status, body = device.push()
    assert body["results"][0]["error"]["code"] == "unknown_type", body
    assert site.record_tables() == tables


def test_values_are_stored_in_the_normal_form_their_schema_gives(site):
    """Phones, UUIDs and times are stored as the record schemas normalise them, so the
    same number spelled two ways is one number (and masks to one shape)."""
    device = Device(FlaskTransport(site.client), site.tokens["liaison1"])
    section = demo_id("A01")
    spellings = {"13812345678": "13812345678", "+86 138 1234 5678": "13812345678",
                 "138-1234-5678": "13812345678", "010 6552 9988": "1065529988"}
    ids = {}
    for spelling in spellings:
        ids[spelling] = str(uuid.uuid4())
        device.put("feedback", ids[spelling], {
            "project_id": PROJECT, **CREATE["feedback"], "resident_phone": spelling,
            "section_id": section.upper(), "response_due": "2026-11-24T08:00:00.250Z"})
    status, body = device.push()
    assert [r["status"] for r in body["results"]] == ["applied"] * len(spellings), body
    for spelling, record_id in ids.items():
        data = site.client.get(f"/api/records/feedback/{record_id}",
                               headers=site.headers()).get_json()["data"]
        assert (data["resident_phone"], data["section_id"], data["response_due"]) == (
            spellings[spelling], section, "2026-11-24T08:00:00Z"), spelling


def test_a_value_nested_absurdly_deep_is_rejected_not_a_fault(site):
    """JSON the parser accepts, but nested hundreds deep inside a field's value."""
    device = Device(FlaskTransport(site.client), site.tokens["foreman1"])
    record_id = str(uuid.uuid4())
    deep: list = []
    for _ in range(700):
        deep = [deep]
    device.put("task", record_id, {"project_id": PROJECT, "title": deep})
    tables = site.record_tables()
    status, body = device.push()
    assert status in (200, 400), body
    if status == 200:
        assert body["results"][0]["error"]["code"] == "invalid", body
    assert site.record_tables() == tables


def _fill(rule) -> str:
    """A concrete path for a URL rule, with ids no record has."""
    values = {name: ("task" if name == "type_name" else "0" * 64 if name == "sha256"
                     else "999" if isinstance(converter, IntegerConverter) else str(uuid.uuid4()))
              for name, converter in rule._converters.items()}
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)


BODIES = {"malformed": raw("{"), "array": {"json": []}, "null": raw("null"),
          "unknown-field": {"json": {"unknown": 1}}, "string": {"json": "text"},
          "lone-surrogate": raw('{"name": "\\udfff", "roles": ["\\ud800"]}'), "too-deep": raw(DEEP),
          "form": {"data": {"a": "1"}}}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_no_endpoint_answers_bad_input_with_html_or_a_500(site, body):
    rules = [r for r in site.app.url_map.iter_rules()
             if r.rule.startswith("/api/") and not r.endpoint.startswith("api-docs.")]
    assert len(rules) > 15
    for rule in rules:
        path = _fill(rule)
        for method in sorted(set(rule.methods) - {"HEAD", "OPTIONS"}):
            response = site.client.open(path, method=method, headers=site.headers(), **body)
            where = f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:200]}"
            assert response.status_code < 500, where
            if response.status_code >= 400:
                assert response.mimetype == "application/json", where
                assert set(response.get_json()["error"]) == {"code", "message", "fields"}, where
