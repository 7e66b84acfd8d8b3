"""The wire contract (`sync-protocol.md`) read as an independent client author reads it.

Statements of the contract that the other tests do not pin: each test quotes the one it
checks. Where this server does something else, the test asserts what the contract says
and is marked `xfail(strict=True)` with the difference as its reason. Once the server is
fixed the test passes, the strict mark fails the suite, and the mark comes off; if the
difference is recorded in docs/sync-protocol.md instead (with why), the test is rewritten
to pin what that page records.
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import re
import uuid

import pytest
from PIL import Image
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

import server.blobs.routes as blob_routes
from server.accounts.models import User
from server.accounts.tokens import issue_token
from server.demo import demo_id
from server.extensions import db
from server.projects.models import Membership, Project

from .conftest import DEMO_PASSWORD, demo_app
from .demo_site import PROJECT, DemoSite, assert_error
from .sync_client import Device

PHOTO = "c" * 64


class Site(DemoSite):
    """The demo project on one app (tokens issued directly, no Argon2 per user)."""

    def record(self, type_name: str, record_id: str, username: str = "admin1") -> dict:
        response = self.client.get(f"/api/records/{type_name}/{record_id}",
                                   headers=self.headers(username))
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def push_raw(self, username: str, text: str):
        """A push whose body is `text` as sent (for JSON the test client cannot write)."""
        return self.send("POST", "/api/sync/push", text, username)

    def engine(self):
        with self.app.app_context():
            return db.engine


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    """The demo on each database, for the module."""
    with demo_app(request.param, tmp_path_factory.mktemp(f"audit-{request.param}")) as app:
        yield Site(app)


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    """The demo on SQLite only, for what does not depend on the database."""
    with demo_app("sqlite", tmp_path_factory.mktemp("audit-sqlite-only")) as app:
        yield Site(app)


def results(pushed: tuple[int, dict]) -> list[dict]:
    status, body = pushed
    assert status == 200, body
    return body["results"]


def strict_json(text: str):
    """Parse as JSON the way JavaScript's JSON.parse does: NaN and Infinity are not JSON."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def png(colour: tuple[int, int, int]) -> bytes:
    """A small PNG; each colour gives other bytes, so another blob name."""
    out = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(out, "PNG")
    return out.getvalue()


# -- "Record types every server has": every field, every listed value -----------------------

def contract_records() -> dict[str, tuple[dict, str | None]]:
    """A new record of each contract type with every field the contract lists for it set
    (set fields through `add`, the map through keys), and its first state."""
    section, task, check = demo_id("A01"), demo_id("t2"), demo_id("c1")
    user = demo_id("foreman1")
    return {
        "section": ({"code": f"AU{uuid.uuid4().hex[:6]}", "name": "Audit section",
                     "owner_id": user, "description": "all fields"}, None),
        "briefing": ({"date": "2026-11-24", "weather": "overcast", "key_tasks": "backfill",
                      "risk_points": "open trench", "section_ids": {"add": [section]},
                      "attendees": {"add": ["张建国"]}, "photos": {"add": [PHOTO]}}, "draft"),
        "task": ({"section_id": section, "title": "Backfill trench A-03", "description": "d",
                  "assignee_id": user, "due_date": "2026-11-30", "priority": "high",
                  "progress": 40, "planned_start": "2026-11-25", "planned_end": "2026-11-29",
                  "depends_on": {"add": [task]}, "photos": {"add": [PHOTO]}}, "todo"),
        "safety_check": ({"section_id": section, "date": "2026-11-24", "likelihood": 2,
                          "severity": 4, "notes": "n", "results": {"EX01": "pass", "EX02": "fail"},
                          "photos": {"add": [PHOTO]}}, "open"),
        "action": ({"check_id": check, "description": "Fence the trench", "owner_id": user,
                    "deadline": "2026-11-26", "photos": {"add": [PHOTO]}}, "open"),
        "feedback": ({"section_id": section, "category": "dust", "description": "Dust at gate 2",
                      "location": "Gate 2", "resident_name": "周女士",
                      "resident_phone": "13812345678", "channel": "hotline",
                      "response_due": "2026-11-25T08:00:00Z", "satisfaction": 4,
                      "photos": {"add": [PHOTO]}}, "received"),
        "approval": ({"subject_type": "task", "subject_id": task, "kind": "acceptance",
                      "note": "please check", "decision_comment": "to follow"}, "pending"),
        "comment": ({"subject_type": "task", "subject_id": task, "body": "Noted."}, None),
    }


def read_back(value):
    """What a pull carries for a put's value: a set as its sorted elements."""
    if isinstance(value, dict) and set(value) <= {"add", "remove"}:
        return sorted(value.get("add", []))
    return value


def test_every_field_the_contract_lists_is_accepted_and_pulled_back(site):
    """"Record types every server has": each type with each of its fields, under the
    contract's names, starting in the first state its machine lists."""
    admin = site.device("admin1")
    ids = {}
    for type_name, (fields, _) in contract_records().items():
        ids[type_name] = str(uuid.uuid4())
        admin.put(type_name, ids[type_name], {"project_id": PROJECT, **fields})
    assert [r["status"] for r in results(admin.push())] == ["applied"] * len(ids)

    pulled = {(c["type"], c["id"]): c for c in admin.pull_all()}
    for type_name, (fields, first_state) in contract_records().items():
        data = pulled[(type_name, ids[type_name])]["data"]
        for name, value in fields.items():
            if name != "code":  # section codes are fresh per call
                assert data[name] == read_back(value), (type_name, name, data)
        assert data["project_id"] == PROJECT
        assert data.get("status") == first_state, (type_name, data)


def test_every_value_the_contract_lists_is_accepted(site):
    """"Values": priority, progress, likelihood, severity, satisfaction, category, channel
    and results values, each value and each bound the page gives."""
    admin = site.device("admin1")
    for priority, progress in zip(("low", "normal", "high", "urgent"), (0, 1, 99, 100)):
        admin.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": priority,
                                             "priority": priority, "progress": progress})
    channels = ("phone", "visit", "hotline", "online")
    for index, category in enumerate(("noise", "dust", "traffic", "access", "damage",
                                      "safety", "other")):
        admin.put("feedback", str(uuid.uuid4()), {
            "project_id": PROJECT, "category": category, "description": category,
            "channel": channels[index % 4], "satisfaction": index % 5 + 1})
    for score in (1, 5):
        admin.put("safety_check", str(uuid.uuid4()), {
            "project_id": PROJECT, "date": "2026-02-28", "likelihood": score, "severity": score,
            "results": {"EX01": "pass", "EX02": "fail", "EX03": "na"}})
    answers = results(admin.push())
    assert [r["status"] for r in answers] == ["applied"] * len(answers), answers


# (type, states to move through first, a move the contract's machine does not have)
ILLEGAL_MOVES = [
    ("task", [], "done"), ("task", [], "accepted"), ("task", ["doing", "done", "accepted"], "doing"),
    ("briefing", [], "acknowledged"), ("briefing", ["submitted"], "draft"),
    ("safety_check", [], "verified"), ("safety_check", [], "closed"),
    ("action", [], "verified"), ("action", ["done", "verified"], "open"),
    ("feedback", [], "closed"), ("feedback", ["acknowledged"], "received"),
    ("approval", ["withdrawn"], "approved"),
]


@pytest.mark.parametrize("type_name, path, target", ILLEGAL_MOVES,
                         ids=[f"{t}-{'-'.join(p) or 'new'}-to-{x}" for t, p, x in ILLEGAL_MOVES])
def test_a_move_the_state_machine_lacks_is_invalid_transition_even_for_an_admin(
        sqlite_site, type_name, path, target):
    """"state: the transition must be legal from the current state ... otherwise
    rejected with invalid_transition": an admin holds every right, so only the machine
    can refuse these."""
    admin = sqlite_site.device("admin1")
    record_id = str(uuid.uuid4())
    admin.put(type_name, record_id, {"project_id": PROJECT, **contract_records()[type_name][0]})
    for step in path:
        admin.put(type_name, record_id, {"status": step})
    assert {r["status"] for r in results(admin.push())} == {"applied"}
    admin.put(type_name, record_id, {"status": target})
    [refused] = results(admin.push())
    assert refused["status"] == "rejected", refused
    assert refused["error"]["code"] == "invalid_transition", refused
    unmoved = path[-1] if path else contract_records()[type_name][1]
    assert sqlite_site.record(type_name, record_id)["data"]["status"] == unmoved


# -- Roles ----------------------------------------------------------------------------------

def test_a_foreman_edits_and_moves_a_task_in_a_section_another_foreman_owns(sqlite_site):
    """"foreman: creates and edits tasks (any section of the project; the section's owner
    is who answers for it, not a lock), moves them todo → doing → done → doing"."""
    owner, other = sqlite_site.device("foreman1"), sqlite_site.device("foreman2")
    task_id = str(uuid.uuid4())
    # A01 is foreman1's section in the demo.
    owner.put("task", task_id, {"project_id": PROJECT, "section_id": demo_id("A01"),
                                "title": "Guard rail at A01"})
    assert results(owner.push())[0]["status"] == "applied"
    other.put("task", task_id, {"title": "Guard rail at A01, north end", "progress": 30})
    for state in ("doing", "done", "doing"):
        other.put("task", task_id, {"status": state})
    assert [r["status"] for r in results(other.push())] == ["applied"] * 4
    data = sqlite_site.record("task", task_id)["data"]
    assert (data["title"], data["progress"], data["status"]) == (
        "Guard rail at A01, north end", 30, "doing")


# -- Push -----------------------------------------------------------------------------------

def test_a_photo_not_yet_uploaded_is_accepted_and_pending_until_its_blob_arrives(sqlite_site):
    """"A put may name photos not yet uploaded; the record is accepted and the photo
    shows as pending until its blob arrives"."""
    data = png((30, 90, 150))
    name = hashlib.sha256(data).hexdigest()
    foreman = sqlite_site.device("foreman1")
    task_id = str(uuid.uuid4())
    foreman.put("task", task_id, {"project_id": PROJECT, "title": "Photo first",
                                  "photos": {"add": [name]}})
    assert results(foreman.push())[0]["status"] == "applied"
    headers = sqlite_site.headers("foreman1")
    assert sqlite_site.client.head(f"/api/blobs/{name}", headers=headers).status_code == 404
    before = sqlite_site.record("task", task_id)

    assert sqlite_site.client.put(f"/api/blobs/{name}", data=data,
                                  headers=headers).status_code == 201
    assert sqlite_site.client.head(f"/api/blobs/{name}", headers=headers).status_code == 200
    assert sqlite_site.record("task", task_id) == before
    assert before["data"]["photos"] == [name]


def test_a_database_fault_mid_push_is_503_with_nothing_written_and_the_retry_applies(site):
    """"A fault of the server (database down, disk full) is a 503 with nothing
    half-written; the client retries the same batch"; a pull meets the same."""
    device = site.device("foreman1")
    task_id = str(uuid.uuid4())
    device.put("task", task_id, {"project_id": PROJECT, "title": "written once"})
    device.put("task", task_id, {"progress": 20})
    batch = list(device.outbox)
    engine = site.engine()
    broken = {"statement": "INSERT INTO change_log"}

    def database_fails(conn, cursor, statement, parameters, context, executemany):
        if broken["statement"] in statement:
            raise OperationalError(statement, parameters, Exception("disk I/O error"))

    event.listen(engine, "before_cursor_execute", database_fails)
    try:
        response = site.client.post("/api/sync/push", headers=site.headers("foreman1"), json={
            "client_id": device.client_id, "schema_version": 1, "mutations": batch})
        assert assert_error(response, 503)["code"] == "unavailable"
        assert response.headers.get("Retry-After")
        broken["statement"] = "FROM change_log"
        pulled = site.client.get(f"/api/sync/pull?client_id={device.client_id}",
                                 headers=site.headers("foreman1"))
        assert_error(pulled, 503)
    finally:
        event.remove(engine, "before_cursor_execute", database_fails)

    missing = site.client.get(f"/api/records/task/{task_id}", headers=site.headers("foreman1"))
    assert_error(missing, 404)
    answers = results(device.push(batch))
    assert [(r["mid"], r["status"], r.get("replayed")) for r in answers] == [
        (1, "applied", None), (2, "applied", None)]
    assert site.record("task", task_id)["data"]["progress"] == 20


def test_a_huge_mid_is_a_gap_and_a_huge_value_is_invalid_not_a_fault(site):
    """"A mid above last_mid + 1 stops the batch"; numbers beyond 64 bits are answered."""
    device = site.device("foreman1")
    task_id = str(uuid.uuid4())
    good = device.put("task", task_id, {"project_id": PROJECT, "title": "big numbers",
                                        "progress": 10 ** 30})
    answers = results(device.push([good, {**good, "mid": 10 ** 30}]))
    assert answers[0]["status"] == "rejected" and answers[0]["error"]["code"] == "invalid"
    assert "progress" in answers[0]["error"]["fields"]
    assert answers[1] == {"mid": 10 ** 30, "status": "gap"}


# -- Errors: JSON, never HTML, never a 500 ---------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("POST", "/api/sync/push/"), ("GET", "/api/sync/pull/"), ("GET", "/api/sync/conflicts/"),
    ("GET", "/api/sync/rejected/"), ("GET", f"/api/records/task/{demo_id('t2')}/history/"),
    ("GET", "/api/"), ("PUT", f"/api/blobs/{PHOTO}/"), ("POST", "/api/auth/login/"),
])
def test_a_trailing_slash_is_a_json_404_not_a_page(sqlite_site, method, path):
    """"No error is an HTML page": the PWA's catch-all must not answer under /api/."""
    response = sqlite_site.client.open(path, method=method, headers=sqlite_site.headers("foreman1"),
                                       json={})
    assert_error(response, 404)


def test_a_json_body_with_a_charset_parameter_is_json(sqlite_site):
    """"All bodies are JSON (Content-Type: application/json, UTF-8)": the charset may be said."""
    client_id = str(uuid.uuid4())
    response = sqlite_site.client.post(
        "/api/sync/push", headers=sqlite_site.headers("foreman1"),
        content_type="application/json; charset=utf-8",
        data=json.dumps({"client_id": client_id, "schema_version": 1, "mutations": []}))
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"results": [], "last_mid": 0}


# == Deviations: each asserts the contract and fails today ===================================

def _many_projects_user(site: Site, count: int) -> str:
    """A token of a new user who is a foreman in the demo and in `count` other projects."""
    with site.app.app_context():
        user = User(username=f"many-{uuid.uuid4().hex[:8]}", name="Many", password_hash="-")
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(project_id=PROJECT, user_id=user.id, role="foreman"))
        for _ in range(count):
            project = Project(code=f"M{uuid.uuid4().hex[:10].upper()}", name="Another site",
                              settings={})
            db.session.add(project)
            db.session.flush()
            db.session.add(Membership(project_id=project.id, user_id=user.id, role="foreman"))
        token, _ = issue_token(user)
        db.session.commit()
    return token


def test_a_cursor_the_server_made_is_accepted_for_a_member_of_many_projects(sqlite_site):
    """"Paging from any cursor never skips a committed change": the cursor names the set
    of projects by a key, so it stays short for a member of hundreds of projects."""
    token = _many_projects_user(sqlite_site, 300)
    device = Device(sqlite_site.transport, token)
    device.pull_all(limit=1000)
    assert len(device.cursor) < 120
    status, body = sqlite_site.transport(
        "GET", f"/api/sync/pull?client_id={device.client_id}&cursor={device.cursor}", None,
        device.headers)
    assert status == 200, body


def test_a_new_record_may_be_created_in_a_state_legal_from_its_first_one(sqlite_site):
    """"the transition must be legal from the current state for the author's role"."""
    foreman, liaison = sqlite_site.device("foreman1"), sqlite_site.device("liaison1")
    task_id, feedback_id = str(uuid.uuid4()), str(uuid.uuid4())
    foreman.put("task", task_id, {"project_id": PROJECT, "title": "Started on site",
                                  "status": "doing"})
    liaison.put("feedback", feedback_id, {"project_id": PROJECT, "category": "noise",
                                          "description": "Logged and acknowledged on the call",
                                          "status": "acknowledged"})
    assert results(foreman.push())[0]["status"] == "applied"
    assert results(liaison.push())[0]["status"] == "applied"


def test_a_supervisor_decides_an_approval_with_a_put_that_repeats_its_project(sqlite_site):
    """"supervisor: ... deciding approvals"; a put's fields may include unchanged ones."""
    foreman, supervisor = sqlite_site.device("foreman1"), sqlite_site.device("supervisor1")
    approval_id = str(uuid.uuid4())
    foreman.put("approval", approval_id, {"project_id": PROJECT, "subject_type": "task",
                                          "subject_id": demo_id("t3"), "kind": "acceptance"})
    assert results(foreman.push())[0]["status"] == "applied"
    supervisor.put("approval", approval_id, {"project_id": PROJECT, "status": "approved"})
    [decided] = results(supervisor.push())
    assert decided["status"] == "applied", decided


def test_times_in_the_inboxes_and_at_login_are_utc(sqlite_site):
    """"times ISO 8601 UTC" (pull's updated_at is "2026-11-24T08:01:02Z")."""
    marked_utc = re.compile(r"(Z|[+-]00:00)\Z")
    winner, loser = sqlite_site.device("foreman1"), sqlite_site.device("foreman2",
                                                                       clock_offset_ms=-60_000)
    task_id = str(uuid.uuid4())
    winner.put("task", task_id, {"project_id": PROJECT, "title": "kept"})
    results(winner.push())
    loser.put("task", task_id, {"title": "lost"})
    loser.put("task", task_id, {"status": "accepted"})  # rejected: a foreman may not accept
    assert [r["status"] for r in results(loser.push())] == ["merged", "rejected"]
    headers = sqlite_site.headers("foreman2")
    conflict = sqlite_site.client.get("/api/sync/conflicts", headers=headers).get_json()
    rejected = sqlite_site.client.get("/api/sync/rejected", headers=headers).get_json()
    login = sqlite_site.client.post("/api/auth/login", json={
        "username": "foreman2", "password": DEMO_PASSWORD}).get_json()
    times = [conflict["conflicts"][0]["created_at"], rejected["rejected"][0]["created_at"],
             login["expires_at"]]
    assert all(marked_utc.search(moment) for moment in times), times


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_a_push_with_a_number_no_client_reads_back_is_malformed_and_writes_nothing(site, number):
    """Bad JSON is `400 malformed` (docs/sync-protocol.md, "Where the contract is silent"):
    1e400 parses as Infinity, which no JSON writer gives back, so it could not be kept for
    its author as sent; the batch writes nothing and `last_mid` stays."""
    device = site.device("foreman1")
    task_id = str(uuid.uuid4())
    mutation = device.put("task", task_id, {"project_id": PROJECT, "title": "x"})
    text = json.dumps({"client_id": device.client_id, "schema_version": 1,
                       "mutations": [mutation]}).replace('"title": "x"',
                                                         f'"title": "x", "progress": {number}')
    error = assert_error(site.push_raw("foreman1", text), 400)
    assert error["code"] == "malformed"
    status, body = device.push([])
    assert status == 200 and body["last_mid"] == 0, body
    listed = site.client.get("/api/sync/rejected", headers=site.headers("foreman1"))
    assert all(r["record_id"] != task_id for r in strict_json(listed.get_data(as_text=True))["rejected"])
    assert results(device.push())[0]["status"] == "applied"  # the same put without it


def test_a_write_answered_applied_is_written(sqlite_site):
    """"applied: every field written"; "No acknowledged write is ever lost"."""
    device = sqlite_site.device("foreman1")
    task_id = str(uuid.uuid4())
    first = device.put("task", task_id, {"project_id": PROJECT, "title": "first"})
    second = device.put("task", task_id, {"title": "second"})
    second["hlc"] = first["hlc"]  # a client whose counter did not move within a millisecond
    answers = results(device.push())
    title = sqlite_site.record("task", task_id)["data"]["title"]
    if answers[1]["status"] == "applied":
        assert title == "second", (answers, title)
    else:
        assert answers[1]["status"] in ("merged", "rejected"), answers


def test_a_client_id_is_bound_on_its_first_push(sqlite_site):
    """"client_id ... bound to the user on first push; a push with another user's
    client_id is 403"."""
    shared = str(uuid.uuid4())
    first_user = sqlite_site.device("foreman1", client_id=shared)
    first_user.pull_all()
    second_user = sqlite_site.device("foreman2", client_id=shared)
    second_user.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "mine"})
    status, body = second_user.push()
    assert status == 200, body


@pytest.mark.parametrize("path", ["/api/auth/login", "/api/sync/push", "/api/admin/users"])
def test_a_very_long_integer_is_a_client_error_not_a_500(sqlite_site, path):
    """"No error is a 500 for bad input"."""
    response = sqlite_site.client.post(path, data='{"username": ' + "9" * 5000 + "}",
                                       content_type="application/json",
                                       headers=sqlite_site.headers("admin1"))
    assert 400 <= response.status_code < 500, response.status_code
    assert_error(response, response.status_code)


def test_a_mutation_id_that_is_a_lone_surrogate_is_rejected_invalid(site):
    """"Validation is per mutation: one bad mutation is rejected, the rest of the batch goes on"."""
    device = site.device("foreman1")
    bad = device.put("task", "\ud800", {"project_id": PROJECT, "title": "x"})
    good = device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "y"})
    response = site.push_raw("foreman1", json.dumps({
        "client_id": device.client_id, "schema_version": 1, "mutations": [bad, good]}))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    first, second = response.get_json()["results"]
    assert first["status"] == "rejected" and "id" in first["error"]["fields"], first
    assert second["status"] == "applied", second


def test_a_mutation_id_holding_nul_is_rejected_invalid(site):
    """"No error is a 500 for bad input" (PostgreSQL stores no NUL; SQLite does, and passes)."""
    if site.engine().dialect.name != "postgresql":
        pytest.skip("SQLite stores NUL: the failure is PostgreSQL's")
    device = site.device("foreman1")
    bad = device.put("task", "\x00", {"project_id": PROJECT, "title": "x"})
    response = site.push_raw("foreman1", json.dumps({
        "client_id": device.client_id, "schema_version": 1, "mutations": [bad]}))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["results"][0]["error"]["code"] == "invalid"


def test_a_blob_upload_that_meets_a_full_disk_is_503(sqlite_site, monkeypatch):
    """"A fault of the server (database down, disk full) is a 503"; the client retries."""
    data = png((200, 30, 30))
    name = hashlib.sha256(data).hexdigest()
    headers = sqlite_site.headers("foreman1")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    # The blob is written, flushed, then fsync'ed: a full disk shows at the latest there.
    monkeypatch.setattr(blob_routes.os, "fsync", disk_full)
    response = sqlite_site.client.put(f"/api/blobs/{name}", data=data, headers=headers)
    monkeypatch.undo()
    assert sqlite_site.client.head(f"/api/blobs/{name}", headers=headers).status_code == 404
    assert_error(response, 503)


# -- pull: whole records, unbound devices, kept project sets --------------------------------

def test_a_pulled_record_names_every_field_and_a_cleared_one_is_null(site):
    """"changes carry the whole current record": a client that merges `data` into its
    copy must learn that a field was cleared."""
    writer = site.device("foreman1")
    task_id = str(uuid.uuid4())
    writer.put("task", task_id, {"project_id": PROJECT, "title": "Cleared later",
                                 "description": "goes away"})
    assert results(writer.push())[0]["status"] == "applied"
    writer.put("task", task_id, {"description": None})
    assert results(writer.push())[0]["status"] == "applied"
    reader = site.device("foreman2")
    reader.pull_all()
    data = reader.records[("task", task_id)]
    assert data["description"] is None and data["title"] == "Cleared later"
    assert {"section_id", "assignee_id", "due_date", "priority", "progress", "planned_start",
            "planned_end", "depends_on", "photos", "status", "project_id"} <= set(data)
    assert data["assignee_id"] is None and data["status"] == "todo"


def test_a_device_that_has_only_pulled_is_bound_by_its_first_push(site):
    """"client_id ... bound to the user on first push": before that another user may
    pull on it; after it, the other user's pull is 403 too."""
    shared = str(uuid.uuid4())
    site.device("foreman1", client_id=shared).pull_all()
    second = site.device("foreman2", client_id=shared)
    second.pull_all()
    second.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "bound now"})
    assert results(second.push())[0]["status"] == "applied"
    status, body = site.transport("GET", f"/api/sync/pull?client_id={shared}", None,
                                  site.headers("foreman1"))
    assert status == 403 and body["error"]["code"] == "forbidden", body


def test_each_set_of_projects_is_kept_once(site):
    """A cursor's project set is written by the first pull that names it, not by every pull."""
    from server.syncing.models import ProjectSet
    with site.app.app_context():
        before = db.session.query(ProjectSet).count()
    for username in ("foreman1", "foreman2", "liaison1"):
        device = site.device(username)
        device.pull_all(limit=2)
        device.pull_all(limit=2)
    with site.app.app_context():
        kept = db.session.query(ProjectSet).all()
    assert len(kept) - before <= 1
    assert any(row.project_ids == [PROJECT] for row in kept)


def _member(site: Site, role: str) -> tuple[str, str]:
    """A new member of the demo project with `role`: (user id, token)."""
    with site.app.app_context():
        user = User(username=f"role-{uuid.uuid4().hex[:8]}", name="Role", password_hash="-")
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(project_id=PROJECT, user_id=user.id, role=role))
        token, _ = issue_token(user)
        db.session.commit()
        return user.id, token


def _set_role(site: Site, user_id: str, role: str) -> None:
    with site.app.app_context():
        db.session.query(Membership).filter_by(project_id=PROJECT, user_id=user_id).update(
            {"role": role})
        db.session.commit()


def test_a_role_change_sends_the_projects_records_again_as_the_new_role_reads_them(site):
    """"fields the caller's role may not read come back masked": also on a device that
    pulled them while its user could read them."""
    liaison = site.device("liaison1")
    feedback_id = str(uuid.uuid4())
    liaison.put("feedback", feedback_id, {"project_id": PROJECT, "category": "noise",
                                          "description": "Night work", "channel": "phone",
                                          "resident_name": "王小明",
                                          "resident_phone": "13812345678"})
    assert results(liaison.push())[0]["status"] == "applied"
    user_id, token = _member(site, "liaison")
    device = Device(site.transport, token)
    device.pull_all()
    assert device.records[("feedback", feedback_id)]["resident_phone"] == "13812345678"

    _set_role(site, user_id, "foreman")
    again = device.pull_all()
    assert ("feedback", feedback_id) in {(c["type"], c["id"]) for c in again}
    assert not any(c.get("evicted") for c in again)
    assert device.records[("feedback", feedback_id)]["resident_phone"] == "138****5678"
    assert device.pull_all() == []  # once, not on every pull

    _set_role(site, user_id, "supervisor")
    device.pull_all()
    assert device.records[("feedback", feedback_id)]["resident_phone"] == "13812345678"


@pytest.mark.parametrize("state", [
    {"s": 1, "k": "AAAAAAAAAAAAAAAAAAAAAA\x00A"},
    {"s": 1, "k": "AAAAAAAAAAAAAAAAAAAAAA\ud800A"},
    {"s": 1, "p": ["00000000-0000-4000-8000-00000000000\x00"]},
    {"s": 1, "p": ["\ud800"]},
])
def test_a_forged_cursor_holding_text_no_database_stores_is_400(site, state):
    """"A cursor the server did not make is 400" (docs/sync-protocol.md), never a 500."""
    from sync.pull import encode_cursor
    response = site.client.get(f"/api/sync/pull?client_id={uuid.uuid4()}&cursor={encode_cursor(state)}",
                               headers=site.headers("foreman1"))
    assert assert_error(response, 400)["code"] == "malformed"
