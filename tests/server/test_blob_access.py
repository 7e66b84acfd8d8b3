"""Who may read a blob: members of a project whose records name it, and its uploader until a
record does; everyone else is told it does not exist (404, not 403). A PUT of a stored blob
still sends and checks the bytes, and where a photo was taken is told only to members of a
project that uses it. On SQLite and PostgreSQL.
"""
from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from PIL import ExifTags, Image

from server.accounts.models import Token, User
from server.accounts.passwords import hash_password
from server.accounts.tokens import issue_token
from server.demo import demo_id
from server.extensions import db
from server.projects.models import Membership, Project
from server.timestamps import utcnow

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite, assert_error

def photo_with_gps() -> tuple[bytes, str]:
    """A JPEG no other test uploads, taken at a GPS position, and its name."""
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (31.0, 14.0, 24.0), 3: "E", 4: (121.0, 28.0, 12.0)})
    exif[ExifTags.Base.DateTime] = "2026:11:24 08:01:02"
    exif[ExifTags.Base.ImageDescription] = uuid.uuid4().hex  # bytes of its own
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 90, 40)).save(out, "JPEG", exif=exif)
    data = out.getvalue()
    return data, hashlib.sha256(data).hexdigest()


class Callers(DemoSite):
    """The demo, plus a user in another project, one in none, a disabled member and a
    member whose session was revoked."""

    def __init__(self, app):
        super().__init__(app)
        with app.app_context():
            other = Project(code="OTHER", name="Other works")
            db.session.add(other)
            for username in ("other-member", "no-project", "disabled", "revoked"):
                db.session.add(User(id=str(uuid.uuid4()), username=username, name=username,
                                    password_hash=hash_password("unused-password-1")))
            db.session.flush()
            users = {u.username: u for u in db.session.query(User).all()}
            db.session.add(Membership(project_id=other.id, user_id=users["other-member"].id,
                                      role="admin"))
            for username in ("disabled", "revoked"):
                db.session.add(Membership(project_id=PROJECT, user_id=users[username].id,
                                          role="foreman"))
            for username in ("other-member", "no-project", "disabled", "revoked"):
                self._tokens[username], token = issue_token(users[username])
            db.session.flush()
            users["disabled"].active = False
            db.session.query(Token).filter(Token.user_id == users["revoked"].id).update(
                {"revoked_at": utcnow()})
            db.session.commit()
        # One device, so its later removes see its earlier adds (clocks of one device).
        self.admin_device = self.device("admin1")

    def head(self, username: str, name: str) -> int:
        return self.client.head(f"/api/blobs/{name}", headers=self.headers(username)).status_code

    def get(self, username: str, name: str, variant: str = "thumb"):
        return self.client.get(f"/api/blobs/{name}?variant={variant}",
                               headers=self.headers(username))

    def put(self, username: str, name: str, data: bytes):
        return self.client.put(f"/api/blobs/{name}", data=data, headers=self.headers(username))

    def name_in(self, type_name: str, field: str, name: str, record_id: str | None = None,
                remove: bool = False) -> str:
        """admin1 puts (or takes) `name` in a record's photo field; the record's id."""
        record_id = record_id or str(uuid.uuid4())
        if field == "item_photos":
            value = {"EX01": None if remove else [name]}
        elif field in ("file", "sha256", "derived_from"):  # one blob, not a set
            value = name
        else:
            value = {"remove": [name]} if remove else {"add": [name]}
        fields = {**CREATE[type_name], field: value} if not remove else {field: value}
        device = self.admin_device
        device.put(type_name, record_id, fields)
        status, body = device.push()
        assert body["results"][0]["status"] == "applied", body
        return record_id


CREATE = {
    "task": {"project_id": PROJECT, "title": "Photo of the trench"},
    "briefing": {"project_id": PROJECT, "date": "2026-11-24"},
    "safety_check": {"project_id": PROJECT, "date": "2026-11-24"},
    "action": {"project_id": PROJECT, "description": "Fence it", "check_id": demo_id("c1")},
    "feedback": {"project_id": PROJECT, "category": "noise", "description": "Breaker at night"},
    # A kind asked for by hand: the server opens those of its table itself.
    "approval": {"project_id": PROJECT, "subject_type": "document", "subject_id": demo_id("d-plan"),
                 "kind": "permit_check"},
    # The demo's pipe laying passed its self inspection: admin1 stands in for the mutual one.
    "inspection": {"project_id": PROJECT, "work_step_id": demo_id("ws2"), "level": "mutual",
                   "round": 0, "result": "pass", "inspected_at": "2026-11-24T08:00:00Z"},
    # A marked-up copy names the photo it was drawn on: both are the project's.
    "photo_meta": {"project_id": PROJECT, "sha256": "a" * 64, "derived_from": None},
    "document_version": {"project_id": PROJECT, "document_id": demo_id("d-plan"), "revision": "C"},
}
# Every field of server/records/ that holds blob names; a new one joins this list.
PHOTO_FIELDS = [("task", "photos"), ("briefing", "photos"), ("safety_check", "photos"),
                ("safety_check", "item_photos"), ("action", "photos"), ("feedback", "photos"),
                ("approval", "photos"), ("inspection", "photos"), ("photo_meta", "sha256"),
                ("photo_meta", "derived_from"), ("document_version", "file")]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"blob-access-{request.param}")) as app:
        yield Callers(app)


def test_every_field_holding_blob_names_is_known():
    from server.blobs.references import BLOB_FIELDS

    assert sorted((t, f) for t, fs in BLOB_FIELDS.items() for f in fs) == sorted(PHOTO_FIELDS)


# Caller → (status before any record names the photo, status once a DEMO record does).
# foreman1 uploads; supervisor1 is in DEMO; other-member only in OTHER.
EXPECTED = {
    "foreman1": (200, 200),
    "supervisor1": (404, 200),
    "other-member": (404, 404),
    "no-project": (404, 404),
    "disabled": (401, 401),
    "revoked": (401, 401),
}


def test_a_blob_is_read_by_its_uploader_then_by_members_of_the_projects_using_it(site):
    data, name = photo_with_gps()
    assert site.put("foreman1", name, data).status_code == 201
    for phase in (0, 1):
        if phase == 1:
            site.name_in("task", "photos", name)
        for username, statuses in EXPECTED.items():
            expected = statuses[phase]
            assert site.head(username, name) == expected, (phase, username)
            response = site.get(username, name)
            assert response.status_code == expected, (phase, username)
            if expected != 200:
                assert response.mimetype == "application/json"
    # Not found looks the same whether or not the blob is stored: nothing is confirmed.
    unknown = "0" * 64
    assert site.get("no-project", name).get_json() == site.get("no-project", unknown).get_json()


@pytest.mark.parametrize("type_name, field", PHOTO_FIELDS)
def test_each_photo_field_lets_the_projects_members_read_the_blob(site, type_name, field):
    data, name = photo_with_gps()
    assert site.put("foreman1", name, data).status_code == 201
    assert site.get("supervisor1", name).status_code == 404
    site.name_in(type_name, field, name)
    assert site.get("supervisor1", name).status_code == 200
    assert site.get("other-member", name).status_code == 404


def test_a_blob_no_record_names_any_more_is_no_longer_the_projects(site):
    data, name = photo_with_gps()
    assert site.put("foreman1", name, data).status_code == 201
    record_id = site.name_in("task", "photos", name)
    deleted_id = site.name_in("safety_check", "item_photos", name)
    assert site.get("supervisor1", name).status_code == 200

    site.name_in("task", "photos", name, record_id, remove=True)
    assert site.get("supervisor1", name).status_code == 200  # the check still names it
    device = site.admin_device
    device.delete("safety_check", deleted_id)
    assert device.push()[1]["results"][0]["status"] == "applied"
    assert site.get("supervisor1", name).status_code == 404
    # No record names it: its uploader may read it again.
    assert site.get("foreman1", name).status_code == 200


def test_a_put_of_a_stored_blob_without_its_bytes_tells_nothing(site):
    data, name = photo_with_gps()
    assert site.put("foreman1", name, data).status_code == 201
    for username in ("no-project", "other-member", "supervisor1", "foreman1"):
        error = assert_error(site.put(username, name, b""), 400, "hash_mismatch")
        assert "location" not in str(error) and "31.24" not in str(error)


def test_where_a_photo_was_taken_is_told_only_to_members_of_a_project_using_it(site):
    data, name = photo_with_gps()
    uploaded = site.put("foreman1", name, data)
    assert uploaded.status_code == 201
    assert uploaded.get_json()["meta"] == {"taken_at": "2026-11-24T08:01:02"}
    # Someone with the bytes learns what the bytes show, not where the photo was taken.
    again = site.put("no-project", name, data)
    assert again.status_code == 200
    assert "location" not in again.get_json()["meta"]

    site.name_in("feedback", "photos", name)
    for username in ("no-project", "other-member"):
        assert "location" not in site.put(username, name, data).get_json()["meta"]
    for username in ("supervisor1", "foreman1"):
        location = site.put(username, name, data).get_json()["meta"]["location"]
        assert location == {"lat": pytest.approx(31.24, abs=1e-4),
                            "lon": pytest.approx(121.47, abs=1e-4)}
    for username in ("disabled", "revoked"):
        assert_error(site.put(username, name, data), 401)


def test_a_record_naming_a_photo_before_it_is_uploaded_shares_it_on_arrival(site):
    """The protocol lets a put name a photo not yet uploaded: its upload is then the
    project's at once."""
    data, name = photo_with_gps()
    site.name_in("task", "photos", name)
    uploaded = site.put("foreman1", name, data)
    assert uploaded.status_code == 201
    assert "location" in uploaded.get_json()["meta"]
    assert site.get("supervisor1", name).status_code == 200
    assert site.head("other-member", name) == 404


def test_photos_named_before_the_upgrade_stay_readable_by_their_projects(site):
    """Migration 0007 finds the photos records already name, so upgrading takes no photo
    away from its project (a deleted record's photos excepted)."""
    from flask_migrate import downgrade, upgrade

    from server.database import _migrations_dir

    kept, item, gone = (photo_with_gps() for _ in range(3))
    for data, name in (kept, item, gone):
        assert site.put("foreman1", name, data).status_code == 201
    site.name_in("task", "photos", kept[1])
    site.name_in("safety_check", "item_photos", item[1])
    deleted = site.name_in("action", "photos", gone[1])
    site.admin_device.delete("action", deleted)
    assert site.admin_device.push()[1]["results"][0]["status"] == "applied"
    with site.app.app_context():
        downgrade(directory=_migrations_dir(), revision="0005")
        upgrade(directory=_migrations_dir())
        db.session.remove()
    assert site.get("supervisor1", kept[1]).status_code == 200
    assert site.get("supervisor1", item[1]).status_code == 200
    assert site.get("supervisor1", gone[1]).status_code == 404
    assert site.get("other-member", kept[1]).status_code == 404


def test_a_save_that_leaves_the_photos_as_they_were_keeps_the_references(site):
    """A push rewrites a record's blob references only when what it names changed: an edit
    of another field, or a batch that takes a photo out and puts it back, writes none and
    leaves the photo the project's; taking it out for good still takes it away."""
    from sqlalchemy import event

    data, name = photo_with_gps()
    assert site.put("foreman1", name, data).status_code == 201
    record_id = site.name_in("task", "photos", name)
    device = site.admin_device
    with site.app.app_context():
        engine = db.engine
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        device.put("task", record_id, {"title": "Photo of the trench, backfilled"})
        assert device.push()[1]["results"][0]["status"] == "applied"
        device.put("task", record_id, {"photos": {"remove": [name]}})
        device.put("task", record_id, {"photos": {"add": [name]}})
        assert [r["status"] for r in device.push()[1]["results"]] == ["applied", "applied"]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements and not [s for s in statements if "blob_references" in s]
    assert site.get("supervisor1", name).status_code == 200

    site.name_in("task", "photos", name, record_id, remove=True)
    assert site.get("supervisor1", name).status_code == 404
