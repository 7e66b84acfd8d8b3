"""Approvals tied to their subjects, through the sync protocol: the server opens each kind
when its subject moves, a decision moves the subject in the same unit, retries and replays
change nothing, and who may decide follows the table."""
from __future__ import annotations

import uuid

import pytest

from server.approvals.table import RULES, SERVER_OPENED, approval_id, decision_comment_id
from server.demo import demo_id

from .conftest import DEMO_PASSWORD, demo_app
from .sync_client import Device, FlaskTransport

PROJECT = demo_id("project")
PHOTO = "cd" * 32


class Site:
    """The demo project on one app, a logged-in device per user."""

    def __init__(self, app):
        self.client = app.test_client()
        self.transport = FlaskTransport(self.client)
        self.tokens = {}

    def device(self, username: str) -> Device:
        if username not in self.tokens:
            response = self.client.post("/api/auth/login",
                                        json={"username": username, "password": DEMO_PASSWORD})
            self.tokens[username] = response.get_json()["token"]
        return Device(self.transport, self.tokens[username])

    def push(self, device: Device) -> list[dict]:
        status, body = device.push()
        assert status == 200, body
        return body["results"]

    def record(self, type_name: str, record_id: str, username: str = "admin1") -> dict | None:
        self.device(username)
        response = self.client.get(f"/api/records/{type_name}/{record_id}",
                                   headers={"Authorization": f"Bearer {self.tokens[username]}"})
        return response.get_json() if response.status_code == 200 else None

    def approvals_of(self, subject_id: str) -> list[dict]:
        """Every approval of a subject, as a member's pull receives them."""
        device = self.device("admin1")
        return [c["data"] | {"id": c["id"]} for c in device.pull_all()
                if c["type"] == "approval" and c["data"]["subject_id"] == subject_id]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_app("sqlite", tmp_path_factory.mktemp("approvals")) as app:
        yield Site(app)


@pytest.fixture(scope="module")
def pg_site(tmp_path_factory):
    with demo_app("postgresql", tmp_path_factory.mktemp("approvals-pg")) as app:
        yield Site(app)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_site(request):
    """The module's site on each database in turn."""
    return request.getfixturevalue("pg_site" if request.param == "postgresql" else "site")


# How each kind's subject is made and brought to the state its approval awaits, by whom.
SUBJECTS = {
    "task_acceptance": ("foreman1", "task", {"title": "Backfill trench A-03"},
                        ["doing", "done"]),
    "rectification": ("foreman1", "action", {"description": "Fence the trench",
                                             "check_id": demo_id("c1")}, ["done"]),
    "closure_review": ("liaison1", "feedback", {"category": "noise", "description": "Breaker",
                                                "satisfaction": 4},
                       ["acknowledged", "in_progress", "resolved"]),
    "check_closure": ("safety1", "safety_check", {"date": "2026-11-24"},
                      ["rectifying", "verified"]),
}
DECIDER = {"task_acceptance": "supervisor1", "rectification": "safety1",
           "closure_review": "supervisor1", "check_closure": "supervisor1"}


def awaiting(site: Site, kind: str) -> tuple[str, str, Device]:
    """A new subject moved to await an approval of `kind`: (subject id, approval id, the
    device that moved it)."""
    username, type_name, fields, steps = SUBJECTS[kind]
    device = site.device(username)
    subject = str(uuid.uuid4())
    device.put(type_name, subject, {"project_id": PROJECT, **fields})
    for step in steps:
        device.put(type_name, subject, {"status": step})
    results = site.push(device)
    assert [r["status"] for r in results] == ["applied"] * len(results), results
    return subject, approval_id(type_name, subject, kind, 1), device


@pytest.mark.parametrize("kind", list(SUBJECTS))
def test_each_kind_is_opened_once_by_its_subjects_move_and_approving_moves_the_subject(any_site, kind):
    site = any_site
    subject, approval, device = awaiting(site, kind)
    rule = RULES[kind]
    [opened] = site.approvals_of(subject)
    assert opened["id"] == approval
    assert (opened["kind"], opened["subject_type"], opened["status"], opened["cycle"]) == (
        kind, rule.subject_type, "pending", 1)
    assert opened["requested_by"] == demo_id(SUBJECTS[kind][0])

    decider = site.device(DECIDER[kind])
    decider.put("approval", approval, {"status": "approved", "decision_comment": "Seen on site"})
    [result] = site.push(decider)
    assert result["status"] == "applied", result
    assert site.record(rule.subject_type, subject)["data"]["status"] == rule.on_approve
    assert site.record("approval", approval)["data"]["status"] == "approved"
    assert len(site.approvals_of(subject)) == 1


@pytest.mark.parametrize("kind", list(SUBJECTS))
def test_rejecting_sends_the_subject_back_with_its_reason_and_the_next_move_opens_cycle_two(
        any_site, kind):
    site = any_site
    subject, approval, device = awaiting(site, kind)
    rule = RULES[kind]
    decider = site.device(DECIDER[kind])
    decider.put("approval", approval, {"status": "rejected"})
    decider.put("approval", approval, {"status": "rejected", "photos": {"add": [PHOTO]},
                                       "decision_comment": "沟槽底部仍有积水"})
    no_reason, sent_back = site.push(decider)
    assert no_reason["status"] == "rejected"
    assert no_reason["error"]["fields"] == {"decision_comment": ["required to reject"]}
    assert sent_back["status"] == "applied", sent_back
    assert site.record(rule.subject_type, subject)["data"]["status"] == rule.on_reject
    data = site.record("approval", approval)["data"]
    assert (data["status"], data["photos"]) == ("rejected", [PHOTO])
    comment = site.record("comment", decision_comment_id(approval))["data"]
    assert (comment["subject_type"], comment["subject_id"], comment["body"]) == (
        rule.subject_type, subject, "沟槽底部仍有积水")

    # Fixed and moved again: a second cycle, a new approval.
    device.put(rule.subject_type, subject, {"status": rule.awaiting})
    [moved] = site.push(device)
    assert moved["status"] == "applied", moved
    second = approval_id(rule.subject_type, subject, kind, 2)
    assert {a["id"]: a["cycle"] for a in site.approvals_of(subject)} == {approval: 1, second: 2}
    assert site.record("approval", second)["data"]["status"] == "pending"


def test_a_retried_push_and_a_replay_give_the_same_answers_and_one_approval(any_site):
    site = any_site
    username, type_name, fields, steps = SUBJECTS["task_acceptance"]
    device = site.device(username)
    subject = str(uuid.uuid4())
    device.put(type_name, subject, {"project_id": PROJECT, **fields})
    for step in steps:
        device.put(type_name, subject, {"status": step})
    batch = list(device.outbox)
    first = site.push(device)
    status, again = device.push(batch)
    assert status == 200
    assert [{k: v for k, v in r.items() if k != "replayed"} for r in again["results"]] == first
    assert all(r["replayed"] for r in again["results"])
    # A new mutation repeating the move (a client that lost its answer and rebased) opens none.
    device.put(type_name, subject, {"status": "done"})
    [repeat] = site.push(device)
    assert repeat["status"] == "applied"
    assert len(site.approvals_of(subject)) == 1


def test_the_decision_and_the_subjects_move_are_one_unit(site):
    """A decision on an approval whose subject moved on is refused, its payload kept."""
    subject, approval, device = awaiting(site, "task_acceptance")
    device.put("task", subject, {"status": "doing"})  # the foreman takes it back
    site.push(device)
    assert site.record("approval", approval)["data"]["status"] == "withdrawn"
    decider = site.device("supervisor1")
    decider.put("approval", approval, {"status": "approved", "decision_comment": "ok"})
    [late] = site.push(decider)
    assert late["status"] == "rejected"
    assert late["error"]["code"] == "invalid_transition"
    assert site.record("task", subject)["data"]["status"] == "doing"
    rejected = site.client.get("/api/sync/rejected", headers={
        "Authorization": f"Bearer {site.tokens['supervisor1']}"}).get_json()["rejected"]
    assert rejected[0]["payload"]["fields"] == {"status": "approved", "decision_comment": "ok"}


def test_a_deciders_direct_move_closes_the_pending_approval(site):
    subject, approval, _ = awaiting(site, "task_acceptance")
    decider = site.device("supervisor1")
    decider.put("task", subject, {"status": "accepted"})
    [moved] = site.push(decider)
    assert moved["status"] == "applied"
    assert site.record("approval", approval)["data"]["status"] == "approved"

    subject, approval, _ = awaiting(site, "rectification")
    verifier = site.device("safety1")
    verifier.put("action", subject, {"status": "open"})
    site.push(verifier)
    assert site.record("approval", approval)["data"]["status"] == "rejected"


def test_closing_a_complaint_needs_its_satisfaction_score(site):
    """Approving a closure review closes the complaint only with a score; without one the
    decision is refused and both stay as they were."""
    liaison = site.device("liaison1")
    subject = str(uuid.uuid4())
    liaison.put("feedback", subject, {"project_id": PROJECT, "category": "dust",
                                      "description": "Dust on cars"})
    for step in ("acknowledged", "in_progress", "resolved"):
        liaison.put("feedback", subject, {"status": step})
    site.push(liaison)
    approval = approval_id("feedback", subject, "closure_review", 1)
    decider = site.device("supervisor1")
    decider.put("approval", approval, {"status": "approved"})
    [refused] = site.push(decider)
    assert refused["status"] == "rejected"
    assert refused["error"]["fields"] == {"satisfaction": ["required to close feedback"]}
    assert site.record("approval", approval)["data"]["status"] == "pending"
    liaison.put("feedback", subject, {"satisfaction": 5})
    site.push(liaison)
    decider.put("approval", approval, {"status": "approved"})
    [applied] = site.push(decider)
    assert applied["status"] == "applied"
    data = site.record("feedback", subject)["data"]
    assert (data["status"], data["satisfaction"]) == ("closed", 5)


@pytest.mark.parametrize("kind, refused", [
    ("task_acceptance", ["foreman1", "safety1", "liaison1"]),
    ("rectification", ["foreman1", "liaison1"]),
    ("closure_review", ["liaison1", "foreman1", "safety1"]),
])
def test_only_the_kinds_deciders_decide(site, kind, refused):
    _, approval, _ = awaiting(site, kind)
    for username in refused:
        device = site.device(username)
        device.put("approval", approval, {"status": "approved"})
        [result] = site.push(device)
        assert result["error"]["code"] == "invalid_transition", (username, result)
    assert site.record("approval", approval)["data"]["status"] == "pending"


@pytest.mark.parametrize("kind", sorted(SERVER_OPENED))
def test_clients_cannot_open_the_kinds_the_server_opens(site, kind):
    device = site.device("supervisor1")
    device.put("approval", str(uuid.uuid4()), {"project_id": PROJECT, "subject_type": "task",
                                               "subject_id": demo_id("t2"), "kind": kind})
    [result] = site.push(device)
    assert result["status"] == "rejected"
    assert list(result["error"]["fields"]) == ["kind"]


def document_with_version(site: Site, kind: str, **version) -> tuple[str, list[dict]]:
    """A document of `kind` and its rev. A, published by the admin: (version id, results)."""
    admin = site.device("admin1")
    document, version_id = str(uuid.uuid4()), str(uuid.uuid4())
    admin.put("document", document, {"project_id": PROJECT, "kind": kind,
                                     "title": "W14 检查井位置东移", "number": "变更-009"})
    admin.put("document_version", version_id, {
        "project_id": PROJECT, "document_id": document, "file": PHOTO, "revision": "A",
        "note": "检查井东移 1.5 m", **version})
    return version_id, site.push(admin)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_change_orders_version_opens_its_approval_and_the_decision_is_recorded(
        site, pg_site, database):
    """Regression: a change order's approval was asked for by hand, or not at all."""
    site = pg_site if database == "postgresql" else site
    version, results = document_with_version(site, "change_order")
    assert [r["status"] for r in results] == ["applied", "applied"], results
    approval = approval_id("document_version", version, "change_order", 1)
    [opened] = site.approvals_of(version)
    assert opened["id"] == approval
    assert (opened["kind"], opened["subject_type"], opened["status"], opened["cycle"],
            opened["requested_by"]) == ("change_order", "document_version", "pending", 1,
                                        demo_id("admin1"))
    for refused in ("safety1", "foreman1", "liaison1"):
        device = site.device(refused)
        device.put("approval", approval, {"status": "approved"})
        assert site.push(device)[0]["error"]["code"] == "invalid_transition", refused
    decider = site.device("supervisor1")
    decider.put("approval", approval, {"status": "rejected"})
    decider.put("approval", approval, {"status": "rejected", "decision_comment": "费用未列明细"})
    no_reason, rejected = site.push(decider)
    assert no_reason["error"]["fields"] == {"decision_comment": ["required to reject"]}
    assert rejected["status"] == "applied", rejected
    data = site.record("approval", approval)["data"]
    assert (data["status"], data["decision_comment"]) == ("rejected", "费用未列明细")
    # The version itself is never edited: the decision is read from its approval.
    assert site.record("document_version", version)["data"]["revision"] == "A"


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_version_needing_signoff_opens_a_signoff_and_others_open_none(site, pg_site, database):
    site = pg_site if database == "postgresql" else site
    version, _ = document_with_version(site, "drawing", needs_signoff=True)
    [opened] = site.approvals_of(version)
    assert (opened["id"], opened["kind"]) == (
        approval_id("document_version", version, "signoff", 1), "signoff")
    decider = site.device("supervisor1")
    decider.put("approval", opened["id"], {"status": "approved", "decision_comment": "同意"})
    assert site.push(decider)[0]["status"] == "applied"
    assert site.record("approval", opened["id"])["data"]["status"] == "approved"
    # Not marked, or marked false: nothing to sign off. A change order marked is one approval.
    for kind, fields in (("drawing", {}), ("drawing", {"needs_signoff": False}),
                         ("minutes", {"needs_signoff": None})):
        plain, results = document_with_version(site, kind, **fields)
        assert results[-1]["status"] == "applied"
        assert site.approvals_of(plain) == [], (kind, fields)
    marked, _ = document_with_version(site, "change_order", needs_signoff=True)
    assert [a["kind"] for a in site.approvals_of(marked)] == ["change_order"]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_retried_version_opens_one_approval(site, pg_site, database):
    """A replayed batch, and the same version pushed again from another device (as after a
    lost answer), leave one approval."""
    site = pg_site if database == "postgresql" else site
    admin = site.device("admin1")
    document, version = str(uuid.uuid4()), str(uuid.uuid4())
    admin.put("document", document, {"project_id": PROJECT, "kind": "change_order",
                                     "title": "W15 井位调整"})
    fields = {"project_id": PROJECT, "document_id": document, "file": PHOTO, "revision": "A"}
    admin.put("document_version", version, fields)
    batch = list(admin.outbox)
    first = site.push(admin)
    status, again = admin.push(batch)
    assert status == 200 and all(r["replayed"] for r in again["results"])
    assert [{k: v for k, v in r.items() if k != "replayed"} for r in again["results"]] == first
    other = site.device("supervisor1")
    other.put("document_version", version, fields)
    assert site.push(other)[0]["status"] == "rejected"
    assert len(site.approvals_of(version)) == 1


def test_deleting_a_version_withdraws_its_pending_approval(site):
    version, _ = document_with_version(site, "change_order")
    admin = site.device("admin1")
    admin.delete("document_version", version)
    assert site.push(admin)[0]["status"] == "applied"
    approval = approval_id("document_version", version, "change_order", 1)
    assert site.record("approval", approval)["data"]["status"] == "withdrawn"


def test_a_kind_outside_the_table_is_asked_by_hand_and_its_decision_moves_nothing(site):
    foreman = site.device("foreman1")
    approval = str(uuid.uuid4())
    foreman.put("approval", approval, {"project_id": PROJECT, "subject_type": "task",
                                       "subject_id": demo_id("t2"), "kind": "permit_check",
                                       "note": "Road closure permit for K0+120", "cycle": 7})
    assert site.push(foreman)[0]["status"] == "applied"
    data = site.record("approval", approval)["data"]
    # Who asked and the cycle are the server's to say.
    assert (data["requested_by"], data["cycle"]) == (demo_id("foreman1"), 1)
    decider = site.device("supervisor1")
    decider.put("approval", approval, {"status": "approved", "decision_comment": "Go ahead"})
    assert site.push(decider)[0]["status"] == "applied"
    assert site.record("approval", approval)["data"]["status"] == "approved"
    assert site.record("task", demo_id("t2"))["data"]["status"] != "accepted"


def test_the_servers_writes_reach_every_device_with_their_history(site):
    subject, approval, _ = awaiting(site, "task_acceptance")
    watcher = site.device("foreman2")
    changes = {(c["type"], c["id"]): c for c in watcher.pull_all()}
    opened = changes[("approval", approval)]
    assert changes[("task", subject)]["seq"] < opened["seq"]
    assert opened["created_by"] == demo_id("foreman1")
    response = site.client.get(f"/api/records/approval/{approval}/history",
                               headers={"Authorization": f"Bearer {site.tokens['foreman2']}"})
    entries = response.get_json()["history"]
    fields = {entry["field"]: entry["new"] for entry in entries}
    assert fields["kind"] == "task_acceptance" and fields["cycle"] == 1
    assert {entry["user"] for entry in entries} == {demo_id("foreman1")}


def test_the_subject_fields_of_an_opened_approval_cannot_change(site):
    _, approval, _ = awaiting(site, "task_acceptance")
    admin = site.device("admin1")
    admin.put("approval", approval, {"subject_id": demo_id("t2")})
    admin.put("approval", approval, {"cycle": 3})
    first, second = site.push(admin)
    assert first["error"]["fields"] == {"subject_id": ["cannot be changed after creation"]}
    assert second["error"]["fields"] == {"cycle": ["cannot be changed after creation"]}


def test_a_task_acceptance_round_on_postgresql(pg_site):
    subject, approval, device = awaiting(pg_site, "task_acceptance")
    decider = pg_site.device("supervisor1")
    decider.put("approval", approval, {"status": "rejected", "decision_comment": "积水"})
    assert pg_site.push(decider)[0]["status"] == "applied"
    assert pg_site.record("task", subject)["data"]["status"] == "doing"
    device.put("task", subject, {"status": "done"})
    pg_site.push(device)
    second = approval_id("task", subject, "task_acceptance", 2)
    decider.put("approval", second, {"status": "approved"})
    assert pg_site.push(decider)[0]["status"] == "applied"
    assert pg_site.record("task", subject)["data"]["status"] == "accepted"


def test_deleting_a_subject_withdraws_its_pending_approval(site):
    subject, approval, _ = awaiting(site, "task_acceptance")
    admin = site.device("admin1")
    admin.delete("task", subject)
    [deleted] = site.push(admin)
    assert deleted["status"] == "applied"
    assert site.record("approval", approval)["data"]["status"] == "withdrawn"
