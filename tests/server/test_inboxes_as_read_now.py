"""The inboxes and history show a record as their caller reads it now: masked after a
demotion, and nothing at all of a project the caller has left."""
from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import delete

from server.demo import demo_id
from server.extensions import db
from server.projects.models import Membership

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite

KEPT = "13900001111"
LOST = "13700002222"
REJECTED = "13600003333"


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path):
    """liaison1 with a conflict and a rejection over a resident's phone number."""
    with demo_app(request.param, tmp_path) as app:
        site = DemoSite(app)
        site.feedback_id = str(uuid.uuid4())
        admin = site.device("admin1", clock_offset_ms=60_000)
        admin.put("feedback", site.feedback_id, {
            "project_id": PROJECT, "category": "noise", "description": "Piling at night",
            "resident_phone": KEPT})
        assert admin.push()[1]["results"][0]["status"] == "applied"
        liaison = site.device("liaison1", clock_offset_ms=-60_000)
        liaison.put("feedback", site.feedback_id, {"resident_phone": LOST})
        # Feedback cannot be closed from `received`: rejected, its payload kept.
        liaison.put("feedback", site.feedback_id, {"resident_phone": REJECTED,
                                                   "status": "closed"})
        results = liaison.push()[1]["results"]
        assert [r["status"] for r in results] == ["merged", "rejected"], results
        yield site


def set_roles(site: DemoSite, username: str, roles: list[str]) -> None:
    """`username`'s roles in the demo project become `roles` (none: not a member)."""
    with site.app.app_context():
        db.session.execute(delete(Membership).where(Membership.project_id == PROJECT,
                                                    Membership.user_id == demo_id(username)))
        db.session.add_all(Membership(project_id=PROJECT, user_id=demo_id(username), role=role)
                           for role in roles)
        db.session.commit()


def inboxes(site: DemoSite, username: str) -> tuple[list, list, int, str]:
    headers = site.headers(username)
    conflicts = site.client.get("/api/sync/conflicts", headers=headers)
    rejected = site.client.get("/api/sync/rejected", headers=headers)
    history = site.client.get(f"/api/records/feedback/{site.feedback_id}/history",
                              headers=headers)
    assert conflicts.status_code == rejected.status_code == 200
    return (conflicts.get_json()["conflicts"], rejected.get_json()["rejected"],
            history.status_code, history.get_data(as_text=True))


def test_the_inboxes_mask_what_a_demoted_user_may_no_longer_read(site):
    """Regression: the conflict inbox still showed the unmasked phone after its owner was
    demoted to foreman."""
    conflicts, rejected, status, history = inboxes(site, "liaison1")
    assert (conflicts[0]["yours"], conflicts[0]["kept"]) == (LOST, KEPT)
    assert rejected[0]["payload"]["fields"]["resident_phone"] == REJECTED
    assert KEPT in history

    set_roles(site, "liaison1", ["foreman"])
    conflicts, rejected, status, history = inboxes(site, "liaison1")
    assert (conflicts[0]["yours"], conflicts[0]["kept"]) == ("137****2222", "139****1111")
    assert rejected[0]["payload"]["fields"]["resident_phone"] == "136****3333"
    assert status == 200
    answered = json.dumps([conflicts, rejected]) + history
    for phone in (KEPT, LOST, REJECTED):
        assert phone not in answered


def test_the_inboxes_show_nothing_of_a_project_the_user_left(site):
    """Regression: after removal from the project the conflict inbox still listed the
    phone. The entries are kept: coming back brings them back."""
    set_roles(site, "liaison1", [])
    conflicts, rejected, status, history = inboxes(site, "liaison1")
    assert conflicts == [] and rejected == [] and status == 404
    assert site.feedback_id not in history

    set_roles(site, "liaison1", ["liaison"])
    conflicts, rejected, _, _ = inboxes(site, "liaison1")
    assert [c["yours"] for c in conflicts] == [LOST]
    assert [r["payload"]["fields"]["resident_phone"] for r in rejected] == [REJECTED]
