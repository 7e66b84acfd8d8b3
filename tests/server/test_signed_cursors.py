"""A pull cursor is trusted only as it was given: to its user, on its device, unchanged.
A cursor naming a project the caller never synced evicts nothing of it."""
from __future__ import annotations

import json
import uuid

import pytest

from server.demo import demo_id
from server.extensions import db
from server.projects.models import Membership, Project
from sync.pull import encode_cursor

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    """The demo, and another project only admin1 belongs to, holding a task."""
    with demo_app(request.param, tmp_path_factory.mktemp(f"cursor-{request.param}")) as app:
        site = DemoSite(app)
        with app.app_context():
            other = Project(code="OTHER", name="Another contractor's works", settings={})
            db.session.add(other)
            db.session.flush()
            db.session.add(Membership(project_id=other.id, user_id=demo_id("admin1"),
                                      role="admin"))
            db.session.commit()
            site.other_project = other.id
        site.other_task = str(uuid.uuid4())
        admin = site.device("admin1")
        admin.put("task", site.other_task, {"project_id": site.other_project, "title": "secret"})
        assert admin.push()[1]["results"][0]["status"] == "applied"
        yield site


def pull(device, cursor: str) -> tuple[int, dict]:
    return device.send("GET", f"/api/sync/pull?client_id={device.client_id}&cursor={cursor}",
                       None, device.headers)


def assert_nothing_of(site: DemoSite, status: int, body: dict) -> None:
    assert site.other_task not in json.dumps(body), body
    assert status in (400, 410), body
    assert set(body) == {"error"} and body["error"]["code"] in ("malformed", "resync")


def test_a_forged_cursor_evicts_nothing_of_another_project(site):
    """Regression: a cursor naming another project's id returned its record ids, types and
    seqs as `evicted`."""
    device = site.device("foreman1")
    for state in ({"s": 1, "p": [site.other_project]},
                  {"s": 1, "p": [PROJECT, site.other_project],
                   "w": [site.other_project, "evict", 0]}):
        forged = encode_cursor(state)
        assert_nothing_of(site, *pull(device, forged))
        # Nor with a signature copied from a cursor of the caller's own.
        device.cursor = None
        device.pull_all()
        own = device.cursor.split(".", 1)[1]
        assert_nothing_of(site, *pull(device, f"{forged}.{own}"))


def test_a_cursor_is_refused_to_another_user_and_on_another_device(site):
    admin = site.device("admin1")
    admin.pull_all(limit=1000)
    assert ("task", site.other_task) in admin.records
    thief = site.device("foreman1")
    status, body = pull(thief, admin.cursor)
    assert status == 400 and body["error"]["code"] == "malformed"
    assert site.other_task not in json.dumps(body)
    # admin1's own cursor on admin1's other device is refused too.
    other_device = site.device("admin1")
    assert pull(other_device, admin.cursor)[0] == 400


def test_an_unsigned_cursor_of_the_old_form_starts_the_device_over(site):
    """Cursors from before signing cannot be told from forged ones: the device is told to
    resync (forget what it holds, pull from the start), which it does on its own."""
    device = site.device("foreman1")
    device.pull_all()
    old = device.cursor.split(".", 1)[0]
    status, body = pull(device, old)
    assert status == 410 and body["error"]["code"] == "resync"


def test_a_signed_cursor_pages_on_as_before(site):
    device = site.device("foreman1")
    received = device.pull_all(limit=3)
    assert received and all(c["data"]["project_id"] == PROJECT for c in received)
    assert device.pull_all(limit=3) == []
