"""A put that creates a record may name a state one legal move from the machine's initial
state: the move is judged like any later one (role, guard) and shows in history."""
import pytest

from sync.memory import MemoryStore

from .conftest import PROJECT, OpenPolicy, new_id
from .device import EngineDevice


class StartPolicy(OpenPolicy):
    """Only a `starter` moves a note open -> doing, and a note starts only with a title."""

    def may(self, roles, rtype, action, record, user_id):
        if action == "status:open->doing":
            return "starter" in roles
        return super().may(roles, rtype, action, record, user_id)

    def guard(self, rtype, source, target, record, records):
        if target == "doing" and not record.values.get("title"):
            return {"title": ["required to start"]}
        return super().guard(rtype, source, target, record, records)


def creator(role: str) -> tuple[MemoryStore, EngineDevice]:
    store = MemoryStore()
    policy = StartPolicy({"u": {PROJECT: {role}}})
    return store, EngineDevice(store, policy, "u", new_id())


def test_a_record_created_one_move_from_its_initial_state_is_applied_with_that_move():
    store, device = creator("starter")
    record_id = new_id()
    mutation = device.put("note", record_id, {"project_id": PROJECT, "title": "begun on site",
                                              "status": "doing"})
    result = device.push()["results"][0]
    assert result["status"] == "applied", result
    record = store.records[("note", record_id)]
    assert record.values["status"] == "doing"
    assert record.meta["c"]["status"][0] == mutation["hlc"]
    moves = [(h.old, h.new, h.user_id) for h in store.history if h.field == "status"]
    assert moves == [("open", "doing", "u")]


def test_a_record_created_in_its_initial_state_writes_no_move():
    store, device = creator("starter")
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "title": "t", "status": "open"})
    assert device.push()["results"][0]["status"] == "applied"
    assert store.records[("note", record_id)].values["status"] == "open"
    assert [h for h in store.history if h.field == "status"] == []


@pytest.mark.parametrize("target", ["done", "closed"])
def test_a_record_created_two_moves_away_is_invalid_transition(target):
    store, device = creator("starter")
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "title": "t", "status": target})
    result = device.push()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_transition"
    assert result["error"]["fields"] == {"status": [f"cannot go from open to {target}"]}
    assert ("note", record_id) not in store.records


def test_a_role_that_may_not_make_the_first_move_may_not_create_past_it():
    store, device = creator("member")
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "title": "t", "status": "doing"})
    result = device.push()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_transition"
    assert ("note", record_id) not in store.records
    assert store.rejected[0].payload["fields"]["status"] == "doing"


def test_the_guard_of_the_first_move_holds_at_creation():
    store, device = creator("starter")
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "status": "doing"})
    result = device.push()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"] == {"code": "invalid", "message": "a note needs more before it is doing",
                               "fields": {"title": ["required to start"]}}
    assert ("note", record_id) not in store.records
