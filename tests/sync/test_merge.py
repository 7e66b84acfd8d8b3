"""Merge rules of every field kind, and the same concurrent mutations in every order."""
import itertools

import pytest

from sync.memory import MemoryStore

from .conftest import NOW_MS, PROJECT, OpenPolicy, new_id
from .device import EngineDevice


def devices(store, policy, count):
    return [EngineDevice(store, policy, f"user-{i}", new_id()) for i in range(count)]


def seeded(fields=None):
    """A store holding one note created and pulled by three devices."""
    store, policy = MemoryStore(), OpenPolicy()
    a, b, c = devices(store, policy, 3)
    record_id = new_id()
    a.put("note", record_id, {"project_id": PROJECT, "title": "start", **(fields or {})})
    a.push()
    for device in (a, b, c):
        device.pull([PROJECT])
    return store, (a, b, c), record_id


def current(store, record_id):
    return store.records[("note", record_id)].values


def test_lww_highest_hlc_wins_and_the_loser_is_told():
    store, (a, b, _), record_id = seeded()
    b.clock_ms = NOW_MS + 10
    b.put("note", record_id, {"title": "from b"})
    a.put("note", record_id, {"title": "from a"})
    assert b.push()["results"][0]["status"] == "applied"
    result = a.push()["results"][0]
    assert result["status"] == "merged"
    assert result["conflicts"] == [{"field": "title", "yours": "from a", "kept": "from b",
                                    "by": "user-1"}]
    assert current(store, record_id)["title"] == "from b"
    assert [(c.user_id, c.yours, c.kept) for c in store.conflicts] == [("user-0", "from a", "from b")]
    lost = [h for h in store.history if h.lost]
    assert [(h.field, h.new) for h in lost] == [("title", "from a")]


def test_a_concurrent_write_overwritten_later_reaches_its_authors_inbox():
    store, (a, b, _), record_id = seeded()
    b.clock_ms = NOW_MS + 10
    a.put("note", record_id, {"title": "from a"})
    b.put("note", record_id, {"title": "from b"})
    assert a.push()["results"][0]["status"] == "applied"
    assert b.push()["results"][0]["status"] == "applied"
    assert current(store, record_id)["title"] == "from b"
    assert [(c.user_id, c.yours, c.kept) for c in store.conflicts] == [("user-0", "from a", "from b")]


def test_a_write_after_observing_is_no_conflict():
    store, (a, b, _), record_id = seeded()
    a.put("note", record_id, {"title": "first"})
    a.push()
    b.pull([PROJECT])
    b.clock_ms = NOW_MS + 10
    b.put("note", record_id, {"title": "second"})
    assert b.push()["results"][0]["status"] == "applied"
    assert store.conflicts == []


def test_different_fields_both_survive():
    store, (a, b, _), record_id = seeded()
    a.put("note", record_id, {"title": "new title"})
    b.put("note", record_id, {"size": 7})
    a.push(), b.push()
    assert current(store, record_id)["title"] == "new title"
    assert current(store, record_id)["size"] == 7
    assert store.conflicts == []


def test_set_concurrent_add_and_remove_keeps_the_element():
    store, (a, b, c), record_id = seeded({"tags": {"add": ["x"]}})
    for device in (a, b, c):
        device.pull([PROJECT])
    b.put("note", record_id, {"tags": {"remove": ["x"]}})
    c.put("note", record_id, {"tags": {"add": ["x"]}})
    b.push(), c.push()
    assert current(store, record_id)["tags"] == ["x"]


def test_set_remove_of_an_observed_element_removes_it():
    store, (a, b, _), record_id = seeded({"tags": {"add": ["x", "y"]}})
    b.put("note", record_id, {"tags": {"remove": ["x"]}})
    b.push()
    assert current(store, record_id)["tags"] == ["y"]


def test_set_remove_does_not_touch_an_add_it_never_saw():
    store, (a, b, _), record_id = seeded()
    a.put("note", record_id, {"tags": {"add": ["late"]}})
    a.push()
    b.put("note", record_id, {"tags": {"remove": ["late"]}})
    b.push()
    assert current(store, record_id)["tags"] == ["late"]


def test_map_keys_merge_independently_and_null_removes():
    store, (a, b, _), record_id = seeded({"results": {"E1": "pass", "E2": "pass"}})
    b.clock_ms = NOW_MS + 10
    a.put("note", record_id, {"results": {"E1": "fail", "E2": None}})
    b.put("note", record_id, {"results": {"E1": "na", "E3": "pass"}})
    a.push(), b.push()
    assert current(store, record_id)["results"] == {"E1": "na", "E3": "pass"}
    assert [c.field for c in store.conflicts] == ["results.E1"]


def test_map_removed_key_is_not_revived_by_an_older_put():
    store, (a, b, _), record_id = seeded({"results": {"E1": "pass"}})
    b.clock_ms = NOW_MS - 10
    a.put("note", record_id, {"results": {"E1": None}})
    b.put("note", record_id, {"results": {"E1": "fail"}})
    a.push()
    assert b.push()["results"][0]["status"] == "merged"
    assert current(store, record_id)["results"] == {}


def test_state_follows_commit_order_and_rejects_the_losing_transition():
    store, (a, b, _), record_id = seeded()
    a.put("note", record_id, {"status": "doing"})
    a.push()
    a.put("note", record_id, {"status": "done"})
    a.push()
    a.put("note", record_id, {"status": "doing"})
    b.put("note", record_id, {"status": "done"})
    assert a.push()["results"][0]["status"] == "applied"
    rejected = b.push()["results"][0]
    assert rejected["status"] == "applied"  # done -> done: already there, nothing to do
    b.put("note", record_id, {"status": "closed"})
    result = b.push()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_transition"
    assert store.rejected[-1].payload["fields"] == {"status": "closed"}


def test_a_transition_the_role_may_not_make_is_invalid_transition():
    store = MemoryStore()
    policy = OpenPolicy({"u": {PROJECT: {"member"}}, "boss": {PROJECT: {"boss"}}})
    worker = EngineDevice(store, policy, "u", new_id())
    boss = EngineDevice(store, policy, "boss", new_id())
    record_id = new_id()
    worker.put("note", record_id, {"project_id": PROJECT, "title": "t"})
    worker.put("note", record_id, {"status": "doing"})
    worker.put("note", record_id, {"status": "done"})
    worker.put("note", record_id, {"status": "closed"})
    results = worker.push()["results"]
    assert [r["status"] for r in results] == ["applied", "applied", "applied", "rejected"]
    assert results[3]["error"]["code"] == "invalid_transition"
    boss.put("note", record_id, {"status": "closed"})
    assert boss.push()["results"][0]["status"] == "applied"


def test_a_guard_refuses_a_transition_with_the_field_named():
    store, (a, _, _), record_id = seeded()
    a.put("note", record_id, {"title": None})
    for step in ("doing", "done"):
        a.put("note", record_id, {"status": step})
    a.push()
    policy = OpenPolicy({"user-0": {PROJECT: {"boss"}}})
    a.policy = policy
    a.put("note", record_id, {"status": "closed"})
    result = a.push()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["fields"] == {"title": ["required to close"]}


def test_a_guard_reads_other_records_with_the_batchs_earlier_changes():
    store = MemoryStore()
    boss = EngineDevice(store, OpenPolicy({"boss": {PROJECT: {"boss"}}}), "boss", new_id())
    parent, child, dropped = new_id(), new_id(), new_id()
    boss.put("note", parent, {"project_id": PROJECT, "title": "parent"})
    for record_id in (child, dropped):
        boss.put("note", record_id, {"project_id": PROJECT, "title": "child", "parent_id": parent})
    for record_id in (parent, child):
        for step in ("doing", "done"):
            boss.put("note", record_id, {"status": step})
    boss.delete("note", dropped)
    boss.push()
    boss.put("note", parent, {"status": "closed"})
    refused = boss.push()["results"][0]
    assert refused["status"] == "rejected"
    assert refused["error"]["fields"] == {"status": ["1 open"]}  # the deleted child does not count
    boss.put("note", child, {"status": "closed"})
    boss.put("note", parent, {"status": "closed"})
    assert [r["status"] for r in boss.push()["results"]] == ["applied", "applied"]


def test_delete_wins_over_a_concurrent_put_which_keeps_its_payload():
    store, (a, b, _), record_id = seeded()
    b.clock_ms = NOW_MS + 1000
    a.delete("note", record_id)
    b.put("note", record_id, {"title": "edited later"})
    assert a.push()["results"][0]["status"] == "applied"
    result = b.push()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "deleted"
    assert store.rejected[-1].payload["fields"] == {"title": "edited later"}
    assert store.records[("note", record_id)].deleted


def test_append_records_are_created_once_and_never_edited(store, policy):
    device = EngineDevice(store, policy, "u", new_id())
    memo_id = new_id()
    device.put("memo", memo_id, {"project_id": PROJECT, "body": "hello"})
    device.put("memo", memo_id, {"body": "changed"})
    results = device.push()["results"]
    assert [r["status"] for r in results] == ["applied", "rejected"]
    assert store.records[("memo", memo_id)].values["body"] == "hello"


CONCURRENT_FIELDS = [
    {"title": "A", "tags": {"add": ["red"]}, "results": {"E1": "pass"}},
    {"title": "B", "tags": {"remove": ["blue"]}, "results": {"E1": "fail", "E2": "na"}},
    {"size": 3, "tags": {"add": ["blue", "green"]}, "results": {"E2": None}},
    {"title": "D", "size": 9, "tags": {"remove": ["red", "green"]}},
]


def final_state(order):
    """Apply the same four concurrent mutations in `order`; return the record's values."""
    store, policy = MemoryStore(), OpenPolicy()
    seed = EngineDevice(store, policy, "seed", "00000000-0000-4000-8000-00000000000a")
    record_id = "00000000-0000-4000-8000-0000000000ff"
    seed.put("note", record_id, {"project_id": PROJECT, "title": "0", "tags": {"add": ["blue"]}})
    seed.push()
    writers = []
    for index, fields in enumerate(CONCURRENT_FIELDS):
        client = f"00000000-0000-4000-8000-00000000010{index}"
        writer = EngineDevice(store, policy, f"user-{index}", client,
                              clock_ms=NOW_MS + (index * 7919) % 5)
        writer.pull([PROJECT])
        writer.put("note", record_id, fields)
        writers.append(writer)
    for index in order:
        writers[index].push()
    return store.records[("note", record_id)].values


def test_every_order_of_the_same_concurrent_mutations_gives_the_same_state():
    states = [final_state(order) for order in itertools.permutations(range(4))]
    assert all(state == states[0] for state in states), states
    assert states[0]["tags"] == ["blue", "green", "red"]


@pytest.mark.parametrize("field,value", [("title", "Z"), ("size", 5)])
def test_every_order_of_concurrent_lww_writes_gives_the_same_winner(field, value):
    winners = set()
    for order in itertools.permutations(range(3)):
        store, policy = MemoryStore(), OpenPolicy()
        record_id = "00000000-0000-4000-8000-0000000000ee"
        seed = EngineDevice(store, policy, "seed", "00000000-0000-4000-8000-00000000000b")
        seed.put("note", record_id, {"project_id": PROJECT})
        seed.push()
        writers = [EngineDevice(store, policy, f"u{i}", f"00000000-0000-4000-8000-00000000020{i}")
                   for i in range(3)]
        for i, writer in enumerate(writers):
            writer.put("note", record_id, {field: value if i == 1 else (f"v{i}" if field == "title" else i)})
        for i in order:
            writers[i].push()
        winners.add(store.records[("note", record_id)].values[field])
    # Same clock for all three: the client id breaks the tie, whatever the order.
    assert winners == {"v2" if field == "title" else 2}


def test_regression_a_put_that_changes_only_a_clock_still_decides_later_merges():
    store, (a, b, _), record_id = seeded({"tags": {"add": ["x"]}, "results": {"E1": "pass"}})
    a.clock_ms, b.clock_ms = NOW_MS + 8000, NOW_MS + 4000
    # a writes values equal to what is stored: only clocks and tags change.
    a.put("note", record_id, {"title": "start", "tags": {"add": ["x"]}, "results": {"E2": None}})
    b.put("note", record_id, {"title": "renamed", "tags": {"remove": ["x"]}, "results": {"E2": "fail"}})
    a.push(), b.push()
    values = current(store, record_id)
    assert values["title"] == "start"      # a's hlc is higher
    assert values["tags"] == ["x"]         # a's add was concurrent with b's remove
    assert values["results"] == {"E1": "pass"}  # a's removal of E2 is newer than b's put
