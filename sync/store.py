"""The interfaces the engine needs from its surroundings: a store and a policy."""
from __future__ import annotations

from typing import Any, Protocol

from .records import RecordType
from .state import ConflictEntry, DeviceState, HistoryEntry, Reaction, RecordState, RejectedEntry


class Records(Protocol):
    """Reading records as one unit of work sees them: its own saves over what was stored."""

    def load(self, type_name: str, record_id: str) -> RecordState | None:
        """The record, as a copy of its own: the engine merges into it and may drop it."""

    def find(self, type_name: str, field: str, value: Any) -> list[RecordState]:
        """Every record of `type_name` whose `field` equals `value`, deleted ones included."""


class Store(Records, Protocol):
    """Where records and sync bookkeeping live; one instance is one unit of work."""

    def get_device(self, client_id: str) -> DeviceState | None: ...
    def put_device(self, device: DeviceState) -> None: ...
    def get_result(self, client_id: str, mid: int) -> dict | None: ...
    def put_result(self, client_id: str, mid: int, result: dict) -> None: ...
    def next_seq(self) -> int: ...
    def save(self, record: RecordState) -> None: ...
    def add_history(self, entries: list[HistoryEntry]) -> None: ...
    def add_conflicts(self, entries: list[ConflictEntry]) -> None: ...
    def add_rejected(self, entry: RejectedEntry) -> None: ...
    def scrub_personal(self, type_name: str, record_id: str, fields: frozenset[str]) -> None:
        """Forget the values of `fields` of one record wherever the store keeps them
        besides the record: its history (old and new become null), conflicts and the
        stored answers of pushes whose value lost (yours and kept become null), and
        rejected payloads (the fields are left out), this unit of work's own entries
        included."""
    def changes_since(self, after_seq: int, project_ids: list[str],
                      limit: int) -> list[RecordState]: ...
    def project_records(self, project_id: str, after_seq: int, upto_seq: int,
                        limit: int) -> list[RecordState]: ...
    def tombstone_floor(self) -> int: ...
    def keep_project_set(self, key: str, project_ids: list[str]) -> None:
        """Keep a set of projects under its key (a pull cursor names the set by key)."""
    def project_set(self, key: str) -> list[str] | None:
        """The set of projects kept under `key`, or None."""


class Policy(Protocol):
    """The server's rules: roles, permissions and field validation."""

    def roles(self, user_id: str, project_id: str) -> frozenset[str]:
        """The user's roles in the project (empty when not a member)."""

    def may(self, roles: frozenset[str], rtype: RecordType, action: str,
            record: RecordState | None, user_id: str) -> bool:
        """Whether a holder of `roles` may do `action` (create, `edit:<field>`, delete,
        or `status:<from>-><to>`) on a record of `rtype`."""

    def hides(self, roles: frozenset[str], rtype: RecordType, field: str) -> bool:
        """Whether a holder of `roles` reads `field` of a `rtype` record masked."""

    def mask(self, rtype: RecordType, field: str, value: Any) -> Any:
        """`value` of `field` as those who read it masked see it."""

    def clean(self, rtype: RecordType, fields: dict[str, Any], creating: bool,
              record: RecordState | None) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """A put's fields in their normal form (plus any the policy derives, such as a
        default), and their errors (empty when valid)."""

    def guard(self, rtype: RecordType, source: str, target: str, record: RecordState,
              records: Records) -> dict[str, list[str]]:
        """Field errors that forbid moving `record` from `source` to `target`, judged on its
        values and on other records as `records` holds them (changes earlier in the same
        push included)."""

    def reactions(self, rtype: RecordType, record: RecordState, source: str,
                  target: str | None, records: Records, user_id: str,
                  roles: frozenset[str]) -> list[Reaction]:
        """Writes the server makes itself because `record` (as the mutation leaves it)
        moved from `source` to `target` (None: the record is being deleted; a deleted
        record of a type without states moves from None); raising MutationRejected rejects
        the mutation. Optional: a policy without it makes none."""

    def created(self, rtype: RecordType, record: RecordState, records: Records, user_id: str,
                roles: frozenset[str]) -> list[Reaction]:
        """Writes the server makes itself because `record` (as the put leaves it) is being
        created, before those of any move the same put makes; raising MutationRejected
        rejects the put. Optional: a policy without it makes none."""
