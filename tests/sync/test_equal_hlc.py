"""Regression: a second put under an hlc the field already holds was answered `applied`
and dropped. Now a tie keeps the value whose canonical JSON sorts highest, in every order
of arrival, and the other goes to history and its author's conflict inbox."""
import itertools

import pytest

from sync.memory import MemoryStore

from .conftest import PROJECT, OpenPolicy
from .device import EngineDevice

RECORD_ID = "00000000-0000-4000-8000-0000000000cc"
SEED_CLIENT = "00000000-0000-4000-8000-00000000000c"
CLIENT = "00000000-0000-4000-8000-00000000000d"


def tied_puts(puts: list[dict]) -> tuple[MemoryStore, list[dict]]:
    """Seed a note, then push `puts` from one device, every one stamped with the same hlc."""
    store, policy = MemoryStore(), OpenPolicy()
    seed = EngineDevice(store, policy, "seed", SEED_CLIENT)
    seed.put("note", RECORD_ID, {"project_id": PROJECT, "title": "start", "results": {"E1": "na"}})
    seed.push()
    device = EngineDevice(store, policy, "alice", CLIENT)
    device.pull([PROJECT])
    hlc = device.hlc()
    for fields in puts:
        device.put("note", RECORD_ID, fields)["hlc"] = hlc
    return store, device.push()["results"]


def outcome(store: MemoryStore) -> tuple:
    """What must not depend on the order: the values, each field's clock, and who is told
    of which value (the value it lost to is the one it met: of three, maybe not the last)."""
    record = store.records[("note", RECORD_ID)]
    clocks = {name: clock[0] for name, clock in record.meta["c"].items()}
    keys = {key: clock[0] for key, clock in record.meta["m"].get("results", {}).items()}
    inbox = sorted((c.user_id, c.field, repr(c.yours)) for c in store.conflicts)
    return record.values, clocks, keys, inbox


TIES = {
    "lww text": ("title", ["second", "first"], "second"),
    "lww three values": ("title", ["b", "Zeta", "a"], "b"),
    "lww numbers": ("size", [12, 3], 3),          # an order on the text: "3" > "12"
    "lww null": ("title", [None, "named"], None),  # "null" > "\"named\""
    "map key": ("results", [{"E1": "fail"}, {"E1": "pass"}], {"E1": "pass"}),
    "map key removed": ("results", [{"E1": None}, {"E1": "pass"}], {}),
}


@pytest.mark.parametrize("field, values, winner", TIES.values(), ids=TIES.keys())
def test_every_order_of_puts_under_one_hlc_gives_the_same_state(field, values, winner):
    outcomes = []
    for order in itertools.permutations(values):
        store, results = tied_puts([{field: value} for value in order])
        outcomes.append(outcome(store))
        assert store.records[("note", RECORD_ID)].values[field] == winner, order
        assert {r["status"] for r in results} <= {"applied", "merged"}
    assert all(found == outcomes[0] for found in outcomes), outcomes


@pytest.mark.parametrize("field, values, winner", TIES.values(), ids=TIES.keys())
def test_every_value_that_loses_a_tie_is_in_history_and_its_authors_inbox(field, values, winner):
    for order in itertools.permutations(values):
        store, _ = tied_puts([{field: value} for value in order])
        for value in order:
            slots = value.items() if field == "results" else [(None, value)]
            for key, item in slots:
                name = f"{field}.{key}" if key else field
                kept = winner.get(key) if field == "results" else winner
                if item == kept:
                    continue
                assert any(h.field == name and h.new == item and h.user_id == "alice"
                           for h in store.history), (order, name, item)
                assert any(c.user_id == "alice" and c.field == name and c.yours == item
                           for c in store.conflicts), (order, name, item)


def test_a_put_that_loses_a_tie_is_merged_and_names_what_was_kept():
    store, results = tied_puts([{"title": "second"}, {"title": "first"}])
    assert [r["status"] for r in results] == ["applied", "merged"]
    assert results[1]["conflicts"] == [{"field": "title", "yours": "first", "kept": "second",
                                        "by": "alice"}]
    lost = [(h.field, h.new) for h in store.history if h.lost]
    assert lost == [("title", "first")]


def test_a_put_that_wins_a_tie_is_written_and_the_value_it_replaced_is_reported():
    store, results = tied_puts([{"title": "first"}, {"title": "second"}])
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert store.records[("note", RECORD_ID)].values["title"] == "second"
    changes = [(h.old, h.new, h.lost) for h in store.history if h.field == "title"][1:]
    assert changes == [("start", "first", False), ("first", "second", False)]
    assert [(c.user_id, c.yours, c.kept) for c in store.conflicts] == [("alice", "first", "second")]


def test_the_same_value_twice_under_one_hlc_is_no_conflict():
    store, results = tied_puts([{"title": "same", "results": {"E1": "pass"}}] * 2)
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert store.conflicts == [] and not any(h.lost for h in store.history)
    assert store.records[("note", RECORD_ID)].values["title"] == "same"
