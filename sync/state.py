"""The data the engine reads and writes through a store."""
from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordState:
    """A record as stored: current values plus the merge metadata behind them.

    `meta` holds, per field kind:
      - "c": {field: [hlc, user_id, seq, client_id]} clock of each lww/state field
      - "m": {field: {key: [hlc, user_id, seq, client_id]}} clock of each map key
            (a removed key keeps its clock so an older put cannot bring it back)
      - "s": {field: {element: [[seq, client_id], ...]}} live add-tags of each set element
    """

    type: str
    id: str
    values: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=lambda: {"c": {}, "m": {}, "s": {}})
    deleted: bool = False
    seq: int = 0
    created_by: str | None = None
    created_at: str | None = None
    updated_by: str | None = None
    updated_at: str | None = None

    @property
    def project_id(self) -> str | None:
        """The project the record belongs to."""
        return self.values.get("project_id")

    def clone(self) -> "RecordState":
        """A deep copy, so a rejected mutation leaves the original untouched."""
        return dataclasses.replace(self, values=copy_json(self.values), meta=copy_json(self.meta))


_ATOMIC = frozenset({str, int, float, bool, type(None)})


def copy_json(value):
    """A deep copy of JSON-shaped data (what record values and merge metadata hold),
    several times faster than copy.deepcopy, which a push would pay per record."""
    kind = type(value)
    if kind is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if kind is list:
        return [copy_json(item) for item in value]
    if kind in _ATOMIC:
        return value
    return copy.deepcopy(value)


@dataclass
class DeviceState:
    """A device bound to a user, with the last mutation number it has had answered."""

    client_id: str
    user_id: str
    last_mid: int = 0
    pulled_seq: int = 0


@dataclass
class HistoryEntry:
    """One field change, or one value that lost (`lost=True`)."""

    type: str
    record_id: str
    field: str
    old: Any
    new: Any
    hlc: str
    user_id: str
    client_id: str
    seq: int
    original_hlc: str | None = None
    lost: bool = False


@dataclass
class ConflictEntry:
    """A value of `user_id` that lost to `kept`, written by `by`."""

    user_id: str
    type: str
    record_id: str
    field: str
    yours: Any
    kept: Any
    by: str
    seq: int


@dataclass
class RejectedEntry:
    """A rejected mutation, kept with its payload for its author."""

    user_id: str
    client_id: str
    mid: int
    type: str
    record_id: str
    op: str
    payload: dict
    error: dict


@dataclass
class Reaction:
    """A write the server makes itself because a mutation created or moved a record (an
    approval opened when its subject moves or is created, the subject moved by a decision).

    Applied in the same unit of work as the mutation, with its own seq and history; the
    mutation is rejected, and nothing of it written, if a reaction cannot be applied."""

    type: str
    id: str
    project_id: str
    # Fields written last-writer-wins (a new record's fields, or a record's own).
    values: dict[str, Any] = field(default_factory=dict)
    # The state the record moves to (its state field), if it moves.
    state: str | None = None
    # A new record: nothing is written when one with this id exists already (opened by
    # a retry, or by another server), so a derived id is recorded once.
    create: bool = False
