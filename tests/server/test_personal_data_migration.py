"""Migration 0008 adds the access log and makes complaints deleted before it forget their
residents (tombstone and history); its downgrade takes the access log away again."""
from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, update

from server.database import _migrations_dir
from server.extensions import db
from server.records.feedback import Feedback
from server.syncing.models import FieldHistory

from .demo_site import DemoSite
from .personal_data import complaint, personal_values_kept, resident

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@BOTH
def test_upgrading_to_0008_forgets_the_residents_of_complaints_deleted_before(app, demo):
    site = DemoSite(app)
    liaison = site.device("liaison1")
    gone, kept = resident(), resident()
    deleted_id = complaint(liaison, gone)
    live_id = complaint(liaison, kept)
    liaison.delete("feedback", deleted_id)
    liaison.push()
    with app.app_context():
        downgrade(directory=_migrations_dir(), revision="0007")
        assert "personal_data_access" not in inspect(db.engine).get_table_names()
        # What a deletion made at 0007 left behind.
        db.session.execute(update(Feedback).where(Feedback.id == deleted_id).values(**gone))
        db.session.execute(update(FieldHistory).where(
            FieldHistory.record_id == deleted_id, FieldHistory.field == "resident_phone")
            .values(new=gone["resident_phone"]))
        db.session.commit()
    assert personal_values_kept(app, gone)
    with app.app_context():
        upgrade(directory=_migrations_dir())
        assert "personal_data_access" in inspect(db.engine).get_table_names()
        db.session.remove()
    assert personal_values_kept(app, gone) == []
    assert personal_values_kept(app, kept)
    response = site.client.get(f"/api/records/feedback/{live_id}", headers=site.headers("liaison1"))
    assert response.get_json()["data"]["resident_phone"] == kept["resident_phone"]
