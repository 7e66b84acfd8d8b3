"""Push: results per mutation, replays, gaps, rejections and device binding."""
import pytest

import sync
from sync.memory import MemoryStore

from .conftest import PROJECT, REGISTRY, OpenPolicy, new_id
from .device import EngineDevice


@pytest.fixture
def device(store, policy):
    return EngineDevice(store, policy, "user-1", new_id())


def test_replaying_a_batch_returns_the_stored_results_and_changes_nothing(store, device):
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "title": "one"})
    device.put("note", record_id, {"title": "two", "size": 500})
    batch = list(device.outbox)
    first = device.push()
    seq_before, history_before = store.seq, len(store.history)
    again = device.push(batch)
    assert [dict(r, replayed=True) for r in first["results"]] == again["results"]
    assert store.seq == seq_before and len(store.history) == history_before
    assert again["last_mid"] == 2


def test_a_retry_split_differently_gives_the_same_answers(store, device):
    record_id = new_id()
    for title in ("a", "b", "c", "d"):
        device.put("note", record_id, {"project_id": PROJECT, "title": title})
    batch = list(device.outbox)
    first = device.push(batch[:3])
    second = device.push(batch[1:])
    assert second["results"][:2] == [dict(r, replayed=True) for r in first["results"][1:]]
    assert second["results"][2]["status"] == "applied"
    assert store.records[("note", record_id)].values["title"] == "d"


def test_a_gap_stops_the_batch_and_nothing_after_it_applies(store, device):
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "title": "a"})
    device.put("note", record_id, {"title": "b"})
    device.put("note", record_id, {"title": "c"})
    first, second, third = device.outbox
    answer = device.push([first, third])
    assert [r["status"] for r in answer["results"]] == ["applied", "gap"]
    assert answer["last_mid"] == 1
    assert store.records[("note", record_id)].values["title"] == "a"
    answer = device.push([second, third])
    assert [r["status"] for r in answer["results"]] == ["applied", "applied"]


def test_a_rejected_mutation_advances_last_mid_and_keeps_its_payload(store, device):
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "size": 101})
    device.put("note", record_id, {"project_id": PROJECT, "size": 5})
    answer = device.push()
    assert [r["status"] for r in answer["results"]] == ["rejected", "applied"]
    assert answer["results"][0]["error"] == {"code": "invalid", "message": "some fields are not valid",
                                             "fields": {"size": ["must be 0–100"]}}
    assert answer["last_mid"] == 2
    assert store.rejected[0].payload["fields"] == {"project_id": PROJECT, "size": 101}
    assert store.rejected[0].user_id == "user-1"


@pytest.mark.parametrize("mutation,code,field", [
    ({"op": "put", "type": "nope", "fields": {"a": 1}}, "unknown_type", "type"),
    ({"op": "merge", "type": "note", "fields": {"title": "x"}}, "invalid", "op"),
    ({"op": "put", "type": "note", "id": "not-a-uuid", "fields": {"title": "x"}}, "invalid", "id"),
    ({"op": "put", "type": "note", "hlc": "yesterday", "fields": {"title": "x"}}, "invalid", "hlc"),
    ({"op": "put", "type": "note", "fields": {"colour": "red"}}, "invalid", "colour"),
    ({"op": "put", "type": "note", "fields": {"tags": "red"}}, "invalid", "tags"),
    ({"op": "put", "type": "note", "fields": {"tags": {"add": [1]}}}, "invalid", "tags"),
    ({"op": "put", "type": "note", "fields": {"results": ["E1"]}}, "invalid", "results"),
    ({"op": "put", "type": "note", "fields": {"status": "flying"}}, "invalid", "status"),
    ({"op": "put", "type": "note", "fields": {"status": "done"}}, "invalid_transition", "status"),
    ({"op": "put", "type": "note", "fields": {}}, "invalid", "fields"),
    ({"op": "put", "type": "note", "fields": {"title": "no project"}}, "invalid", "project_id"),
    ({"op": "delete", "type": "note"}, "invalid", "id"),
])
def test_malformed_mutations_are_rejected_with_the_field_named(store, device, mutation, code, field):
    record_id = new_id()
    full = {"mid": 1, "id": record_id, "hlc": device.hlc(), **mutation}
    if field not in ("project_id", "fields") and "fields" in full and code != "unknown_type":
        full["fields"] = {"project_id": PROJECT, **full["fields"]}
    result = device.push([full])["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == code
    assert field in result["error"]["fields"]
    assert ("note", record_id) not in store.records


def test_an_hlc_of_another_client_is_refused(store, device):
    other = new_id()
    mutation = {"mid": 1, "op": "put", "type": "note", "id": new_id(),
                "hlc": f"001790000000000:00000:{other}", "fields": {"project_id": PROJECT}}
    result = device.push([mutation])["results"][0]
    assert result["error"]["fields"] == {"hlc": ["must end with this device's client_id"]}


def test_the_project_of_a_record_never_changes(store, device):
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "title": "x"})
    device.put("note", record_id, {"project_id": "00000000-0000-4000-8000-000000000002"})
    results = device.push()["results"]
    assert results[1]["error"]["fields"] == {"project_id": ["cannot be changed after creation"]}


def test_a_non_member_is_forbidden():
    store = MemoryStore()
    device = EngineDevice(store, OpenPolicy({"user-1": {}}), "user-1", new_id())
    device.put("note", new_id(), {"project_id": PROJECT, "title": "x"})
    assert device.push()["results"][0]["error"]["code"] == "forbidden"


def test_a_client_id_belongs_to_its_first_user(store, policy, device):
    device.put("note", new_id(), {"project_id": PROJECT})
    device.push()
    thief = EngineDevice(store, policy, "user-2", device.client_id)
    thief.put("note", new_id(), {"project_id": PROJECT})
    with pytest.raises(sync.DeviceOwnedByOther):
        thief.push()


@pytest.mark.parametrize("mutations", [
    "all", [1], [{"op": "put"}], [{"mid": 0}], [{"mid": "1"}], [{"mid": True}],
    [{"mid": 1}, {"mid": 1}],
])
def test_an_unusable_envelope_is_malformed(store, policy, mutations):
    with pytest.raises(sync.BatchMalformed):
        sync.push(store, REGISTRY, policy, user_id="u", client_id=new_id(), mutations=mutations,
                  now_ms=0, now_iso="")
    assert store.devices == {}


def test_mutations_apply_in_mid_order_whatever_the_order_sent(store, device):
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "title": "first"})
    device.put("note", record_id, {"title": "second"})
    answer = device.push(list(reversed(device.outbox)))
    assert [r["mid"] for r in answer["results"]] == [1, 2]
    assert store.records[("note", record_id)].values["title"] == "second"


def test_the_clamp_shows_in_history_and_a_future_device_does_not_win_for_ever(store, policy):
    now = 1_790_000_000_000
    ahead = EngineDevice(store, policy, "fast", new_id(), clock_ms=now + 2 * 3600 * 1000)
    honest = EngineDevice(store, policy, "honest", new_id(), clock_ms=now + 61_000)
    record_id = new_id()
    ahead.put("note", record_id, {"project_id": PROJECT, "title": "from the future"})
    ahead.push(now_ms=now)
    entry = next(h for h in store.history if h.field == "title")
    assert entry.original_hlc.startswith(f"{now + 2 * 3600 * 1000:015d}")
    assert entry.hlc.startswith(f"{now + 60_000:015d}")
    honest.put("note", record_id, {"title": "a minute later"})
    assert honest.push(now_ms=now + 61_000)["results"][0]["status"] == "applied"
    assert store.records[("note", record_id)].values["title"] == "a minute later"
