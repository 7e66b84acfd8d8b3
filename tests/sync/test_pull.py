"""Pull: commit order, paging, tombstones, eviction, backfill and resync."""
import pytest

from sync.pull import CursorError, ResyncRequired, decode_cursor, encode_cursor, pull

from .conftest import OTHER_PROJECT, PROJECT, new_id
from .device import EngineDevice


@pytest.fixture
def writer(store, policy):
    return EngineDevice(store, policy, "writer", new_id())


def test_pages_of_any_size_give_every_record_once_in_commit_order(store, policy, writer):
    ids = [new_id() for _ in range(23)]
    for record_id in ids:
        writer.put("note", record_id, {"project_id": PROJECT, "title": "x"})
    writer.push()
    for record_id in ids[::3]:
        writer.put("note", record_id, {"title": "changed"})
    writer.push()
    for limit in (1, 2, 5, 7, 500):
        reader = EngineDevice(store, policy, "reader", new_id())
        changes = reader.pull([PROJECT], limit=limit)
        seqs = [c.record.seq for c in changes]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        assert sorted(c.record.id for c in changes) == sorted(ids)


def test_an_incremental_pull_returns_only_what_changed(store, policy, writer):
    first, second = new_id(), new_id()
    writer.put("note", first, {"project_id": PROJECT, "title": "a"})
    writer.put("note", second, {"project_id": PROJECT, "title": "b"})
    writer.push()
    reader = EngineDevice(store, policy, "reader", new_id())
    reader.pull([PROJECT])
    writer.put("note", second, {"title": "b2"})
    writer.delete("note", first)
    writer.push()
    changes = reader.pull([PROJECT])
    assert [(c.record.id, c.record.deleted) for c in changes] == [(second, False), (first, True)]
    assert list(reader.records) == [("note", second)]


def test_only_the_callers_projects_come_back(store, policy, writer):
    writer.put("note", new_id(), {"project_id": OTHER_PROJECT, "title": "hidden"})
    writer.push()
    reader = EngineDevice(store, policy, "reader", new_id())
    assert reader.pull([PROJECT]) == []


def test_losing_a_project_evicts_its_records_and_regaining_it_backfills(store, policy, writer):
    ids = [new_id() for _ in range(5)]
    for record_id in ids:
        writer.put("note", record_id, {"project_id": OTHER_PROJECT, "title": "x"})
    kept = new_id()
    writer.put("note", kept, {"project_id": PROJECT, "title": "stays"})
    writer.push()
    reader = EngineDevice(store, policy, "reader", new_id())
    reader.pull([PROJECT, OTHER_PROJECT], limit=2)
    assert len(reader.records) == 6
    changes = reader.pull([PROJECT], limit=2)
    assert sorted(c.record.id for c in changes if c.evicted) == sorted(ids)
    assert list(reader.records) == [("note", kept)]
    writer.put("note", ids[0], {"title": "changed while away"})
    writer.push()
    changes = reader.pull([PROJECT, OTHER_PROJECT], limit=2)
    assert sorted({c.record.id for c in changes}) == sorted(ids)
    assert len(reader.records) == 6
    assert reader.records[("note", ids[0])].values["title"] == "changed while away"


def test_a_cursor_older_than_the_tombstones_kept_must_resync(store, policy, writer):
    writer.put("note", new_id(), {"project_id": PROJECT})
    writer.push()
    reader = EngineDevice(store, policy, "reader", new_id())
    reader.pull([PROJECT])
    store.floor = store.seq + 5
    with pytest.raises(ResyncRequired):
        reader.pull([PROJECT])
    fresh = EngineDevice(store, policy, "fresh", new_id())
    assert len(fresh.pull([PROJECT])) == 1


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", encode_cursor({"s": "1", "p": []}),
                                    encode_cursor({"s": 1}), encode_cursor({"s": -1, "p": []}),
                                    encode_cursor({"s": 1, "p": [], "w": ["x", "eat", 1]})])
def test_a_cursor_this_server_did_not_make_is_refused(store, cursor):
    with pytest.raises(CursorError):
        pull(store, project_ids=[PROJECT], cursor=cursor, limit=10)


def test_cursor_round_trip():
    state = {"s": 42, "p": [PROJECT], "w": [PROJECT, "evict", 7]}
    assert decode_cursor(encode_cursor(state)) == state


def test_regression_eviction_covers_records_changed_after_the_cursor(store, policy, writer):
    record_id = new_id()
    writer.put("note", record_id, {"project_id": OTHER_PROJECT, "title": "x"})
    writer.push()
    reader = EngineDevice(store, policy, "reader", new_id())
    reader.pull([PROJECT, OTHER_PROJECT])
    writer.put("note", record_id, {"title": "changed before the reader pulls again"})
    writer.push()
    changes = reader.pull([PROJECT])
    assert [(c.record.id, c.evicted) for c in changes] == [(record_id, True)]
    assert reader.records == {}
