"""The policy's reactions: writes the server makes itself when a record moves, stored in the
same unit as the move with their own seqs and history, or the move rejected with none."""
from __future__ import annotations

import uuid

from sync import SERVER_CLIENT_ID, MutationRejected, Reaction

from .conftest import PROJECT, OpenPolicy, new_id
from .device import EngineDevice as Device


def memo_of(note: str) -> str:
    """The id of the memo a note's move to done opens: derived, so it is opened once."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"memo:{note}"))


class ReactingPolicy(OpenPolicy):
    """A note moved to `done` opens a memo about it; a note moved to `closed` needs the note
    named by its parent_id to exist (or the move is rejected)."""

    def reactions(self, rtype, record, source, target, records, user_id, roles):
        if rtype.name != "note":
            return []
        if target == "done":
            return [Reaction("memo", memo_of(record.id), record.project_id,
                             values={"body": f"review {record.id}"}, create=True)]
        if target == "closed":
            parent = record.values.get("parent_id")
            if parent and records.load("note", parent) is None:
                raise MutationRejected("invalid_transition", "its parent is gone",
                                       {"status": ["its parent is gone"]})
            return [Reaction("note", parent, record.project_id, state="doing")] if parent else []
        return []


def _device(store, user="u1"):
    return Device(store, ReactingPolicy(), user, new_id())


def test_a_move_writes_the_reaction_with_its_own_seq_and_history(store):
    """The memo a move opens is stored with a later seq, by the server's device id."""
    device = _device(store)
    note = new_id()
    memo = memo_of(note)
    device.put("note", note, {"project_id": PROJECT, "title": "Trench", "status": "doing"})
    device.put("note", note, {"status": "done"})
    result = device.push()["results"][1]
    assert result["status"] == "applied"
    written = store.records[("memo", memo)]
    assert written.values == {"project_id": PROJECT, "body": f"review {note}"}
    assert written.seq == result["seq"] + 1
    assert written.created_by == "u1"
    memo_history = [h for h in store.history if h.record_id == memo]
    assert [(h.field, h.new, h.client_id) for h in memo_history] == [
        ("body", f"review {note}", SERVER_CLIENT_ID)]


def test_a_reaction_for_a_record_that_exists_writes_nothing_again(store):
    """A derived id is recorded once: a second move to done leaves the first memo."""
    device = _device(store)
    note = new_id()
    memo = memo_of(note)
    device.put("note", note, {"project_id": PROJECT, "title": "Trench", "status": "doing"})
    device.push()
    device.put("note", note, {"status": "done"})
    device.put("note", note, {"status": "doing"})
    device.put("note", note, {"status": "done"})
    results = device.push()["results"]
    assert [r["status"] for r in results] == ["applied"] * 3
    assert store.records[("memo", memo)].seq == results[0]["seq"] + 1
    assert len([h for h in store.history if h.record_id == memo]) == 1


def test_a_reaction_that_cannot_be_applied_rejects_the_move_and_writes_nothing(store):
    """The move and its reactions are one unit: a refused reaction leaves the record as it was."""
    device = Device(store, ReactingPolicy(), "u1", new_id())
    boss = Device(store, _Boss(), "u2", new_id())
    parent, child = new_id(), new_id()
    device.put("note", parent, {"project_id": PROJECT, "title": "Parent", "status": "doing"})
    device.put("note", child, {"project_id": PROJECT, "title": "Child", "parent_id": parent,
                               "status": "doing"})
    device.put("note", child, {"status": "done"})
    device.push()
    seq_before = store.seq
    # The parent goes missing from the store (as a record of another project would).
    del store.records[("note", parent)]
    boss.put("note", child, {"status": "closed"})
    result = boss.push()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_transition"
    assert store.records[("note", child)].values["status"] == "done"
    assert store.rejected[-1].payload["fields"] == {"status": "closed"}
    assert store.seq == seq_before + 1  # the rejected mutation's seq only, nothing stored


def test_a_reaction_moves_another_record_through_its_machine(store):
    """Closing a child moves its parent back to doing, checked against the parent's machine."""
    device = Device(store, _Boss(), "u2", new_id())
    parent, child = new_id(), new_id()
    device.put("note", parent, {"project_id": PROJECT, "title": "Parent", "status": "doing"})
    device.put("note", parent, {"status": "done"})
    device.put("note", child, {"project_id": PROJECT, "title": "Child", "parent_id": parent,
                               "status": "doing"})
    device.put("note", child, {"status": "done"})
    device.put("note", child, {"status": "closed"})
    results = device.push()["results"]
    assert [r["status"] for r in results] == ["applied"] * 5
    assert store.records[("note", parent)].values["status"] == "doing"
    moved = [h for h in store.history if h.record_id == parent and h.field == "status"]
    assert (moved[-1].old, moved[-1].new, moved[-1].client_id) == ("done", "doing", SERVER_CLIENT_ID)


class _Boss(ReactingPolicy):
    def roles(self, user_id, project_id):
        return frozenset({"member", "boss"})


def test_a_policy_without_reactions_makes_none(store, policy):
    """Policies that predate reactions keep working."""
    device = Device(store, policy, "u1", new_id())
    note = new_id()
    device.put("note", note, {"project_id": PROJECT, "title": "Trench", "status": "doing"})
    device.put("note", note, {"status": "done"})
    assert [r["status"] for r in device.push()["results"]] == ["applied", "applied"]
    assert list(store.records) == [("note", note)]


def note_about(memo: str) -> str:
    """The id of the note a memo's creation opens: derived, so it is opened once."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"note-about:{memo}"))


class CreationPolicy(OpenPolicy):
    """A memo (a type without states) opens a note to read it when it is created; its
    deletion reaches `reactions` as a move from None to None, recorded here."""

    def __init__(self):
        super().__init__()
        self.deleted = []

    def created(self, rtype, record, records, user_id, roles):
        if rtype.name != "memo":
            return []
        if record.values.get("body") == "refused":
            raise MutationRejected("invalid", "no such body", {"body": ["refused"]})
        return [Reaction("note", note_about(record.id), record.project_id,
                         values={"title": f"read {record.id}"}, create=True)]

    def reactions(self, rtype, record, source, target, records, user_id, roles):
        if rtype.name == "memo":
            self.deleted.append((record.id, source, target))
        return []


def test_creating_a_record_without_states_writes_its_reaction_once(store):
    """Regression: only state moves reached the policy, so a new memo opened nothing."""
    policy = CreationPolicy()
    device = Device(store, policy, "u1", new_id())
    memo = new_id()
    device.put("memo", memo, {"project_id": PROJECT, "body": "Trench shoring"})
    batch = list(device.outbox)
    [result] = device.push()["results"]
    assert result["status"] == "applied"
    note = store.records[("note", note_about(memo))]
    assert (note.values["title"], note.values["status"]) == (f"read {memo}", "open")
    assert note.seq == result["seq"] + 1
    # A replay of the batch writes nothing; a second device's put of the same memo is an
    # edit of an append-only record, refused, and opens no second note.
    assert device.push(batch)["results"][0]["replayed"]
    seq = store.seq
    other = Device(store, policy, "u2", new_id())
    other.put("memo", memo, {"project_id": PROJECT, "body": "Trench shoring"})
    assert other.push()["results"][0]["status"] == "rejected"  # append-only: not a creation
    assert [h.record_id for h in store.history].count(note_about(memo)) == 1  # its title, once
    assert store.seq == seq + 1


def test_a_refused_creation_reaction_rejects_the_put_and_writes_nothing(store):
    device = Device(store, CreationPolicy(), "u1", new_id())
    memo = new_id()
    device.put("memo", memo, {"project_id": PROJECT, "body": "refused"})
    [result] = device.push()["results"]
    assert (result["status"], result["error"]["fields"]) == ("rejected", {"body": ["refused"]})
    assert ("memo", memo) not in store.records
    assert ("note", note_about(memo)) not in store.records


def test_deleting_a_record_without_states_reaches_the_policy(store):
    policy = CreationPolicy()
    device = Device(store, policy, "u1", new_id())
    memo = new_id()
    device.put("memo", memo, {"project_id": PROJECT, "body": "Trench shoring"})
    device.delete("memo", memo)
    assert [r["status"] for r in device.push()["results"]] == ["applied", "applied"]
    assert policy.deleted == [(memo, None, None)]
