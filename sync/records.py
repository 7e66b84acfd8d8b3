"""Declarations of record types: their fields, field kinds and state machines.

A record type is data, not code: the engine merges every type the same way, reading
the kind of each field from its `RecordType`. Adding a type or a field is a change to
one declaration (and, on the server, one model column).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property


# The most elements of a set field, or keys of a map field, unless its type says otherwise.
DEFAULT_MAX_ITEMS = 100


class FieldKind(str, Enum):
    """How a field merges (protocol, "Field kinds")."""

    LWW = "lww"        # highest hlc wins, per field
    SET = "set"        # add-wins observed-remove set
    MAP = "map"        # each key is its own lww field
    STATE = "state"    # legal transitions from the current state, in commit order
    APPEND = "append"  # the whole record is created once and never edited


@dataclass(frozen=True)
class StateMachine:
    """States of a `state` field: the initial one and the legal moves between them."""

    initial: str
    transitions: dict[str, tuple[str, ...]]

    @property
    def states(self) -> tuple[str, ...]:
        """Every state, initial first."""
        seen = [self.initial]
        for source, targets in self.transitions.items():
            for state in (source, *targets):
                if state not in seen:
                    seen.append(state)
        return tuple(seen)

    def allows(self, source: str, target: str) -> bool:
        """Whether `source -> target` is a declared move."""
        return target in self.transitions.get(source, ())


@dataclass(frozen=True)
class RecordType:
    """One record type: its name, each field's kind, and its state machine if any."""

    name: str
    fields: dict[str, FieldKind]
    state_field: str | None = None
    machine: StateMachine | None = None
    # Fields fixed at creation: a later put may not change them (the project a record
    # belongs to decides who may read it, so it never moves).
    immutable: frozenset[str] = field(default_factory=lambda: frozenset({"project_id"}))
    # The most elements a `set` field, or keys a `map` field, may hold; fields not named
    # here hold at most DEFAULT_MAX_ITEMS. A record goes to every member of its project,
    # so its size is bounded too: `max_chars` characters of its values as JSON.
    max_items: dict[str, int] = field(default_factory=dict)
    max_chars: int = 256 * 1024
    # Fields holding a person's data (a resident's name, phone, address): a deletion
    # removes their values from the record, its history and every inbox, and retention
    # anonymises them. Declared here alone; everything else reads it.
    personal: frozenset[str] = frozenset()

    @cached_property
    def append_only(self) -> bool:
        """Whether records of this type are created once and never edited."""
        return any(kind is FieldKind.APPEND for kind in self.fields.values())

    def limit(self, name: str) -> int:
        """The most elements (set) or keys (map) field `name` may hold."""
        return self.max_items.get(name, DEFAULT_MAX_ITEMS)

    def is_personal(self, name: str) -> bool:
        """Whether `name` (or, for a map entry `field.key`, its field) is personal."""
        return name.split(".")[0] in self.personal

    def without_personal(self, mutation: dict) -> dict:
        """`mutation` with its personal fields left out of `fields` (a copy when any is)."""
        fields = mutation.get("fields")
        if not isinstance(fields, dict) or not any(self.is_personal(n) for n in fields
                                                   if isinstance(n, str)):
            return mutation
        return {**mutation, "fields": {name: value for name, value in fields.items()
                                       if not (isinstance(name, str) and self.is_personal(name))}}

    def kind(self, name: str) -> FieldKind | None:
        """The kind of field `name`, or None when the type has no such field."""
        if name == self.state_field:
            return FieldKind.STATE
        return self.fields.get(name)


class Registry:
    """The record types a server knows, by name."""

    def __init__(self, types: list[RecordType]):
        self._types = {t.name: t for t in types}

    def get(self, name: str) -> RecordType | None:
        """The type called `name`, or None."""
        return self._types.get(name)

    def __iter__(self):
        return iter(self._types.values())

    def names(self) -> list[str]:
        """Every type name."""
        return list(self._types)
