"""What every test device shares: an outbox of mutations numbered by mid, stamped by hlc."""
from __future__ import annotations


class Outbox:
    """Mutations made offline, in mid order; a subclass says how it tells the time (`hlc`)."""

    def __init__(self):
        self.mid = 0
        self.outbox: list[dict] = []

    def hlc(self) -> str:
        raise NotImplementedError

    def put(self, type_name: str, record_id: str, fields: dict) -> dict:
        return self._queue({"op": "put", "type": type_name, "id": record_id, "fields": fields})

    def delete(self, type_name: str, record_id: str) -> dict:
        return self._queue({"op": "delete", "type": type_name, "id": record_id})

    def _queue(self, mutation: dict) -> dict:
        self.mid += 1
        mutation = {"mid": self.mid, **mutation, "hlc": self.hlc()}
        self.outbox.append(mutation)
        return mutation
