"""A small world for engine tests: one record type of every field kind, an open policy."""
from __future__ import annotations

import uuid

import pytest

from sync import FieldKind, RecordType, Registry, StateMachine
from sync.memory import MemoryStore

PROJECT = "00000000-0000-4000-8000-000000000001"
OTHER_PROJECT = "00000000-0000-4000-8000-000000000002"
NOW_MS = 1_790_000_000_000

NOTE = RecordType("note", {
    "project_id": FieldKind.LWW, "title": FieldKind.LWW, "size": FieldKind.LWW,
    "tags": FieldKind.SET, "results": FieldKind.MAP, "parent_id": FieldKind.LWW,
}, state_field="status", machine=StateMachine("open", {
    "open": ("doing",), "doing": ("done",), "done": ("doing", "closed"),
}))
MEMO = RecordType("memo", {"project_id": FieldKind.APPEND, "body": FieldKind.APPEND})
REGISTRY = Registry([NOTE, MEMO])


class OpenPolicy:
    """Every member may do everything but `done -> closed`, which needs `boss`; closing a
    note needs its title, and every live note under it (`parent_id`) closed first."""

    def __init__(self, members: dict[str, dict[str, set[str]]] | None = None):
        self.members = members

    def roles(self, user_id, project_id):
        if self.members is None:
            return frozenset({"member"})
        return frozenset(self.members.get(user_id, {}).get(project_id, set()))

    def may(self, roles, rtype, action, record, user_id):
        if action == "status:done->closed":
            return "boss" in roles
        return True

    def hides(self, roles, rtype, field):
        return False

    def mask(self, rtype, field, value):
        return value

    def clean(self, rtype, fields, creating, record):
        size = fields.get("size")
        if size is not None and not (isinstance(size, int) and 0 <= size <= 100):
            return fields, {"size": ["must be 0–100"]}
        return fields, {}

    def guard(self, rtype, source, target, record, records):
        if target != "closed":
            return {}
        if not record.values.get("title"):
            return {"title": ["required to close"]}
        open_children = [child for child in records.find("note", "parent_id", record.id)
                         if not child.deleted and child.values.get("status") != "closed"]
        return {"status": [f"{len(open_children)} open"]} if open_children else {}


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def store():
    return MemoryStore()


@pytest.fixture
def policy():
    return OpenPolicy()
