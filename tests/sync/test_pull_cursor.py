"""Pull cursors name the set of projects they were synced for by a key the store keeps."""
import uuid

import pytest

from sync.pull import CursorError, decode_cursor, encode_cursor, project_set_key, pull

from .conftest import OTHER_PROJECT, PROJECT, new_id
from .device import EngineDevice


class CountingStore:
    """A store that counts the project sets it is asked to keep."""

    def __init__(self, store):
        self.inner, self.kept = store, []

    def keep_project_set(self, key, project_ids):
        self.kept.append(key)
        self.inner.keep_project_set(key, project_ids)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_cursor_stays_the_same_length_however_many_projects(store):
    lengths = []
    for count in (1, 10, 1000):
        projects = [str(uuid.uuid4()) for _ in range(count)]
        lengths.append(len(pull(store, project_ids=projects, cursor=None, limit=10).cursor))
    assert lengths[0] == lengths[1] == lengths[2] < 80


def test_the_key_depends_on_the_set_alone():
    assert project_set_key([PROJECT, OTHER_PROJECT]) == project_set_key([OTHER_PROJECT, PROJECT,
                                                                         PROJECT])
    assert project_set_key([PROJECT]) != project_set_key([OTHER_PROJECT])
    assert project_set_key([]) != project_set_key([PROJECT])


def test_a_set_is_kept_once_and_not_again_while_it_is_unchanged(store, policy):
    counting = CountingStore(store)
    writer = EngineDevice(store, policy, "writer", new_id())
    for _ in range(5):
        writer.put("note", new_id(), {"project_id": PROJECT, "title": "x"})
    writer.push()
    first = pull(counting, project_ids=[PROJECT], cursor=None, limit=2)
    second = pull(counting, project_ids=[PROJECT], cursor=first.cursor, limit=2)
    pull(counting, project_ids=[PROJECT], cursor=second.cursor, limit=2)
    assert counting.kept == [project_set_key([PROJECT])]
    assert store.project_set(counting.kept[0]) == [PROJECT]


def test_a_project_joined_after_a_cursor_is_backfilled_from_the_kept_set(store, policy):
    writer = EngineDevice(store, policy, "writer", new_id())
    mine, joined = new_id(), new_id()
    writer.put("note", mine, {"project_id": PROJECT, "title": "mine"})
    writer.put("note", joined, {"project_id": OTHER_PROJECT, "title": "joined later"})
    writer.push()
    reader = EngineDevice(store, policy, "reader", new_id())
    assert [c.record.id for c in reader.pull([PROJECT])] == [mine]
    assert "p" not in decode_cursor(reader.cursor)
    assert [c.record.id for c in reader.pull([PROJECT, OTHER_PROJECT])] == [joined]
    evicted = reader.pull([PROJECT])
    assert [(c.record.id, c.evicted) for c in evicted] == [(joined, True)]


def test_a_cursor_of_the_older_form_that_lists_its_projects_still_pulls(store, policy):
    writer = EngineDevice(store, policy, "writer", new_id())
    old, joined = new_id(), new_id()
    writer.put("note", old, {"project_id": PROJECT, "title": "seen"})
    writer.put("note", joined, {"project_id": OTHER_PROJECT, "title": "backfilled"})
    writer.push()
    seq = max(r.seq for r in store.records.values())
    page = pull(store, project_ids=[PROJECT, OTHER_PROJECT],
                cursor=encode_cursor({"s": seq, "p": [PROJECT]}), limit=10)
    assert [c.record.id for c in page.changes] == [joined]
    assert decode_cursor(page.cursor)["k"] == project_set_key([PROJECT, OTHER_PROJECT])


@pytest.mark.parametrize("state", [
    {"s": 3, "k": "not-a-kept-set"},
    {"s": 3, "k": "AAAAAAAAAAAAAAAAAAAAAAAA"},
    {"s": 3, "k": "AAAAAAAAAAAAAAAAAAAAAA\x00A"},
    {"s": 3, "k": "AAAAAAAAAAAAAAAAAAAAAA\ud800A"},
    {"s": 3, "p": [PROJECT[:-1] + "\x00"]},
    {"s": 3, "p": ["\ud800"]},
    {"s": 3, "k": 7},
    {"s": 3, "k": "x", "p": [PROJECT]},
    {"s": 3},
])
def test_a_cursor_naming_no_kept_set_is_refused(store, state):
    with pytest.raises(CursorError):
        pull(store, project_ids=[PROJECT], cursor=encode_cursor(state), limit=10)


def test_a_project_seen_through_another_view_is_sent_again_not_evicted(store, policy):
    writer = EngineDevice(store, policy, "writer", new_id())
    ids = sorted(new_id() for _ in range(5))
    for record_id in ids:
        writer.put("note", record_id, {"project_id": PROJECT, "title": "x"})
    writer.push()
    first = pull(store, project_ids=[PROJECT], cursor=None, limit=10, views={PROJECT: "masked"})
    assert sorted(c.record.id for c in first.changes) == ids
    same = pull(store, project_ids=[PROJECT], cursor=first.cursor, limit=10,
                views={PROJECT: "masked"})
    assert same.changes == []
    cursor, resent = same.cursor, []
    while True:  # pages of 2: the resend pages like a backfill
        page = pull(store, project_ids=[PROJECT], cursor=cursor, limit=2)
        resent.extend(page.changes)
        cursor = page.cursor
        if not page.has_more:
            break
    assert sorted(c.record.id for c in resent) == ids
    assert not any(c.evicted for c in resent)
    assert pull(store, project_ids=[PROJECT], cursor=cursor, limit=10).changes == []


def test_a_view_change_of_one_project_leaves_the_others_alone(store, policy):
    writer = EngineDevice(store, policy, "writer", new_id())
    mine, other = new_id(), new_id()
    writer.put("note", mine, {"project_id": PROJECT, "title": "a"})
    writer.put("note", other, {"project_id": OTHER_PROJECT, "title": "b"})
    writer.push()
    both = [PROJECT, OTHER_PROJECT]
    start = pull(store, project_ids=both, cursor=None, limit=10)
    page = pull(store, project_ids=both, cursor=start.cursor, limit=10,
                views={OTHER_PROJECT: "masked"})
    assert [c.record.id for c in page.changes] == [other]
