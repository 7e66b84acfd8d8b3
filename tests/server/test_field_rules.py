"""Server rules the field screens rely on beyond the protocol's minimum."""
import datetime as dt
import uuid

from .sync_client import Device, FlaskTransport


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
