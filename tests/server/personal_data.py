"""Complaints with residents' data unique to one test, and a search of every table for it."""
from __future__ import annotations

import random
import uuid

from sqlalchemy import MetaData

from server.extensions import db

from .demo_site import PROJECT

DAY_MS = 24 * 3600 * 1000
STEPS = ("acknowledged", "in_progress", "resolved", "closed")


def resident() -> dict:
    """A resident no other test names: a name, a mobile number and an address."""
    tag = uuid.uuid4().hex[:6]
    return {"resident_name": f"住户{tag}", "resident_phone": f"139{random.randrange(10**8):08d}",
            "location": f"解放路 {tag} 号"}


def complaint(device, person: dict, status: str = "received", **fields) -> str:
    """Push a new complaint of `person` from `device`, moved up to `status`; its id."""
    record_id = str(uuid.uuid4())
    device.put("feedback", record_id, {"project_id": PROJECT, "category": "noise",
                                       "description": "Piling at night", "satisfaction": 4,
                                       **person, **fields})
    for step in STEPS[:STEPS.index(status) + 1] if status != "received" else ():
        device.put("feedback", record_id, {"status": step})
    status_code, body = device.push()
    assert status_code == 200 and all(r["status"] == "applied" for r in body["results"]), body
    return record_id


def stored_text(app) -> str:
    """Every row of every table the database has, as text (its tables as they are, whatever
    revision it is at, not as the models say)."""
    with app.app_context():
        tables = MetaData()
        tables.reflect(bind=db.engine)
        rows = [f"{table.name}: {tuple(row)}" for table in tables.sorted_tables
                for row in db.session.execute(table.select())]
        db.session.rollback()
    return "\n".join(rows)


def personal_values_kept(app, person: dict) -> list[str]:
    """The rows of any table that still hold one of `person`'s values."""
    return [line for line in stored_text(app).splitlines()
            if any(value in line for value in person.values())]
