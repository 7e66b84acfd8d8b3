"""A value that loses to its own device's earlier write (the device's clock went back)."""
from .conftest import PROJECT, new_id
from .device import EngineDevice


def test_a_value_lost_to_the_same_devices_newer_clock_reaches_its_authors_inbox(store, policy):
    device = EngineDevice(store, policy, "alice", new_id())
    record_id = new_id()
    device.put("note", record_id, {"project_id": PROJECT, "title": "written first"})
    device.clock_ms -= 60_000  # the phone's clock is set back a minute
    device.put("note", record_id, {"title": "written second"})
    results = device.push()["results"]
    assert results[1]["status"] == "merged"
    assert results[1]["conflicts"] == [{"field": "title", "yours": "written second",
                                        "kept": "written first", "by": "alice"}]
    inbox = [(c.user_id, c.field, c.yours, c.kept) for c in store.conflicts]
    assert inbox == [("alice", "title", "written second", "written first")]
    assert any(h.new == "written second" and h.lost for h in store.history)
