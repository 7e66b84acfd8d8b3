"""An in-memory store: the engine's reference store, used by tests and simulations."""
from __future__ import annotations

import copy

from .merge import canonical

from .state import ConflictEntry, DeviceState, HistoryEntry, RecordState, RejectedEntry


class MemoryStore:
    """Every table of the store as a Python dict or list; one object is the whole server."""

    def __init__(self):
        self.records: dict[tuple[str, str], RecordState] = {}
        self.devices: dict[str, DeviceState] = {}
        self.results: dict[tuple[str, int], dict] = {}
        self.history: list[HistoryEntry] = []
        self.conflicts: list[ConflictEntry] = []
        self.rejected: list[RejectedEntry] = []
        self.seq = 0
        self.floor = 0
        self.project_sets: dict[str, list[str]] = {}

    def get_device(self, client_id):
        device = self.devices.get(client_id)
        return copy.copy(device) if device else None

    def put_device(self, device: DeviceState):
        self.devices[device.client_id] = copy.copy(device)

    def get_result(self, client_id, mid):
        return copy.deepcopy(self.results.get((client_id, mid)))

    def put_result(self, client_id, mid, result):
        self.results[(client_id, mid)] = copy.deepcopy(result)

    def next_seq(self):
        self.seq += 1
        return self.seq

    def load(self, type_name, record_id):
        record = self.records.get((type_name, record_id))
        return record.clone() if record else None

    def save(self, record: RecordState):
        self.records[(record.type, record.id)] = record.clone()

    def find(self, type_name, field, value):
        return [r.clone() for (kind, _), r in self.records.items()
                if kind == type_name and r.values.get(field) == value]

    def add_history(self, entries):
        self.history.extend(entries)

    def add_conflicts(self, entries):
        self.conflicts.extend(entries)

    def add_rejected(self, entry):
        self.rejected.append(entry)

    def scrub_personal(self, type_name, record_id, fields):
        def personal(entry_type, entry_id, name):
            return entry_type == type_name and entry_id == record_id and \
                name.split(".")[0] in fields
        # A value that lost is also in its push's stored answer, as `yours` beside `kept`.
        lost = [entry for entry in self.history
                if entry.lost and personal(entry.type, entry.record_id, entry.field)]
        named = {(e.client_id, e.field, canonical(e.new), canonical(e.old)) for e in lost}
        for (client_id, _), result in self.results.items():
            if "conflicts" in result:
                result["conflicts"] = [
                    {**c, "yours": None, "kept": None}
                    if (client_id, c["field"], canonical(c["yours"]), canonical(c["kept"])) in named
                    else c for c in result["conflicts"]]
        for entry in self.history:
            if personal(entry.type, entry.record_id, entry.field):
                entry.old = entry.new = None
        for entry in self.conflicts:
            if personal(entry.type, entry.record_id, entry.field):
                entry.yours = entry.kept = None
        for entry in self.rejected:
            payload_fields = entry.payload.get("fields")
            if entry.type == type_name and entry.record_id.lower() == record_id \
                    and isinstance(payload_fields, dict):
                entry.payload = {**entry.payload, "fields": {
                    name: value for name, value in payload_fields.items()
                    if name.split(".")[0] not in fields}}

    def changes_since(self, after_seq, project_ids, limit):
        wanted = set(project_ids)
        rows = sorted((r for r in self.records.values()
                       if r.seq > after_seq and r.project_id in wanted), key=lambda r: r.seq)
        return [r.clone() for r in rows[:limit]]

    def project_records(self, project_id, after_seq, upto_seq, limit):
        rows = sorted((r for r in self.records.values()
                       if r.project_id == project_id and after_seq < r.seq <= upto_seq),
                      key=lambda r: r.seq)
        return [r.clone() for r in rows[:limit]]

    def tombstone_floor(self):
        return self.floor

    def keep_project_set(self, key, project_ids):
        self.project_sets.setdefault(key, sorted(project_ids))

    def project_set(self, key):
        found = self.project_sets.get(key)
        return list(found) if found is not None else None
