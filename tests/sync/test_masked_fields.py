"""A field the caller reads masked is judged against its masked form, never its stored
value: the answer to a put tells nothing the caller could not read."""
import pytest

from sync.memory import MemoryStore

from .conftest import NOW_MS, PROJECT, OpenPolicy, new_id
from .device import EngineDevice


class MaskingPolicy(OpenPolicy):
    """A `guest` reads `title` masked (its first letter, then stars) but may edit anything."""

    def hides(self, roles, rtype, field):
        return field == "title" and "guest" in roles

    def mask(self, rtype, field, value):
        return value[0] + "*" * (len(value) - 1) if isinstance(value, str) else value


@pytest.fixture
def site():
    store = MemoryStore()
    policy = MaskingPolicy({"owner": {PROJECT: {"member"}}, "guest": {PROJECT: {"guest"}}})
    owner = EngineDevice(store, policy, "owner", new_id())
    record_id = new_id()
    owner.put("note", record_id, {"project_id": PROJECT, "title": "secret", "size": 1})
    assert owner.push()["results"][0]["status"] == "applied"
    guest = EngineDevice(store, policy, "guest", new_id(), clock_ms=NOW_MS + 10)
    return store, guest, record_id


def test_every_guess_of_a_masked_value_gets_the_same_answer(site):
    store, guest, record_id = site
    for guess in ("secret", "secreT", "public", None):
        guest.put("note", record_id, {"title": guess})
    results = guest.push()["results"]
    assert {(r["status"], r["error"]["code"]) for r in results} == {("rejected", "forbidden")}
    assert {tuple(r["error"]["fields"]) for r in results} == {("title",)}
    assert store.records[("note", record_id)].values["title"] == "secret"


def test_the_masked_form_is_left_as_it_is_beside_fields_the_caller_may_write(site):
    store, guest, record_id = site
    guest.put("note", record_id, {"title": "s*****", "size": 2})
    assert guest.push()["results"][0]["status"] == "applied"
    record = store.records[("note", record_id)]
    assert record.values["title"] == "secret" and record.values["size"] == 2
    assert record.meta["c"]["title"][1] == "owner"  # no clock of the guest's
