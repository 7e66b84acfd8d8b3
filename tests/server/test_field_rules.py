"""Server rules the field screens rely on beyond the protocol's minimum."""
import datetime as dt
import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from server import create_app
from server.database import _migrations_dir, init_db
from server.extensions import db
from server.syncing.service import load_record

from .sync_client import Device, FlaskTransport

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
PHOTO_A, PHOTO_B, PHOTO_C = "a" * 64, "b" * 64, "c" * 64


def test_feedback_without_a_deadline_gets_the_projects_hours_for_its_category(client, auth, demo):
    liaison = Device(FlaskTransport(client), auth.token("liaison1"))
    record_id = str(uuid.uuid4())
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    liaison.put("feedback", record_id, {"project_id": demo["project_id"], "category": "traffic",
                                        "description": "路口临时信号灯不亮"})
    status, body = liaison.push()
    assert body["results"][0]["status"] == "applied"
    record = client.get(f"/api/records/feedback/{record_id}",
                        headers=auth.headers("liaison1")).get_json()
    due = dt.datetime.fromisoformat(record["data"]["response_due"].replace("Z", "+00:00"))
    # The demo project answers traffic complaints within 4 hours.
    assert before + dt.timedelta(hours=4) <= due <= before + dt.timedelta(hours=4, minutes=1)


def test_a_deadline_the_liaison_gave_is_kept(client, auth, demo):
    liaison = Device(FlaskTransport(client), auth.token("liaison1"))
    record_id = str(uuid.uuid4())
    liaison.put("feedback", record_id, {"project_id": demo["project_id"], "category": "noise",
                                        "description": "夜间施工噪音", "response_due": "2026-12-01T08:00:00Z"})
    liaison.push()
    record = client.get(f"/api/records/feedback/{record_id}",
                        headers=auth.headers("liaison1")).get_json()
    assert record["data"]["response_due"] == "2026-12-01T08:00:00Z"


def test_mutations_of_one_push_sharing_a_value_each_get_their_own_answer(client, auth, demo):
    """A push checks a value once and answers every mutation that repeats it alike, and
    one mutation's further errors never reach another's."""
    foreman = Device(FlaskTransport(client), auth.token("foreman1"))
    project = demo["project_id"]
    no_title = foreman.put("task", str(uuid.uuid4()), {"project_id": project, "priority": "soon"})
    titled = foreman.put("task", str(uuid.uuid4()), {"project_id": project, "priority": "soon",
                                                      "title": "Kerb stones"})
    fine = foreman.put("task", str(uuid.uuid4()), {"project_id": project, "priority": "high",
                                                    "title": "Kerb stones", "progress": 1})
    truthy = foreman.put("task", str(uuid.uuid4()), {"project_id": project, "title": "Kerb stones",
                                                      "progress": True})
    status, body = foreman.push()
    first, second, third, fourth = body["results"]
    assert first["status"] == second["status"] == "rejected", body
    assert set(first["error"]["fields"]) == {"priority", "title"}
    assert set(second["error"]["fields"]) == {"priority"}
    assert second["error"]["fields"]["priority"] == first["error"]["fields"]["priority"]
    assert third["status"] == "applied"
    assert fourth["status"] == "rejected" and set(fourth["error"]["fields"]) == {"progress"}
    assert [no_title["mid"], titled["mid"], fine["mid"], truthy["mid"]] == [1, 2, 3, 4]


def test_pulled_records_say_who_created_them(client, auth, demo):
    foreman = Device(FlaskTransport(client), auth.token("foreman1"))
    record_id = str(uuid.uuid4())
    foreman.put("task", record_id, {"project_id": demo["project_id"], "title": "检查围挡"})
    foreman.push()
    supervisor = Device(FlaskTransport(client), auth.token("supervisor1"))
    supervisor.put("task", record_id, {"progress": 50})
    supervisor.push()
    changes = {c["id"]: c for c in foreman.pull_all()}
    assert changes[record_id]["created_by"] == demo["users"]["foreman1"]
    assert changes[record_id]["updated_by"] == demo["users"]["supervisor1"]


def test_every_field_a_record_type_declares_has_a_rule_in_its_schema():
    from server.records import KINDS
    for kind in KINDS.values():
        assert set(kind.type.fields) <= set(kind.schema.fields), kind.name


# -- safety checks: notes and photos per item ----------------------------------------------

def new_check(project_id: str, **fields) -> dict:
    """The fields of a new excavation check with EX02 failed."""
    return {"project_id": project_id, "date": "2026-11-20", "template": "excavation",
            "results": {"EX01": "pass", "EX02": "fail"}, **fields}


def stored(client, auth, type_name: str, record_id: str, username: str = "safety1") -> dict:
    """A record's data as the server holds it."""
    response = client.get(f"/api/records/{type_name}/{record_id}", headers=auth.headers(username))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


@BOTH
def test_each_item_keeps_its_own_note_and_photos(client, auth, demo):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    check_id = str(uuid.uuid4())
    officer.put("safety_check", check_id, new_check(
        demo["project_id"], item_notes={"EX02": "东侧临边防护缺失约 15 m", "EX01": "放坡 1:0.5"},
        item_photos={"EX02": [PHOTO_A, PHOTO_B, PHOTO_A]}))
    status, body = officer.push()
    assert status == 200 and body["results"][0]["status"] == "applied", body
    check = stored(client, auth, "safety_check", check_id)
    assert check["item_notes"] == {"EX01": "放坡 1:0.5", "EX02": "东侧临边防护缺失约 15 m"}
    assert check["item_photos"] == {"EX02": [PHOTO_A, PHOTO_B]}  # each photo once, in order
    assert check["notes"] is None and check["photos"] == []  # the check's own stay apart

    # null, an empty note and an empty photo list each remove the item's entry.
    officer.put("safety_check", check_id, {"item_notes": {"EX01": None, "EX02": ""},
                                           "item_photos": {"EX02": []}})
    officer.push()
    check = stored(client, auth, "safety_check", check_id)
    assert (check["item_notes"], check["item_photos"]) == ({}, {})


@BOTH
def test_two_devices_noting_different_items_offline_both_keep_their_notes(client, auth, demo):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    # The foreman's clock runs a second ahead, so of two edits his is the later one.
    foreman = Device(FlaskTransport(client), auth.token("foreman1"), clock_offset_ms=1000)
    check_id = str(uuid.uuid4())
    officer.put("safety_check", check_id, new_check(demo["project_id"]))
    officer.push()
    officer.pull_all()
    foreman.pull_all()
    officer.put("safety_check", check_id, {"item_notes": {"EX02": "槽边堆土"},
                                           "item_photos": {"EX02": [PHOTO_A]}})
    foreman.put("safety_check", check_id, {"item_notes": {"EX01": "放坡不足"},
                                           "item_photos": {"EX01": [PHOTO_B]}})
    assert foreman.push()[1]["results"][0]["status"] == "applied"
    assert officer.push()[1]["results"][0]["status"] == "applied"
    check = stored(client, auth, "safety_check", check_id)
    assert check["item_notes"] == {"EX01": "放坡不足", "EX02": "槽边堆土"}
    assert check["item_photos"] == {"EX01": [PHOTO_B], "EX02": [PHOTO_A]}

    # The same item's note from both: the later one is kept, the other goes to its author.
    officer.put("safety_check", check_id, {"item_notes": {"EX02": "已清理一半"}})
    foreman.put("safety_check", check_id, {"item_notes": {"EX02": "仍有堆土"}})
    officer.push()
    result = foreman.push()[1]["results"][0]
    assert result["status"] == "applied"
    assert stored(client, auth, "safety_check", check_id)["item_notes"]["EX02"] == "仍有堆土"
    conflicts = client.get("/api/sync/conflicts", headers=auth.headers("safety1")).get_json()
    assert [(c["field"], c["yours"], c["kept"]) for c in conflicts["conflicts"]] == [
        ("item_notes.EX02", "已清理一半", "仍有堆土")]


@pytest.mark.parametrize("fields, field", [
    ({"item_photos": {"EX02": ["not-a-blob-name"]}}, "item_photos"),
    ({"item_photos": {"EX02": [PHOTO_A[:63]]}}, "item_photos"),
    ({"item_photos": {"EX02": PHOTO_A}}, "item_photos"),
    ({"item_photos": {"EX02": [{"sha256": PHOTO_A}]}}, "item_photos"),
    ({"item_photos": {"EX02": [f"{n:064x}" for n in range(11)]}}, "item_photos"),
    ({"item_photos": [PHOTO_A]}, "item_photos"),
    ({"item_notes": {"EX02": "长" * 1001}}, "item_notes"),
    ({"item_notes": {"EX02": 5}}, "item_notes"),
    ({"item_notes": {"EX02": "a\x00b"}}, "item_notes"),
    ({"item_notes": "东侧缺防护"}, "item_notes"),
    ({"item_notes": {"": "no item"}}, "item_notes"),
    ({"item_notes": {f"I{n}": "x" for n in range(101)}}, "item_notes"),
], ids=["photo-not-a-sha", "photo-one-digit-short", "photos-not-a-list", "photo-not-a-string",
        "eleven-photos", "photos-not-a-map", "note-too-long", "note-a-number", "note-with-nul",
        "notes-not-a-map", "note-without-item", "notes-of-101-items"])
def test_bad_item_notes_and_photos_are_rejected_with_the_field_named(client, auth, demo, fields, field):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    check_id = str(uuid.uuid4())
    officer.put("safety_check", check_id, new_check(demo["project_id"], **fields))
    status, body = officer.push()
    assert status == 200, body
    result = body["results"][0]
    assert (result["status"], result["error"]["code"]) == ("rejected", "invalid"), result
    assert list(result["error"]["fields"]) == [field]
    response = client.get(f"/api/records/safety_check/{check_id}", headers=auth.headers("safety1"))
    assert response.status_code == 404


@BOTH
def test_checks_saved_before_item_notes_existed_get_empty_ones(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "test-secret", "BLOB_DIR": str(tmp_path / "blobs")})
    with app.app_context():
        upgrade(directory=_migrations_dir(), revision="0002")
        db.session.execute(text("INSERT INTO projects (id, code, name, settings) "
                                "VALUES ('p-1', 'OLD', 'Old works', '{}')"))
        db.session.execute(text(
            "INSERT INTO safety_checks (id, project_id, seq, deleted, meta, results, photos, status) "
            "VALUES ('c-1', 'p-1', 1, false, '{}', '{\"EX02\": \"fail\"}', '[]', 'open')"))
        db.session.commit()
        init_db()
        check = load_record("safety_check", "c-1")
        assert check.values["item_notes"] == {} and check.values["item_photos"] == {}
        assert check.values["results"] == {"EX02": "fail"}
        # Like `results`, the columns have no default of their own: the server writes them.
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("safety_checks")}
        assert [columns[name]["default"] for name in ("item_notes", "item_photos")] == [None, None]
        assert not columns["item_notes"]["nullable"] and not columns["item_photos"]["nullable"]
        db.session.remove()
        db.engine.dispose()


# -- safety checks: verified only once every corrective action is --------------------------

def rectifying_check(device, project_id: str, actions: list[str]) -> tuple[str, list[str]]:
    """A check under rectification with one corrective action per status in `actions`."""
    check_id = str(uuid.uuid4())
    device.put("safety_check", check_id, new_check(project_id))
    device.put("safety_check", check_id, {"status": "rectifying"})
    action_ids = []
    for status in actions:
        action_id = str(uuid.uuid4())
        action_ids.append(action_id)
        device.put("action", action_id, {"project_id": project_id, "check_id": check_id,
                                         "item": "EX02", "description": "补设 1.2 m 防护栏杆"})
        for step in ("done", "verified")[:("open", "done", "verified").index(status)]:
            device.put("action", action_id, {"status": step})
    status, body = device.push()
    assert status == 200 and {r["status"] for r in body["results"]} == {"applied"}, body
    return check_id, action_ids


def statuses(body: dict) -> list[str]:
    return [result["status"] for result in body["results"]]


@BOTH
@pytest.mark.parametrize("open_status", ["open", "done"])
def test_a_check_is_not_verified_while_a_corrective_action_is_not(client, auth, demo, open_status):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    check_id, _ = rectifying_check(officer, demo["project_id"], [open_status, "verified"])
    officer.put("safety_check", check_id, {"status": "verified"})
    status, body = officer.push()
    assert status == 200
    error = body["results"][0]["error"]
    assert (body["results"][0]["status"], error["code"]) == ("rejected", "invalid")
    assert error["fields"] == {"status": ["1 corrective action of this check not verified yet"]}
    assert stored(client, auth, "safety_check", check_id)["status"] == "rectifying"


@BOTH
def test_a_check_is_verified_once_all_its_corrective_actions_are(client, auth, demo):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    check_id, _ = rectifying_check(officer, demo["project_id"], ["verified", "verified"])
    officer.put("safety_check", check_id, {"status": "verified"})
    assert statuses(officer.push()[1]) == ["applied"]
    assert stored(client, auth, "safety_check", check_id)["status"] == "verified"


@BOTH
def test_actions_verified_earlier_in_the_same_push_let_the_check_be_verified(client, auth, demo):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    check_id, (first, second) = rectifying_check(officer, demo["project_id"], ["open", "done"])
    # Offline, the officer verifies the check before its actions: refused whatever follows.
    officer.put("safety_check", check_id, {"status": "verified"})
    officer.put("action", first, {"status": "done"})
    officer.put("action", first, {"status": "verified"})
    officer.put("action", second, {"status": "verified"})
    body = officer.push()[1]
    assert statuses(body) == ["rejected", "applied", "applied", "applied"]
    assert body["results"][0]["error"]["fields"] == {
        "status": ["2 corrective actions of this check not verified yet"]}
    # An action raised in the same push as the verification holds it back too.
    late = str(uuid.uuid4())
    officer.put("action", late, {"project_id": demo["project_id"], "check_id": check_id,
                                 "item": "EX01", "description": "补设警示灯"})
    officer.put("safety_check", check_id, {"status": "verified"})
    assert statuses(officer.push()[1]) == ["applied", "rejected"]
    # Then the actions first and the check after, all in one push, in mid order.
    for step in ("done", "verified"):
        officer.put("action", late, {"status": step})
    officer.put("safety_check", check_id, {"status": "verified"})
    assert statuses(officer.push()[1]) == ["applied", "applied", "applied"]
    assert stored(client, auth, "safety_check", check_id)["status"] == "verified"


@BOTH
def test_a_deleted_corrective_action_does_not_hold_the_check_back(client, auth, demo):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    for same_push in (False, True):
        check_id, (dropped, _) = rectifying_check(officer, demo["project_id"], ["open", "verified"])
        officer.delete("action", dropped)
        if not same_push:
            assert statuses(officer.push()[1]) == ["applied"]
        officer.put("safety_check", check_id, {"status": "verified"})
        assert set(statuses(officer.push()[1])) == {"applied"}, same_push
        assert stored(client, auth, "safety_check", check_id)["status"] == "verified"


@BOTH
def test_an_action_of_another_project_naming_the_check_does_not_hold_it_back(client, auth, demo):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    check_id, _ = rectifying_check(officer, demo["project_id"], ["verified"])
    response = client.post("/api/projects", headers=auth.headers("admin1"),
                           json={"code": "NORTH", "name": "North works"})
    assert response.status_code == 201, response.get_json()
    outsider = Device(FlaskTransport(client), auth.token("admin1"))
    outsider.put("action", str(uuid.uuid4()), {"project_id": response.get_json()["id"],
                                               "check_id": check_id, "description": "占位"})
    assert statuses(outsider.push()[1]) == ["applied"]
    officer.put("safety_check", check_id, {"status": "verified"})
    assert statuses(officer.push()[1]) == ["applied"]


@BOTH
def test_each_failed_item_keeps_its_own_risk_grade(client, auth, demo):
    officer = Device(FlaskTransport(client), auth.token("safety1"))
    check_id = str(uuid.uuid4())
    officer.put("safety_check", check_id, new_check(
        demo["project_id"], results={"EX01": "fail", "EX02": "fail"},
        item_risk={"EX01": "2-3", "EX02": "4-5"}, likelihood=4, severity=5))
    status, body = officer.push()
    assert status == 200 and body["results"][0]["status"] == "applied", body
    assert stored(client, auth, "safety_check", check_id)["item_risk"] == {"EX01": "2-3", "EX02": "4-5"}
    # Only "<likelihood>-<severity>", each 1–5; nothing of a refused put is kept.
    for wrong in ("6-1", "3", "3x4", "0-2", 12, "3-4 "):
        officer.put("safety_check", check_id, {"item_risk": {"EX01": wrong}})
        result = officer.push()[1]["results"][0]
        assert result["status"] == "rejected" and "item_risk" in result["error"]["fields"], (wrong, result)
    # null removes an item's grade.
    officer.put("safety_check", check_id, {"item_risk": {"EX01": None, "EX02": None}})
    officer.push()
    assert stored(client, auth, "safety_check", check_id)["item_risk"] == {}
