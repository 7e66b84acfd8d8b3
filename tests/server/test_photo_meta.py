"""When and where a photo was taken: a record beside the photo, for the project's members."""
from __future__ import annotations

import uuid

from server.demo import demo_id

from .demo_site import DemoSite

PROJECT = demo_id("project")
PHOTO = "c0ffee" + "0" * 58


def test_a_photos_time_and_place_reach_members_only(app, demo):
    """Every member reads where a photo was taken; someone outside the project is told
    nothing exists."""
    site = DemoSite(app)
    meta_id = str(uuid.uuid4())
    device = site.device("foreman1")
    device.put("photo_meta", meta_id, {
        "project_id": PROJECT, "sha256": PHOTO.upper(), "taken_at": "2026-12-04T08:01:02Z",
        "latitude": 31.2304, "longitude": 121.4737, "accuracy_m": 9.5})
    assert device.push()[1]["results"][0]["status"] == "applied"
    read = site.client.get(f"/api/records/photo_meta/{meta_id}", headers=site.headers("quality1"))
    assert read.status_code == 200
    data = read.get_json()["data"]
    assert (data["sha256"], data["latitude"], data["taken_at"]) == (PHOTO, 31.2304, "2026-12-04T08:01:02Z")
    with app.app_context():
        from server.accounts.models import User
        from server.extensions import db
        db.session.add(User(id=str(uuid.uuid4()), username="outsider", name="外人", password_hash="x"))
        db.session.commit()
        outsider = db.session.query(User).filter_by(username="outsider").one()
        from server.accounts.tokens import issue_token
        token, _ = issue_token(outsider)
        db.session.commit()
    hidden = site.client.get(f"/api/records/photo_meta/{meta_id}",
                             headers={"Authorization": f"Bearer {token}"})
    assert hidden.status_code == 404


def test_a_position_off_the_globe_is_refused(app, demo):
    """Latitude and longitude are checked, so a map never gets a point that does not exist."""
    site = DemoSite(app)
    device = site.device("foreman1")
    device.put("photo_meta", str(uuid.uuid4()), {"project_id": PROJECT, "sha256": PHOTO,
                                                 "latitude": 95.0, "longitude": 200.0})
    result = device.push()[1]["results"][0]
    assert result["status"] == "rejected" and {"latitude", "longitude"} <= set(result["error"]["fields"])
