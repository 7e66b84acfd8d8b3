"""The crew roster (`worker` records): kept by who runs the site, read by every member, and
strict about what it stores."""
from __future__ import annotations

import uuid

from server.demo import demo_id

from .demo_site import DemoSite

PROJECT = demo_id("project")


def push_worker(site: DemoSite, username: str, fields: dict) -> tuple[str, dict]:
    device = site.device(username)
    worker_id = str(uuid.uuid4())
    device.put("worker", worker_id, {"project_id": PROJECT, **fields})
    return worker_id, device.push()[1]["results"][0]


def test_a_foreman_adds_a_worker_every_member_reads_it(app, demo):
    site = DemoSite(app)
    worker_id, result = push_worker(site, "foreman1", {"name": "王建军", "trade": "钢筋工", "team": "一班", "active": True})
    assert result["status"] == "applied", result
    for reader in ("liaison1", "safety1", "supervisor1"):
        response = site.client.get(f"/api/records/worker/{worker_id}", headers=site.headers(reader))
        assert response.status_code == 200
        assert response.get_json()["data"]["name"] == "王建军"


def test_a_liaison_may_not_add_to_the_roster(app, demo):
    site = DemoSite(app)
    _, result = push_worker(site, "liaison1", {"name": "王建军"})
    assert (result["status"], result["error"]["code"]) == ("rejected", "forbidden")


def test_a_worker_needs_a_name_and_a_real_boolean(app, demo):
    site = DemoSite(app)
    _, nameless = push_worker(site, "foreman1", {"trade": "木工"})
    assert nameless["status"] == "rejected" and "name" in nameless["error"]["fields"]
    for not_a_boolean in (1, "true", "yes", 0):
        _, result = push_worker(site, "foreman1", {"name": "李四", "active": not_a_boolean})
        assert result["status"] == "rejected" and "active" in result["error"]["fields"], (not_a_boolean, result)
    _, long_team = push_worker(site, "foreman1", {"name": "李四", "team": "班" * 51})
    assert long_team["status"] == "rejected" and "team" in long_team["error"]["fields"]


def test_the_demo_has_a_crew_roster_by_team(app, demo):
    site = DemoSite(app)
    response = site.client.get(f"/api/records/worker/{demo_id('w0')}", headers=site.headers("foreman2"))
    assert response.status_code == 200
    assert response.get_json()["data"]["team"] == "管道一班"
