"""A client_id is bound to its user by its first push, not by a pull before it."""
import pytest

import sync

from .conftest import PROJECT, new_id
from .device import EngineDevice


@pytest.fixture
def shared_tablet(store, policy):
    """A note on the server, and a device that user-1 has pulled on but never pushed from."""
    writer = EngineDevice(store, policy, "writer", new_id())
    record_id = new_id()
    writer.put("note", record_id, {"project_id": PROJECT, "tags": {"add": ["seen"]}})
    writer.push()
    first = EngineDevice(store, policy, "user-1", new_id())
    first.pull([PROJECT])
    assert store.devices[first.client_id].pulled_seq > 0
    return first, record_id


def test_another_users_push_takes_a_device_that_has_only_pulled(store, policy, shared_tablet):
    first, record_id = shared_tablet
    second = EngineDevice(store, policy, "user-2", first.client_id)
    second.put("note", record_id, {"tags": {"remove": ["seen"]}})
    answer = second.push()
    assert answer["results"][0]["status"] == "applied"
    device = store.devices[first.client_id]
    assert (device.user_id, device.last_mid) == ("user-2", 1)
    # What user-1 pulled is not taken as seen by user-2: the remove spares that add.
    assert device.pulled_seq == 0
    assert store.records[("note", record_id)].values["tags"] == ["seen"]


def test_once_pushed_from_a_device_stays_its_users(store, policy, shared_tablet):
    first, record_id = shared_tablet
    second = EngineDevice(store, policy, "user-2", first.client_id)
    second.put("note", record_id, {"tags": {"add": ["mine"]}})
    second.push()
    first.put("note", record_id, {"tags": {"add": ["theirs"]}})
    with pytest.raises(sync.DeviceOwnedByOther):
        first.push()
    assert store.devices[first.client_id].user_id == "user-2"


def test_its_own_users_first_push_keeps_what_the_device_pulled(store, policy, shared_tablet):
    first, record_id = shared_tablet
    pulled = store.devices[first.client_id].pulled_seq
    first.put("note", record_id, {"tags": {"remove": ["seen"]}})
    assert first.push()["results"][0]["status"] == "applied"
    assert store.devices[first.client_id].pulled_seq == pulled
    assert store.records[("note", record_id)].values["tags"] == []


def test_a_push_that_applied_nothing_does_not_bind(store, policy):
    """A batch that is all gap leaves last_mid at 0: the device is still nobody's."""
    first = EngineDevice(store, policy, "user-1", new_id())
    first.put("note", new_id(), {"project_id": PROJECT})
    first.put("note", new_id(), {"project_id": PROJECT})
    assert [r["status"] for r in first.push(first.outbox[1:])["results"]] == ["gap"]
    second = EngineDevice(store, policy, "user-2", first.client_id)
    second.put("note", new_id(), {"project_id": PROJECT})
    assert second.push()["results"][0]["status"] == "applied"
