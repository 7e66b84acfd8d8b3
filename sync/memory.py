"""An in-memory store: the engine's reference store, used by tests and simulations."""
from __future__ import annotations

import copy

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
