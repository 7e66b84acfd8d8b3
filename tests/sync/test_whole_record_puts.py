"""A put may repeat fields its author's role may not edit, as a client sending the whole
record does: a field left as it is is not refused, and writes nothing."""
import pytest

from sync.memory import MemoryStore

from .conftest import NOW_MS, OTHER_PROJECT, PROJECT, OpenPolicy, new_id
from .device import EngineDevice

PARENT = "0000000a-0000-4000-8000-00000000000b"
RECORD = {"project_id": PROJECT, "title": "kept", "size": 7, "parent_id": PARENT,
          "tags": {"add": ["x"]}, "results": {"E1": "pass"}}


class ReviewerPolicy(OpenPolicy):
    """Only an `editor` edits fields (a `reviewer` only moves the state); the policy's
    normal form of `parent_id` is lower case."""

    def may(self, roles, rtype, action, record, user_id):
        if action.startswith("edit:") and "editor" not in roles:
            return False
        return super().may(roles, rtype, action, record, user_id)

    def clean(self, rtype, fields, creating, record):
        fields, errors = super().clean(rtype, fields, creating, record)
        if isinstance(fields.get("parent_id"), str):
            fields = {**fields, "parent_id": fields["parent_id"].lower()}
        return fields, errors


@pytest.fixture
def site():
    """A note written by an editor; a reviewer's device; the store."""
    store = MemoryStore()
    policy = ReviewerPolicy({"writer": {PROJECT: {"editor"}}, "reviewer": {PROJECT: {"reviewer"}}})
    writer = EngineDevice(store, policy, "writer", new_id())
    reviewer = EngineDevice(store, policy, "reviewer", new_id(), clock_ms=writer.clock_ms + 10)
    record_id = new_id()
    writer.put("note", record_id, RECORD)
    assert writer.push()["results"][0]["status"] == "applied"
    return store, reviewer, record_id


def test_a_reviewer_moves_the_state_with_a_put_that_repeats_every_field(site):
    store, reviewer, record_id = site
    before = store.records[("note", record_id)].clone()
    history = len(store.history)
    reviewer.put("note", record_id, {
        **RECORD, "parent_id": PARENT.upper(),                     # the same id, capitals
        "tags": {"add": ["x"], "remove": ["never-there"]},         # nothing added or removed
        "results": {"E1": "pass", "E9": None},                     # null: a key absent
        "status": "doing"})
    result = reviewer.push()["results"][0]
    assert result["status"] == "applied", result
    after = store.records[("note", record_id)]
    assert after.values == {**before.values, "status": "doing"}
    # The repeated fields are dropped, not merged: no clock, tag or history of them.
    assert {k: v for k, v in after.meta["c"].items() if k != "status"} == before.meta["c"]
    assert after.meta["m"] == before.meta["m"] and after.meta["s"] == before.meta["s"]
    assert [(h.field, h.old, h.new) for h in store.history[history:]] == [
        ("status", "open", "doing")]


def test_a_put_of_only_repeated_fields_is_applied_and_writes_nothing(site):
    store, reviewer, record_id = site
    before = store.records[("note", record_id)].clone()
    reviewer.put("note", record_id, {"project_id": PROJECT.upper(), "title": "kept"})
    result = reviewer.push()["results"][0]
    assert result == {"mid": 1, "status": "applied", "seq": before.seq}
    assert store.records[("note", record_id)] == before


CHANGES = {
    "lww value": ({"title": "renamed"}, ["title"]),
    "one of two": ({"title": "kept", "size": 8}, ["size"]),
    "another id": ({"parent_id": new_id()}, ["parent_id"]),
    "cleared": ({"parent_id": None}, ["parent_id"]),
    "set add": ({"tags": {"add": ["x", "y"]}}, ["tags"]),
    "set remove": ({"tags": {"remove": ["x"]}}, ["tags"]),
    "map value": ({"results": {"E1": "fail"}}, ["results"]),
    "map key removed": ({"results": {"E1": None}}, ["results"]),
    "map key added": ({"results": {"E1": "pass", "E2": "pass"}}, ["results"]),
    "project moved": ({"project_id": OTHER_PROJECT, "title": "renamed"}, ["project_id", "title"]),
}


@pytest.mark.parametrize("fields, changed", CHANGES.values(), ids=CHANGES.keys())
def test_a_field_the_role_may_not_edit_is_forbidden_when_the_put_changes_it(site, fields, changed):
    store, reviewer, record_id = site
    before = store.records[("note", record_id)].clone()
    reviewer.put("note", record_id, {**RECORD, **fields, "status": "doing"})
    result = reviewer.push()["results"][0]
    assert result["status"] == "rejected", result
    assert result["error"]["code"] == "forbidden"
    assert sorted(result["error"]["fields"]) == changed
    assert store.records[("note", record_id)] == before


def test_forbidden_still_comes_before_invalid(site):
    """A value the policy refuses cannot be the stored one: it is a change, so forbidden."""
    store, reviewer, record_id = site
    reviewer.put("note", record_id, {"title": "kept", "size": 101})
    result = reviewer.push()["results"][0]
    assert result["error"]["code"] == "forbidden"
    assert result["error"]["fields"] == {"size": ["your role may not change it"]}


def test_an_editor_repeating_a_value_still_writes_its_clock(site):
    """Fields the role may edit merge as before: a repeated value still decides later merges."""
    store, _, record_id = site
    policy = ReviewerPolicy({"editor-2": {PROJECT: {"editor"}}})
    editor = EngineDevice(store, policy, "editor-2", new_id(), clock_ms=NOW_MS + 20)
    editor.put("note", record_id, {"title": "kept"})
    assert editor.push()["results"][0]["status"] == "applied"
    assert store.records[("note", record_id)].meta["c"]["title"][1] == "editor-2"
