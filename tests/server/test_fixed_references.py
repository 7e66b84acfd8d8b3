"""Fields that say what a record is about are fixed once it is created: an approval cannot
be moved to another subject after its decision, an action to another check, and so on."""
from __future__ import annotations

import uuid

import pytest

from server.demo import demo_id
from server.records import KINDS, REGISTRY

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite

OTHER_TASK = demo_id("t4")
SUBJECT = {"subject_type": "task", "subject_id": demo_id("t2")}

# (type, fields it is created with, a field that names what it is about, another value)
APPROVAL = {**SUBJECT, "kind": "acceptance"}
FIXED = {
    "approval project": ("approval", APPROVAL, "project_id", str(uuid.uuid4())),
    "approval subject": ("approval", APPROVAL, "subject_id", OTHER_TASK),
    "approval subject type": ("approval", APPROVAL, "subject_type", "briefing"),
    "approval kind": ("approval", APPROVAL, "kind", "closure"),
    "action check": ("action", {"description": "Fence it", "check_id": demo_id("c1")},
                     "check_id", demo_id("c2")),
    "action item": ("action", {"description": "Fence it", "check_id": demo_id("c1"),
                               "item": "EX02"}, "item", "EX03"),
    "comment subject": ("comment", {**SUBJECT, "body": "Noted."}, "subject_id", OTHER_TASK),
    "checklist code": ("checklist", {"code": "trial", "name": "Trial",
                                     "items": [{"code": "TR01", "text": "Barriers"}]},
                       "code", "renamed"),
    "task project": ("task", {"title": "Backfill"}, "project_id", str(uuid.uuid4())),
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"fixed-{request.param}")) as app:
        yield DemoSite(app)


def test_every_reference_field_is_declared_fixed():
    for type_name, names in {"approval": {"project_id", "subject_type", "subject_id", "kind"},
                             "action": {"project_id", "check_id", "item"},
                             "comment": {"project_id", "subject_type", "subject_id"},
                             "checklist": {"project_id", "code"}}.items():
        assert names <= REGISTRY.get(type_name).immutable, type_name
    for kind in KINDS.values():
        assert "project_id" in kind.type.immutable, kind.name


@pytest.mark.parametrize("type_name, created, name, other", FIXED.values(), ids=FIXED.keys())
def test_a_field_naming_what_a_record_is_about_cannot_change(site, type_name, created, name,
                                                             other):
    admin = site.device("admin1")  # may edit every field of every type
    record_id = str(uuid.uuid4())
    admin.put(type_name, record_id, {"project_id": PROJECT, **created})
    assert admin.push()[1]["results"][0]["status"] == "applied"
    before = site.client.get(f"/api/records/{type_name}/{record_id}",
                             headers=site.headers("admin1")).get_json()["data"]

    admin.put(type_name, record_id, {name: other})
    [result] = admin.push()[1]["results"]
    assert result["status"] == "rejected", result
    assert result["error"]["code"] == "invalid" and name in result["error"]["fields"], result
    after = site.client.get(f"/api/records/{type_name}/{record_id}",
                            headers=site.headers("admin1")).get_json()["data"]
    assert after == before


def test_a_decided_approval_cannot_be_retargeted(site):
    """Regression: `subject_id` changed after the decision, status and comment kept."""
    approval_id = str(uuid.uuid4())
    foreman = site.device("foreman1")
    foreman.put("approval", approval_id, {"project_id": PROJECT, **SUBJECT, "kind": "acceptance"})
    assert foreman.push()[1]["results"][0]["status"] == "applied"
    supervisor = site.device("supervisor1")
    supervisor.put("approval", approval_id, {"status": "approved", "decision_comment": "Fine"})
    assert supervisor.push()[1]["results"][0]["status"] == "applied"
    for author in ("foreman1", "admin1"):  # the author, and an admin
        device = site.device(author)
        device.put("approval", approval_id, {"subject_id": OTHER_TASK})
        assert device.push()[1]["results"][0]["status"] == "rejected"
    data = site.client.get(f"/api/records/approval/{approval_id}",
                           headers=site.headers("admin1")).get_json()["data"]
    assert (data["subject_id"], data["status"]) == (SUBJECT["subject_id"], "approved")
