"""The SQL store's bulk writer: rows written through the driver read back as SQLAlchemy
would have written them, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from server.extensions import db
from server.records.task import Task
from server.syncing.models import Conflict, FieldHistory
from server.syncing.store import CODECS, BulkInsert, json_text
from sync import RecordState

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_json_text_writes_what_json_dumps_writes(value):
    assert json_text(value) == json.dumps(value)


def test_json_text_of_big_integers_and_booleans_is_json_dumps():
    for value in (True, False, 0, -1, 2 ** 70, -(2 ** 70)):
        assert json_text(value) == json.dumps(value)


pytestmark_backends = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"],
                                              indirect=True)


def _history_row(record_id: str, seq: int, old, new) -> dict:
    return {"type": "task", "record_id": record_id, "field": "title", "old": old, "new": new,
            "hlc": f"{seq:015d}:00000:device", "user_id": "u1", "client_id": "device",
            "seq": seq, "original_hlc": None, "lost": False}


@pytestmark_backends
def test_rows_written_in_bulk_read_back_with_their_types(app, demo):
    values = [None, "标题 ✓", 7, 2 ** 40, True, {"a": [1, None, "x"]}, [], 1.5]
    with app.app_context():
        rows = [_history_row("r1", 1000 + index, value, {"v": value})
                for index, value in enumerate(values)]
        BulkInsert.run(db.session.connection(), FieldHistory.__table__, rows)
        db.session.commit()
        stored = db.session.execute(select(FieldHistory).where(FieldHistory.record_id == "r1")
                                    .order_by(FieldHistory.seq)).scalars().all()
    assert [row.old for row in stored] == values
    assert [row.new for row in stored] == [{"v": value} for value in values]
    assert all(row.lost is False for row in stored)


@pytestmark_backends
def test_an_upsert_replaces_the_row_with_the_same_key(app, demo):
    task_id = "00000000-0000-4000-8000-0000000000aa"

    def row(title: str, due: str) -> dict:
        record = RecordState("task", task_id, {"project_id": demo["project_id"], "title": title,
                                               "due_date": due, "status": "open"}, seq=1)
        return CODECS["task"].to_row(record)

    with app.app_context():
        table = Task.__table__
        BulkInsert.run(db.session.connection(), table, [row("first", "2026-11-24")], ("id",))
        BulkInsert.run(db.session.connection(), table, [row("second", "2026-12-01")], ("id",))
        db.session.commit()
        rows = db.session.execute(select(table.c.title, table.c.due_date, table.c.photos)
                                  .where(table.c.id == task_id)).all()
    assert [tuple(found) for found in rows] == [("second", dt.date(2026, 12, 1), [])]


def test_rows_without_a_column_that_has_a_python_default_are_refused(app):
    row = {"user_id": "u1", "type": "task", "record_id": "r1", "field": "title", "yours": 1,
           "kept": 2, "by": "u2", "seq": 1}  # no created_at, whose default is Python's
    with app.app_context():
        with pytest.raises(ValueError, match="created_at"):
            BulkInsert.run(db.session.connection(), Conflict.__table__, [row])
        db.session.rollback()
        assert db.session.execute(select(Conflict)).first() is None
