"""A record's size is bounded: sets and maps by their declared limits, the whole record by
its type's `max_chars`, and set tags do not grow with every put that repeats an element."""
from sync import FieldKind, RecordType, Registry
from sync.engine import PushSession
from sync.memory import MemoryStore

from .conftest import NOW_MS, PROJECT, OpenPolicy, new_id
from .device import EngineDevice

SMALL = RecordType("small", {"project_id": FieldKind.LWW, "text": FieldKind.LWW,
                             "tags": FieldKind.SET, "marks": FieldKind.MAP},
                   max_items={"tags": 3, "marks": 2}, max_chars=300)
RECORD = "00000000-0000-4000-8000-0000000000a1"


def push(store, *mutations):
    session = PushSession(store, Registry([SMALL]), OpenPolicy(), user_id="u",
                          client_id="00000000-0000-4000-8000-0000000000c1", now_ms=NOW_MS,
                          now_iso="2026-09-21T00:00:00Z")
    batch = [{"mid": mid, "op": "put", "type": "small", "id": RECORD,
              "hlc": f"{NOW_MS:015d}:{mid:05d}:00000000-0000-4000-8000-0000000000c1",
              "fields": fields} for mid, fields in enumerate(mutations, start=1)]
    return session.run(batch)["results"]


def test_a_record_over_its_size_is_rejected_naming_the_field():
    store = MemoryStore()
    first, second = push(store, {"project_id": PROJECT, "text": "x" * 200},
                         {"text": "x" * 400})
    assert first["status"] == "applied"
    assert second["status"] == "rejected" and second["error"]["code"] == "invalid"
    assert list(second["error"]["fields"]) == ["text"]
    assert "at most 300" in second["error"]["fields"]["text"][0]


def test_sets_and_maps_stop_at_their_declared_limits():
    store = MemoryStore()
    results = push(store, {"project_id": PROJECT, "tags": {"add": ["a", "b"]}},
                   {"tags": {"add": ["c", "d"]}},                 # would make 4
                   {"tags": {"add": ["a", "b", "c", "d"]}},       # more than 3 in one put
                   {"marks": {"k1": 1, "k2": 2}},
                   {"marks": {"k3": 3}},                          # would make 3 keys
                   {"tags": {"add": ["c"]}, "marks": {"k1": None}})
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "applied",
                                             "rejected", "applied"]
    assert results[1]["error"]["fields"]["tags"][0].startswith("may hold at most 3")
    assert results[2]["error"]["fields"]["tags"] == ["may hold at most 3 elements"]
    assert "marks" in results[4]["error"]["fields"]
    record = store.records[("small", RECORD)]
    assert record.values["tags"] == ["a", "b", "c"] and record.values["marks"] == {"k2": 2}


def test_re_adding_an_element_with_every_put_keeps_one_tag():
    """A client that sends the whole record adds every element again with each edit; the
    tags it had observed are replaced, not kept beside the new one."""
    store = MemoryStore()
    policy = OpenPolicy()
    device = EngineDevice(store, policy, "writer", new_id())
    note = new_id()
    for n in range(20):
        device.put("note", note, {"project_id": PROJECT, "title": f"edit {n}",
                                  "tags": {"add": ["x", "y"]}})
    assert {r["status"] for r in device.push()["results"]} == {"applied"}
    tags = store.records[("note", note)].meta["s"]["tags"]
    assert {element: len(live) for element, live in tags.items()} == {"x": 1, "y": 1}
