"""A deletion leaves no personal data behind: not in the tombstone, its history, the
conflict inboxes, the stored answers of pushes, nor the rejected payloads kept for their
authors. Which fields are personal is declared once, on the record type."""
from __future__ import annotations

import json

import sync
from sync import FieldKind, RecordType, Registry
from sync.memory import MemoryStore

from .conftest import NOW_MS, PROJECT, OpenPolicy, new_id

CONTACT = RecordType("contact", {
    "project_id": FieldKind.LWW, "title": FieldKind.LWW, "size": FieldKind.LWW,
    "phone": FieldKind.LWW, "name": FieldKind.LWW,
}, personal=frozenset({"phone", "name"}))
REGISTRY = Registry([CONTACT])
PHONE, OTHER_PHONE, NAME = "13812345678", "13900001111", "周女士"


class Phone:
    """A device pushing contacts straight to the engine."""

    def __init__(self, store, user_id: str, clock_ms: int = NOW_MS):
        self.store, self.user_id, self.client_id = store, user_id, new_id()
        self.clock_ms, self.mid = clock_ms, 0

    def push(self, *mutations: dict) -> list[dict]:
        batch = []
        for mutation in mutations:
            self.mid += 1
            batch.append({"mid": self.mid, "type": "contact",
                          "hlc": f"{self.clock_ms:015d}:{self.mid:05d}:{self.client_id}",
                          **mutation})
        return sync.push(self.store, REGISTRY, OpenPolicy(), user_id=self.user_id,
                         client_id=self.client_id, mutations=batch, now_ms=NOW_MS,
                         now_iso="2026-09-21T00:00:00Z")["results"]


def put(record_id: str, **fields) -> dict:
    return {"op": "put", "id": record_id, "fields": fields}


def everything_kept(store: MemoryStore) -> str:
    """Every table of the store as one text, to search for a value."""
    return json.dumps([
        [vars(r) for r in store.records.values()], [vars(h) for h in store.history],
        [vars(c) for c in store.conflicts], [vars(r) for r in store.rejected],
        list(store.results.values())], ensure_ascii=False, default=str)


def a_contact_with_copies_everywhere(store: MemoryStore) -> tuple[str, Phone]:
    """A contact whose phone is in history, in a conflict (and the losing push's answer),
    and in a rejected payload."""
    record_id = new_id()
    alice, bob = Phone(store, "alice"), Phone(store, "bob", clock_ms=NOW_MS - 60_000)
    assert alice.push(put(record_id, project_id=PROJECT, title="Dust", phone=PHONE,
                          name=NAME))[0]["status"] == "applied"
    merged, rejected = bob.push(put(record_id, phone=OTHER_PHONE),
                                put(record_id, phone=OTHER_PHONE, size=1000))
    assert merged["status"] == "merged" and rejected["status"] == "rejected"
    text = everything_kept(store)
    assert PHONE in text and OTHER_PHONE in text and NAME in text
    return record_id, alice


def test_deleting_a_record_leaves_no_personal_value_anywhere_in_the_store():
    store = MemoryStore()
    record_id, alice = a_contact_with_copies_everywhere(store)
    assert alice.push({"op": "delete", "id": record_id})[0]["status"] == "applied"
    text = everything_kept(store)
    assert PHONE not in text and OTHER_PHONE not in text and NAME not in text
    record = store.records[("contact", record_id)]
    assert record.deleted and "phone" not in record.values and "name" not in record.values


def test_deleting_keeps_the_records_other_fields_in_history_and_payloads():
    store = MemoryStore()
    record_id, alice = a_contact_with_copies_everywhere(store)
    alice.push({"op": "delete", "id": record_id})
    assert [(h.field, h.old, h.new) for h in store.history if h.field == "title"] == \
        [("title", None, "Dust")]
    assert [h.field for h in store.history if h.field == "phone"] == ["phone", "phone"]
    assert all(h.old is None and h.new is None for h in store.history if h.field == "phone")
    [rejected] = store.rejected
    assert rejected.payload["fields"] == {"size": 1000}
    [conflict] = store.conflicts
    assert (conflict.field, conflict.yours, conflict.kept) == ("phone", None, None)


def test_a_put_after_the_deletion_is_rejected_with_its_personal_fields_left_out():
    store = MemoryStore()
    record_id, alice = a_contact_with_copies_everywhere(store)
    alice.push({"op": "delete", "id": record_id})
    [result] = alice.push(put(record_id, title="Still dusty", phone=PHONE))
    assert result["status"] == "rejected" and result["error"]["code"] == "deleted"
    assert store.rejected[-1].payload["fields"] == {"title": "Still dusty"}
    assert PHONE not in everything_kept(store)


def test_a_rejected_payload_of_a_live_record_keeps_its_personal_fields_for_its_author():
    store = MemoryStore()
    record_id, _ = a_contact_with_copies_everywhere(store)
    assert store.rejected[0].payload["fields"] == {"phone": OTHER_PHONE, "size": 1000}


def test_a_type_without_personal_fields_deletes_as_before():
    store = MemoryStore()
    note = RecordType("note", {"project_id": FieldKind.LWW, "title": FieldKind.LWW})
    assert note.personal == frozenset() and not note.is_personal("title")
    assert CONTACT.is_personal("phone") and not CONTACT.is_personal("title")
    assert CONTACT.without_personal({"fields": {"title": "x"}}) == {"fields": {"title": "x"}}
