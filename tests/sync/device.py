"""An engine-level device: stamps mutations with mids and hlcs, pushes and pulls in memory."""
from __future__ import annotations

import sync
from sync.pull import pull

from ..outbox import Outbox
from .conftest import NOW_MS, REGISTRY


class EngineDevice(Outbox):
    """One device of one user against a MemoryStore, no HTTP."""

    def __init__(self, store, policy, user_id: str, client_id: str, clock_ms: int = NOW_MS):
        super().__init__()
        self.store, self.policy = store, policy
        self.user_id, self.client_id = user_id, client_id
        self.clock_ms = clock_ms
        self.counter = 0
        self.cursor = None
        self.records: dict[tuple[str, str], sync.RecordState] = {}

    def hlc(self) -> str:
        self.counter += 1
        return f"{self.clock_ms:015d}:{self.counter:05d}:{self.client_id}"

    def push(self, batch: list[dict] | None = None, now_ms: int = NOW_MS) -> dict:
        batch = list(self.outbox if batch is None else batch)
        answer = sync.push(self.store, REGISTRY, self.policy, user_id=self.user_id,
                           client_id=self.client_id, mutations=batch, now_ms=now_ms,
                           now_iso="2026-09-21T00:00:00Z")
        done = {r["mid"] for r in answer["results"] if r["status"] != "gap"}
        self.outbox = [m for m in self.outbox if m["mid"] not in done]
        return answer

    def pull(self, project_ids: list[str], limit: int = 500) -> list[sync.Change]:
        received = []
        while True:
            device = (self.store.get_device(self.client_id)
                      or sync.DeviceState(self.client_id, self.user_id))
            page = pull(self.store, project_ids=project_ids, cursor=self.cursor, limit=limit,
                        device=device)
            for change in page.changes:
                key = (change.record.type, change.record.id)
                if change.record.deleted or change.evicted:
                    self.records.pop(key, None)
                else:
                    self.records[key] = change.record
            received.extend(page.changes)
            self.cursor = page.cursor
            if not page.has_more:
                return received
