"""The sync protocol over HTTP (Flask test client): push results, merges, pull, eviction,
tombstones, the clock clamp and bad input. The key cases run on PostgreSQL too."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid

import pytest
from sqlalchemy import event, func, select

from server.demo import change_order_approval, demo_id
from server.extensions import db
from server.syncing import cursors
from server.syncing.maintenance import prune_tombstones
from server.syncing.models import (ChangeLog, Conflict, Device as DeviceRow, DeviceResult,
                                   FieldHistory, RejectedMutation, SyncCounter)
from server.records import KINDS
from sync.hlc import MAX_DRIFT_MS, parse_hlc
from sync.pull import encode_cursor

from .demo_site import DemoSite
from .sync_client import Device, FlaskTransport

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
PHOTO_A = "a" * 64
PHOTO_B = "b" * 64
# Known engine bug, reported to the lead: a put that changes only merge metadata (a
# newer clock for an unchanged value, a new tag for an element already present) is
# not saved, so the winner of a later merge depends on arrival order.

# -- helpers -----------------------------------------------------------------------------

@pytest.fixture
def auth(app, demo):
    """Replaces conftest's login-based `auth` in this module: tokens issued directly
    (logging in costs an Argon2 check per user per test, and login is not what these tests
    are about)."""
    return DemoSite(app)


@pytest.fixture
def devices(client, auth):
    """Makes devices of demo users: devices("foreman1", clock_offset_ms=...)."""
    def make(username: str, **kwargs) -> Device:
        return Device(FlaskTransport(client), auth.token(username), **kwargs)
    return make


def counts(app) -> dict[str, int]:
    """Rows of every table a push may write, and the seq counter."""
    tables = [kind.model.__table__ for kind in KINDS.values()] + [
        ChangeLog.__table__, FieldHistory.__table__, Conflict.__table__,
        RejectedMutation.__table__, DeviceResult.__table__, DeviceRow.__table__]
    with app.app_context():
        found = {t.name: db.session.execute(select(func.count()).select_from(t)).scalar_one()
                 for t in tables}
        found["seq"] = db.session.execute(select(SyncCounter.seq)).scalar_one()
        db.session.remove()
    return found


RECORD_TABLES = [kind.model.__table__.name for kind in KINDS.values()] + [
    "change_log", "field_history", "conflicts"]


def records_unchanged(before: dict, after: dict) -> bool:
    """Whether no record, change, history or conflict row was written in between."""
    return all(before[name] == after[name] for name in RECORD_TABLES)


def get(client, auth, username: str, path: str):
    response = client.get(path, headers=auth.headers(username))
    return response.status_code, response.get_json()


def history(client, auth, username: str, type_name: str, record_id: str) -> list[dict]:
    status, body = get(client, auth, username, f"/api/records/{type_name}/{record_id}/history")
    assert status == 200, body
    return body["history"]


def current(client, auth, username: str, type_name: str, record_id: str) -> dict:
    status, body = get(client, auth, username, f"/api/records/{type_name}/{record_id}")
    assert status == 200, body
    return body


def new_task(device: Device, project_id: str, title: str = "Backfill trench A-03") -> str:
    """Create a task through `device` (pushed at once); returns its id."""
    task_id = str(uuid.uuid4())
    device.put("task", task_id, {"project_id": project_id, "title": title})
    status, body = device.push()
    assert status == 200 and body["results"][-1]["status"] == "applied", body
    return task_id


def only_result(pushed: tuple[int, dict]) -> dict:
    status, body = pushed
    assert status == 200, body
    assert len(body["results"]) == 1, body
    return body["results"][0]


def assert_error(response, status: int | tuple[int, ...]) -> dict:
    """A protocol error: the status, and the one JSON error shape."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True))
    body = response.get_json()
    assert set(body) == {"error"} and {"code", "message", "fields"} <= set(body["error"]), body
    return body["error"]


# -- applied and merged: lww -------------------------------------------------------------

def test_put_is_applied_and_pulled_back_whole(devices, demo):
    device = devices("foreman1")
    task_id = str(uuid.uuid4())
    device.put("task", task_id, {"project_id": demo["project_id"], "title": "Shore trench B02",
                                 "priority": "high", "photos": {"add": [PHOTO_A]}})
    status, body = device.push()
    assert status == 200
    assert body["last_mid"] == 1
    [result] = body["results"]
    assert result["mid"] == 1 and result["status"] == "applied" and result["seq"] > 0

    changes = device.pull_all()
    [mine] = [c for c in changes if c["id"] == task_id]
    assert mine["seq"] == result["seq"] and mine["deleted"] is False
    assert mine["data"]["title"] == "Shore trench B02" and mine["data"]["status"] == "todo"
    assert mine["data"]["photos"] == [PHOTO_A]
    assert mine["updated_by"] == demo["users"]["foreman1"]


@BOTH
def test_lww_lower_hlc_loses_to_the_inbox_and_to_history(client, auth, devices, demo):
    task_id = demo_id("t4")
    early = devices("foreman1")
    late = devices("foreman2", clock_offset_ms=5_000)
    early.pull_all()
    late.pull_all()
    # Both edit the title offline; foreman2's clock is ahead, so foreman1's write is older.
    early.put("task", task_id, {"title": "Probe gas main by hand (foreman1)"})
    late.put("task", task_id, {"title": "Probe gas main by hand (foreman2)"})
    losing_hlc = early.outbox[0]["hlc"]

    assert only_result(late.push())["status"] == "applied"
    merged = only_result(early.push())

    assert merged["status"] == "merged"
    assert merged["conflicts"] == [{"field": "title", "yours": "Probe gas main by hand (foreman1)",
                                    "kept": "Probe gas main by hand (foreman2)",
                                    "by": demo["users"]["foreman2"]}]
    assert current(client, auth, "foreman1", "task", task_id)["data"]["title"] == \
        "Probe gas main by hand (foreman2)"
    status, inbox = get(client, auth, "foreman1", "/api/sync/conflicts")
    assert status == 200
    [conflict] = [c for c in inbox["conflicts"] if c["record_id"] == task_id]
    assert (conflict["field"], conflict["yours"], conflict["kept"], conflict["by"]) == (
        "title", "Probe gas main by hand (foreman1)", "Probe gas main by hand (foreman2)",
        demo["users"]["foreman2"])
    assert get(client, auth, "foreman2", "/api/sync/conflicts")[1]["conflicts"] == []
    [lost] = [h for h in history(client, auth, "supervisor1", "task", task_id) if h["lost"]]
    assert lost["field"] == "title" and lost["new"] == "Probe gas main by hand (foreman1)"
    assert lost["user"] == demo["users"]["foreman1"] and lost["hlc"] == losing_hlc


def test_lww_winner_does_not_depend_on_arrival_order(client, auth, devices, demo):
    task_id = demo_id("t6")
    early = devices("foreman1")
    late = devices("foreman2", clock_offset_ms=5_000)
    early.pull_all()
    late.pull_all()
    early.put("task", task_id, {"title": "older title", "progress": 10})
    late.put("task", task_id, {"title": "newer title"})

    # The older write arrives first this time: it is applied, then overwritten, and
    # its author (who never saw the newer write) is told in the conflict inbox.
    assert only_result(early.push())["status"] == "applied"
    assert only_result(late.push())["status"] == "applied"

    data = current(client, auth, "foreman1", "task", task_id)["data"]
    assert (data["title"], data["progress"]) == ("newer title", 10)
    [conflict] = get(client, auth, "foreman1", "/api/sync/conflicts")[1]["conflicts"]
    assert (conflict["field"], conflict["yours"], conflict["kept"]) == (
        "title", "older title", "newer title")
    titles = [(h["old"], h["new"], h["lost"])
              for h in history(client, auth, "foreman1", "task", task_id) if h["field"] == "title"]
    titles = titles[-2:]
    assert titles == [("沥青下面层试验段摊铺", "older title", False),
                      ("older title", "newer title", False)]


# -- set and map -------------------------------------------------------------------------

@BOTH
@pytest.mark.parametrize("remove_first", [True, False])
def test_set_concurrent_add_and_remove_keep_the_element(client, auth, devices, demo,
                                                         remove_first):
    adder = devices("foreman1")
    remover = devices("foreman2")
    task_id = new_task(adder, demo["project_id"])
    adder.put("task", task_id, {"photos": {"add": [PHOTO_A, PHOTO_B]}})
    adder.push()
    remover.pull_all()
    adder.pull_all()
    # Offline: foreman2 removes both photos; foreman1 adds photo A again.
    remover.put("task", task_id, {"photos": {"remove": [PHOTO_A, PHOTO_B]}})
    adder.put("task", task_id, {"photos": {"add": [PHOTO_A]}})

    order = [remover, adder] if remove_first else [adder, remover]
    for device in order:
        assert only_result(device.push())["status"] == "applied"

    # A survives (a concurrent add wins); B, which nobody re-added, is gone.
    assert current(client, auth, "foreman1", "task", task_id)["data"]["photos"] == [PHOTO_A]
    for device in (adder, remover):
        device.pull_all()
        assert device.records[("task", task_id)]["photos"] == [PHOTO_A]


@BOTH
def test_map_keys_merge_one_by_one(client, auth, devices, demo):
    check_id = demo_id("c1")
    safety = devices("safety1")
    foreman = devices("foreman1", clock_offset_ms=5_000)
    safety.pull_all()
    foreman.pull_all()
    # Offline: different keys, the same key (EX03), and a removal (EX04).
    safety.put("safety_check", check_id,
               {"results": {"EX01": "fail", "EX03": "fail", "EX04": None}})
    foreman.put("safety_check", check_id, {"results": {"EX02": "pass", "EX03": "na"}})

    assert only_result(foreman.push())["status"] == "applied"
    merged = only_result(safety.push())

    assert merged["status"] == "merged"
    assert merged["conflicts"] == [{"field": "results.EX03", "yours": "fail", "kept": "na",
                                    "by": demo["users"]["foreman1"]}]
    results = current(client, auth, "safety1", "safety_check", check_id)["data"]["results"]
    assert results == {"EX01": "fail", "EX02": "pass", "EX03": "na"}

    # A put older than the removal cannot bring EX04 back.
    stale = devices("foreman2", clock_offset_ms=-60_000)
    stale.put("safety_check", check_id, {"results": {"EX04": "pass"}})
    assert only_result(stale.push())["status"] == "merged"
    results = current(client, auth, "safety1", "safety_check", check_id)["data"]["results"]
    assert "EX04" not in results


@pytest.mark.parametrize("same_value_first", [True, False])
def test_lww_rewriting_the_same_value_still_takes_the_clock(client, auth, devices, demo,
                                                             same_value_first):
    """The highest hlc wins even when it wrote the value the field already had."""
    task_id = demo_id("t7")
    title = current(client, auth, "foreman1", "task", task_id)["data"]["title"]
    newest = devices("foreman1", clock_offset_ms=8_000)
    middle = devices("foreman2", clock_offset_ms=4_000)
    newest.put("task", task_id, {"title": title})
    middle.put("task", task_id, {"title": "a concurrent rename"})
    for device in ([newest, middle] if same_value_first else [middle, newest]):
        device.push()
    assert current(client, auth, "foreman1", "task", task_id)["data"]["title"] == title


@pytest.mark.parametrize("removal_first", [True, False])
def test_map_removing_an_absent_key_still_takes_the_clock(client, auth, devices, demo,
                                                          removal_first):
    """A newer removal of a key beats an older put of it, whichever arrives first."""
    check_id = demo_id("c2")
    remover = devices("safety1", clock_offset_ms=8_000)
    writer = devices("foreman1", clock_offset_ms=4_000)
    remover.put("safety_check", check_id, {"results": {"EL09": None}})
    writer.put("safety_check", check_id, {"results": {"EL09": "fail"}})
    for device in ([remover, writer] if removal_first else [writer, remover]):
        device.push()
    results = current(client, auth, "safety1", "safety_check", check_id)["data"]["results"]
    assert "EL09" not in results


# -- state: commit order -----------------------------------------------------------------

@BOTH
def test_second_contrary_decision_is_rejected_and_kept_for_its_author(client, auth, devices,
                                                                     demo):
    approval_id = change_order_approval()
    supervisor = devices("supervisor1")
    admin = devices("admin1", clock_offset_ms=5_000)
    supervisor.pull_all()
    admin.pull_all()
    supervisor.put("approval", approval_id, {"status": "approved"})
    admin.put("approval", approval_id, {"status": "rejected", "decision_comment": "Redo W14"})

    # The first decision committed wins although its hlc is lower: a state machine
    # follows commit order.
    assert only_result(supervisor.push())["status"] == "applied"
    before = counts(client.application)
    refused = only_result(admin.push())

    assert refused["status"] == "rejected" and refused["error"]["code"] == "invalid_transition"
    assert records_unchanged(before, counts(client.application))
    data = current(client, auth, "admin1", "approval", approval_id)["data"]
    assert data["status"] == "approved" and data.get("decision_comment") is None

    status, body = get(client, auth, "admin1", "/api/sync/rejected")
    assert status == 200
    [kept] = body["rejected"]
    assert kept["mid"] == 1 and kept["client_id"] == admin.client_id
    assert kept["record_id"] == approval_id and kept["type"] == "approval"
    assert kept["payload"]["fields"] == {"status": "rejected", "decision_comment": "Redo W14"}
    assert "fields" not in kept  # the payload is given once
    assert kept["error"]["code"] == "invalid_transition"
    assert get(client, auth, "supervisor1", "/api/sync/rejected")[1]["rejected"] == []

    # Only its author dismisses it; again is 204 too (a DELETE retried after a lost answer).
    path = f"/api/sync/rejected/{kept['id']}"
    assert_error(client.delete(path, headers=auth.headers("supervisor1")), 404)
    assert client.delete(path, headers=auth.headers("admin1")).status_code == 204
    assert get(client, auth, "admin1", "/api/sync/rejected")[1]["rejected"] == []
    assert client.delete(path, headers=auth.headers("admin1")).status_code == 204
    assert_error(client.delete(path, headers=auth.headers("supervisor1")), 404)


def test_a_transition_the_role_may_not_make_is_invalid_transition(devices, demo):
    foreman = devices("foreman2")
    refused = only_result(foreman.push([{
        "mid": 1, "op": "put", "type": "task", "id": demo_id("t3"), "hlc": foreman.hlc(),
        "fields": {"status": "accepted"}}]))
    assert refused["status"] == "rejected" and refused["error"]["code"] == "invalid_transition"


# -- delete ------------------------------------------------------------------------------

@BOTH
def test_delete_beats_a_later_put_and_a_concurrent_one(client, auth, devices, demo):
    deleter = devices("foreman1")
    editor = devices("foreman2", clock_offset_ms=5_000)
    task_id = new_task(deleter, demo["project_id"])
    editor.pull_all()
    # A put with a higher hlc that arrives first, then the delete: the delete wins.
    editor.put("task", task_id, {"title": "edited while it was deleted"})
    assert only_result(editor.push())["status"] == "applied"
    deleter.delete("task", task_id)
    deleted = only_result(deleter.push())
    assert deleted["status"] == "applied"

    # A later put, even with a higher hlc, is rejected `deleted`, its payload kept.
    editor.put("task", task_id, {"title": "too late", "progress": 50})
    refused = only_result(editor.push())
    assert refused["status"] == "rejected" and refused["error"]["code"] == "deleted"
    [kept] = get(client, auth, "foreman2", "/api/sync/rejected")[1]["rejected"]
    assert kept["payload"]["fields"] == {"title": "too late", "progress": 50}

    record = current(client, auth, "foreman1", "task", task_id)
    assert record["deleted"] is True and record["seq"] == deleted["seq"]
    fresh = devices("supervisor1")
    [tombstone] = [c for c in fresh.pull_all() if c["id"] == task_id]
    assert tombstone["deleted"] is True and tombstone["data"] == {}
    # Deleting again is harmless.
    editor.delete("task", task_id)
    assert only_result(editor.push()) == {"mid": 3, "status": "applied", "seq": deleted["seq"]}


# -- replays, splits and gaps -------------------------------------------------------------

@BOTH
def test_replayed_batch_gives_the_same_answers_and_writes_nothing(client, devices, demo):
    other = devices("foreman2", clock_offset_ms=5_000)
    device = devices("foreman1")
    task_id = str(uuid.uuid4())
    other_id = new_task(other, demo["project_id"], "written by foreman2")
    other.put("task", other_id, {"priority": "urgent"})
    other.push()
    device.put("task", task_id, {"project_id": demo["project_id"], "title": "created"})
    device.put("task", task_id, {"progress": 40})
    device.put("task", other_id, {"priority": "low"})          # loses: merged
    device.put("task", demo_id("t3"), {"status": "accepted"})  # rejected
    batch = list(device.outbox)
    status, first = device.push()
    assert status == 200
    assert [r["status"] for r in first["results"]] == ["applied", "applied", "merged", "rejected"]
    before = counts(client.application)

    for split in ([batch], [batch[:2], batch[2:]], [batch[1:3], batch[3:], batch[:1]]):
        answers = {}
        for part in split:
            status, body = device.push(part)
            assert status == 200 and body["last_mid"] == 4
            answers.update({r["mid"]: r for r in body["results"]})
        for result in first["results"]:
            assert answers[result["mid"]] == {**result, "replayed": True}
    assert counts(client.application) == before

    # A batch that mixes answered and new mids replays the old and applies the new.
    device.put("task", task_id, {"progress": 60})
    status, body = device.push(batch[2:] + device.outbox)
    assert [(r["mid"], r["status"], r.get("replayed")) for r in body["results"]] == [
        (3, "merged", True), (4, "rejected", True), (5, "applied", None)]
    assert body["results"][-1]["seq"] > before["seq"]


@BOTH
def test_a_gap_stops_the_batch_and_nothing_after_it_is_applied(client, devices, demo):
    device = devices("foreman1")
    mutations = [device.put("task", str(uuid.uuid4()), {"project_id": demo["project_id"],
                                                       "title": f"task {n}"}) for n in range(4)]
    before = counts(client.application)
    status, body = device.push([mutations[1], mutations[2]])
    assert status == 200
    assert body == {"results": [{"mid": 2, "status": "gap"}, {"mid": 3, "status": "gap"}],
                    "last_mid": 0}
    assert records_unchanged(before, counts(client.application))

    status, body = device.push([mutations[0], mutations[2], mutations[3]])
    assert [(r["mid"], r["status"]) for r in body["results"]] == [
        (1, "applied"), (3, "gap"), (4, "gap")]
    assert body["last_mid"] == 1
    assert counts(client.application)["tasks"] == before["tasks"] + 1

    status, body = device.push()
    assert [(r["mid"], r["status"]) for r in body["results"]] == [
        (2, "applied"), (3, "applied"), (4, "applied")]
    assert body["last_mid"] == 4 and device.outbox == []


def test_a_rejected_mutation_still_advances_last_mid(client, auth, devices, demo):
    device = devices("foreman1")
    device.put("task", str(uuid.uuid4()), {"project_id": demo["project_id"]})  # no title
    device.put("task", str(uuid.uuid4()), {"project_id": demo["project_id"], "title": "ok"})
    status, body = device.push()
    assert [r["status"] for r in body["results"]] == ["rejected", "applied"]
    assert body["results"][0]["error"]["code"] == "invalid"
    assert body["results"][0]["error"]["fields"] == {"title": ["required"]}
    assert body["last_mid"] == 2
    [kept] = get(client, auth, "foreman1", "/api/sync/rejected")[1]["rejected"]
    assert kept["mid"] == 1
    status, pulled = device.send("GET", f"/api/sync/pull?client_id={device.client_id}",
                                 None, device.headers)
    assert pulled["last_mid"] == 2


def test_another_users_client_id_is_403_on_push_and_pull(client, devices, demo):
    owner = devices("foreman1")
    new_task(owner, demo["project_id"])
    thief = devices("foreman2", client_id=owner.client_id)
    thief.put("task", str(uuid.uuid4()), {"project_id": demo["project_id"], "title": "mine"})
    before = counts(client.application)

    status, body = thief.push([{**thief.outbox[0], "mid": 2}])
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, body = thief.send("GET", f"/api/sync/pull?client_id={owner.client_id}", None,
                              thief.headers)
    assert status == 403 and body["error"]["code"] == "forbidden"
    assert counts(client.application) == before


# -- pull --------------------------------------------------------------------------------

@BOTH
def test_small_pages_never_skip_or_repeat_a_change(devices, demo):
    writer = devices("foreman1")
    ids = [new_task(writer, demo["project_id"], f"task {n}") for n in range(12)]
    reader = devices("foreman2")
    seqs: list[int] = []
    reader.cursor = None
    # Page three at a time, with writes between pages: to records already sent and to
    # records not sent yet.
    for round_ in range(40):
        path = f"/api/sync/pull?client_id={reader.client_id}&limit=3"
        if reader.cursor:
            path += f"&cursor={reader.cursor}"
        status, body = reader.send("GET", path, None, reader.headers)
        assert status == 200 and len(body["changes"]) <= 3
        for change in body["changes"]:
            seqs.append(change["seq"])
            reader.records[(change["type"], change["id"])] = change["data"]
        reader.cursor = body["cursor"]
        if round_ in (2, 5, 9):
            writer.put("task", ids[round_], {"title": f"edited in round {round_}"})
            writer.put("task", ids[-1], {"progress": round_})
            writer.push()
        if not body["has_more"] and round_ > 9:
            break
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    fresh = devices("foreman2")
    fresh.pull_all(limit=1000)
    assert reader.records == fresh.records
    assert reader.records[("task", ids[9])]["title"] == "edited in round 9"
    assert reader.records[("task", ids[-1])]["progress"] == 9


@BOTH
def test_a_change_committed_while_a_page_is_read_is_not_skipped(app, client, auth, devices, demo):
    """Regression: a page read the change log and the record bodies in two snapshots, so
    a record committed in between came back with its newer seq, and as the page's last
    change moved the cursor past a change not yet sent."""
    first, second = demo_id("t6"), demo_id("t7")
    reader = devices("foreman2")
    reader.pull_all()
    writer = devices("foreman1")
    writer.put("task", first, {"title": "first edit"})
    writer.put("task", second, {"title": "second edit"})
    writer.push()
    racer = Device(FlaskTransport(app.test_client()), auth.token("supervisor1"))
    racer.put("task", first, {"progress": 77})
    armed = threading.Event()
    armed.set()

    def commit_between_the_reads(conn, cursor, statement, parameters, context, many):
        # The page has read the change log and now loads the bodies: another worker
        # commits a newer version of the page's record right then.
        if armed.is_set() and statement.lstrip().startswith("SELECT") and "FROM tasks" in statement:
            armed.clear()
            pusher = threading.Thread(target=racer.push)
            pusher.start()
            pusher.join(timeout=30)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", commit_between_the_reads)
    try:
        received = reader.pull_all(limit=1)
    finally:
        event.remove(engine, "before_cursor_execute", commit_between_the_reads)
    assert not armed.is_set() and racer.outbox == []

    seqs = [change["seq"] for change in received]
    assert seqs == sorted(set(seqs))
    assert reader.records[("task", second)]["title"] == "second edit"
    assert reader.records[("task", first)]["progress"] == 77


def test_pull_masks_resident_details_for_roles_that_may_not_read_them(devices):
    foreman = devices("foreman1")
    liaison = devices("liaison1")
    foreman.pull_all(limit=4)
    liaison.pull_all(limit=4)
    key = ("feedback", demo_id("f1"))
    assert liaison.records[key]["resident_phone"] == "13812345678"
    assert liaison.records[key]["resident_name"] == "周女士"
    assert foreman.records[key]["resident_phone"] == "138****5678"
    assert foreman.records[key]["resident_name"] == "周**"
    assert foreman.records[key]["description"] == liaison.records[key]["description"]


def test_a_malformed_cursor_is_400(devices):
    device = devices("foreman1")
    for cursor in ("not-a-cursor", "eyJzIjotMX0", "bnVsbA"):
        status, body = device.send("GET", f"/api/sync/pull?client_id={device.client_id}"
                                   f"&cursor={cursor}", None, device.headers)
        assert status == 400 and body["error"]["code"] == "malformed", (cursor, body)


def _set_roles(client, auth, demo, username: str, roles: list[str]):
    response = client.put(f"/api/projects/{demo['project_id']}/members/{demo['users'][username]}",
                          json={"roles": roles}, headers=auth.headers("admin1"))
    assert response.status_code == 200, response.get_json()


@BOTH
def test_losing_membership_evicts_and_regaining_it_backfills(client, auth, devices, demo):
    device = devices("foreman2")
    device.pull_all(limit=5)
    held = set(device.records)
    assert len(held) > 20

    _set_roles(client, auth, demo, "foreman2", [])
    evicted = device.pull_all(limit=4)
    assert {(c["type"], c["id"]) for c in evicted} == held
    assert all(c["deleted"] is True and c["evicted"] is True and "data" not in c
               for c in evicted)
    assert device.records == {}
    assert device.pull_all(limit=4) == []

    # Meanwhile the project moves on; coming back brings everything, once.
    writer = devices("foreman1")
    added = new_task(writer, demo["project_id"], "written while foreman2 was away")
    _set_roles(client, auth, demo, "foreman2", ["foreman"])
    backfilled = device.pull_all(limit=4)
    keys = [(c["type"], c["id"]) for c in backfilled if not c["deleted"]]
    assert len(keys) == len(set(keys))
    assert ("task", added) in device.records
    fresh = devices("foreman2")
    fresh.pull_all()
    assert device.records == fresh.records


def test_eviction_covers_records_changed_after_the_cursor(client, auth, devices, demo):
    """Regression: evicting a project sent only records whose latest change was at or
    below the cursor, so a record edited after the device's last pull stayed on it."""
    device = devices("foreman2")
    device.pull_all()
    writer = devices("foreman1")
    writer.put("task", demo_id("t4"), {"title": "edited after foreman2's last pull"})
    writer.push()

    _set_roles(client, auth, demo, "foreman2", [])
    device.pull_all(limit=4)
    assert ("task", demo_id("t4")) not in device.records
    assert device.records == {}


@BOTH
def test_pruned_tombstones_send_old_cursors_to_resync(app, devices, demo):
    old = devices("foreman2")
    old.pull_all()
    stale_cursor = old.cursor
    deleter = devices("foreman1")
    deleter.delete("task", demo_id("t2"))
    assert only_result(deleter.push())["status"] == "applied"
    synced = devices("supervisor1")
    synced.pull_all()

    with app.app_context():
        pruned, floor = prune_tombstones(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
        db.session.remove()
    assert pruned == 1 and floor > 0

    status, body = old.send("GET", f"/api/sync/pull?client_id={old.client_id}"
                            f"&cursor={stale_cursor}", None, old.headers)
    assert status == 410 and body["error"]["code"] == "resync"
    # A device synced past the tombstone goes on; one starting over gets no trace of it.
    assert synced.pull_all() == []
    fresh = devices("foreman2")
    fresh.pull_all()
    assert ("task", demo_id("t2")) not in fresh.records
    assert len(fresh.records) == len(synced.records)


# -- the clock clamp ---------------------------------------------------------------------

@BOTH
def test_a_clock_in_the_future_is_clamped_and_loses_to_a_later_honest_write(client, auth,
                                                                            devices, demo):
    task_id = demo_id("t5")
    ahead = devices("foreman1", clock_offset_ms=2 * 3600 * 1000)
    ahead.pull_all()
    ahead.put("task", task_id, {"title": "from two hours ahead"})
    sent_hlc = ahead.outbox[0]["hlc"]
    before_ms = int(time.time() * 1000)
    assert only_result(ahead.push())["status"] == "applied"
    after_ms = int(time.time() * 1000)

    [entry] = [h for h in history(client, auth, "foreman1", "task", task_id)
               if h["new"] == "from two hours ahead"]
    assert entry["clamped"] is True and entry["original_hlc"] == sent_hlc
    clamped = parse_hlc(entry["hlc"])
    assert before_ms + MAX_DRIFT_MS <= clamped.physical <= after_ms + MAX_DRIFT_MS
    assert parse_hlc(sent_hlc).physical > clamped.physical + 3600 * 1000

    # Within the minute of drift allowed, a correct clock still loses ...
    honest = devices("foreman2")
    honest.put("task", task_id, {"title": "honest, one second later"})
    assert only_result(honest.push())["status"] == "merged"
    # ... but a write stamped past the clamp (as one made 61 s later would be) wins,
    # where the unclamped two-hours-ahead stamp would have beaten it.
    time.sleep(0.005)
    later = devices("foreman2", clock_offset_ms=clamped.physical + 1 - int(time.time() * 1000))
    later.put("task", task_id, {"title": "honest, past the clamp"})
    assert later.outbox[0]["hlc"] < sent_hlc
    assert only_result(later.push())["status"] == "applied"

    assert current(client, auth, "foreman1", "task", task_id)["data"]["title"] == \
        "honest, past the clamp"
    [won] = [h for h in history(client, auth, "foreman1", "task", task_id)
             if h["new"] == "honest, past the clamp"]
    assert won["clamped"] is False and won["lost"] is False
    inbox = get(client, auth, "foreman1", "/api/sync/conflicts")[1]["conflicts"]
    assert [(c["yours"], c["kept"]) for c in inbox] == [
        ("from two hours ahead", "honest, past the clamp")]


# -- bad pushes: protocol answers, never a 500, nothing written ----------------------------

def post_push(client, headers: dict, body) -> object:
    """POST a push body as ASCII JSON (so even lone surrogates travel as escapes)."""
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post("/api/sync/push", data=text, headers=headers,
                       content_type="application/json")


def _envelope(client_id: str, mutations) -> dict:
    return {"client_id": client_id, "schema_version": 1, "mutations": mutations}


CID = "6b0a7f9e-2f55-4c1a-9d7e-1f2a3b4c5d6e"
BAD_ENVELOPES = {
    "not JSON": ('{"client_id": "', 400),
    "a JSON list": ([], (400, 422)),
    "JSON null": ("null", (400, 422)),
    "no client_id": ({"schema_version": 1, "mutations": []}, (400, 422)),
    "client_id not a UUID": ({"client_id": "phone-1", "schema_version": 1, "mutations": []},
                             (400, 422)),
    "schema_version 2": ({"client_id": CID, "schema_version": 2, "mutations": []}, (400, 422)),
    "schema_version as text": ({"client_id": CID, "schema_version": "1", "mutations": []},
                               (400, 422)),
    "no mutations": ({"client_id": CID, "schema_version": 1}, (400, 422)),
    "mutations not a list": ({"client_id": CID, "schema_version": 1, "mutations": {"mid": 1}},
                             (400, 422)),
    "a mutation not an object": (_envelope(CID, [1]), 400),
    "mid not an integer": (_envelope(CID, [{"mid": "1", "op": "put"}]), 400),
    "mid a boolean": (_envelope(CID, [{"mid": True, "op": "put"}]), 400),
    "mid zero": (_envelope(CID, [{"mid": 0, "op": "put"}]), 400),
    "mid repeated": (_envelope(CID, [{"mid": 1}, {"mid": 1}]), 400),
    "over the size limit": (_envelope(CID, [{"mid": 1, "op": "put", "type": "task",
                                             "fields": {"title": "x" * 3_000_000}}]), 413),
}


def test_a_malformed_push_is_a_protocol_error_and_writes_nothing(client, auth, demo):
    headers = auth.headers("foreman1")
    before = counts(client.application)
    for case, (body, statuses) in BAD_ENVELOPES.items():
        response = post_push(client, headers, body)
        try:
            assert_error(response, statuses)
        except AssertionError as error:
            raise AssertionError(f"{case}: {error}") from None
    assert counts(client.application) == before


BAD_MUTATIONS = {
    "hlc malformed": (dict(hlc="yesterday"), "invalid"),
    "hlc of another device": (dict(hlc=f"{int(time.time() * 1000):015d}:00000:{uuid.uuid4()}"),
                              "invalid"),
    "hlc not a string": (dict(hlc=12), "invalid"),
    "unknown type": (dict(type="invoice"), "unknown_type"),
    "type not a string": (dict(type=["task"]), "unknown_type"),
    "type an object": (dict(type={"name": "task"}), "unknown_type"),
    "op unknown": (dict(op="patch"), "invalid"),
    "id not a UUID": (dict(id="t4"), "invalid"),
    "id not a string": (dict(id=4), "invalid"),
    "no fields": (dict(fields={}), "invalid"),
    "fields not an object": (dict(fields=["title"]), "invalid"),
    "unknown field": (dict(fields={"colour": "red"}), "invalid"),
    "set given a string": (dict(fields={"photos": PHOTO_A}), "invalid"),
    "set given a list": (dict(fields={"photos": [PHOTO_A]}), "invalid"),
    "set element not a sha256": (dict(fields={"photos": {"add": ["x.jpg"]}}), "invalid"),
    "map given a list": (dict(type="safety_check", id=demo_id("c1"),
                              fields={"results": ["EX01"]}), "invalid"),
    "map value not allowed": (dict(type="safety_check", id=demo_id("c1"),
                                   fields={"results": {"EX01": "maybe"}}), "invalid"),
    "lww of the wrong type": (dict(fields={"progress": "50"}), "invalid"),
    "lww out of range": (dict(fields={"progress": 101}), "invalid"),
    "lww too long": (dict(fields={"title": "x" * 201}), "invalid"),
    "state not a state": (dict(fields={"status": "finished"}), "invalid"),
    "project moved": (dict(fields={"project_id": str(uuid.uuid4())}), "invalid"),
    "create without project": (dict(id=str(uuid.uuid4())), "invalid"),
    "create in a project not yours": (dict(id=str(uuid.uuid4()), fields={
        "project_id": str(uuid.uuid4()), "title": "x"}), "forbidden"),
    "delete of nothing": (dict(op="delete", id=str(uuid.uuid4())), "invalid"),
    "delete not allowed": (dict(op="delete", id=demo_id("t3")), "forbidden"),
    "NUL in a text field": (dict(fields={"title": "pump\u0000room"}), "invalid"),
    "NUL in a map key": (dict(type="safety_check", id=demo_id("c1"),
                              fields={"results": {"EX\u000001": "pass"}}), "invalid"),
    "NUL in the type": (dict(type="ta\u0000sk"), "unknown_type"),
    "NUL in a field name": (dict(fields={"ti\u0000tle": "x"}), "invalid"),
    # Half an emoji, as a client that cuts text by UTF-16 units sends it.
    "lone surrogate in a text field": (dict(fields={"title": "crane \ud83d"}), "invalid"),
    "lone surrogate in a field name": (dict(fields={"ti\udc00tle": "x"}), "invalid"),
    "lone surrogate in the op": (dict(op="put\ud800"), "invalid"),
}


@BOTH
def test_a_bad_mutation_is_rejected_alone_and_writes_no_record(client, auth, devices, demo):
    headers = auth.headers("foreman1")
    title = current(client, auth, "foreman1", "task", demo_id("t4"))["data"]["title"]
    check = current(client, auth, "foreman1", "safety_check", demo_id("c1"))["data"]
    for case, (changes, code) in BAD_MUTATIONS.items():
        device = devices("foreman1")
        bad = {"mid": 1, "op": "put", "type": "task", "id": demo_id("t4"), "hlc": device.hlc(),
               "fields": {"title": "fine"}, **changes}
        good = {"mid": 2, "op": "put", "type": "task", "id": str(uuid.uuid4()),
                "hlc": device.hlc(), "fields": {"project_id": demo["project_id"], "title": "ok"}}
        before = counts(client.application)
        response = post_push(client, headers, _envelope(device.client_id, [bad, good]))

        assert response.status_code == 200, (case, response.get_data(as_text=True))
        body = response.get_json()
        refused, applied = body["results"]
        assert refused["status"] == "rejected" and refused["error"]["code"] == code, (case, refused)
        assert applied["status"] == "applied" and body["last_mid"] == 2, case
        after = counts(client.application)
        assert after["tasks"] == before["tasks"] + 1, case
        assert after["safety_checks"] == before["safety_checks"], case
        rejected = get(client, auth, "foreman1", "/api/sync/rejected")[1]["rejected"]
        listed = [r for r in rejected if r["client_id"] == device.client_id]
        if case == "create in a project not yours":
            # Kept, but listed only to a member of the project it names.
            assert listed == [], case
        else:
            [kept] = listed
            assert kept["mid"] == 1 and kept["error"]["code"] == code, case
        # The answer is the same when the batch is sent again.
        again = post_push(client, headers, _envelope(device.client_id, [bad, good])).get_json()
        assert again["results"] == [{**r, "replayed": True} for r in body["results"]], case
    assert current(client, auth, "foreman1", "task", demo_id("t4"))["data"]["title"] == title
    assert current(client, auth, "foreman1", "safety_check", demo_id("c1"))["data"] == check


def test_a_push_over_the_mutation_limit_is_413_and_writes_nothing(client, auth, devices, demo):
    device = devices("foreman1")
    limit = client.application.config["PUSH_MAX_MUTATIONS"]
    mutations = [device.put("task", str(uuid.uuid4()), {"project_id": demo["project_id"],
                                                        "title": f"task {n}"})
                 for n in range(limit + 1)]
    before = counts(client.application)
    status, body = device.push(mutations)
    assert status == 413 and body["error"]["code"] == "too_large"
    assert counts(client.application) == before
    status, body = device.push(mutations[:limit])
    assert status == 200 and body["last_mid"] == limit


def test_a_push_without_a_token_is_401_and_writes_nothing(client, demo):
    before = counts(client.application)
    assert_error(post_push(client, {}, _envelope(str(uuid.uuid4()), [])), 401)
    assert_error(post_push(client, {"Authorization": "Bearer nope"},
                           _envelope(str(uuid.uuid4()), [])), 401)
    assert counts(client.application) == before


@BOTH
def test_a_forged_cursor_is_a_400_or_a_page_never_a_500(app, devices, demo):
    """Out-of-range values in a cursor the server signed (as if its key had leaked) are
    still answered; unsigned, such a cursor is an old one and starts the device over."""
    device = devices("foreman1")
    forged = [{"s": 10 ** 30, "p": []},
              {"s": 1, "p": [], "w": [demo["project_id"], "evict", 10 ** 30]},
              {"s": 5, "p": ["not-a-project"]},
              {"s": 2 ** 63 - 1, "p": [demo["project_id"]]}]
    for state in forged:
        with app.test_request_context():
            signed = cursors.sign(encode_cursor(state), demo["users"]["foreman1"],
                                  device.client_id)
        for cursor in (signed, encode_cursor(state)):
            status, body = device.send("GET", f"/api/sync/pull?client_id={device.client_id}"
                                       f"&cursor={cursor}", None, device.headers)
            assert status in (200, 400, 410), (state, body)
            if status == 400:
                assert body["error"]["code"] == "malformed"
            if cursor != signed:
                assert status in (400, 410), (state, body)
