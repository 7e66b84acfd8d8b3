"""Merge rules of each field kind, applied to one record in memory.

Every function here writes into a working copy of a record and appends what it did to
an `Outcome`; the engine decides afterwards whether the whole mutation stands.

Concurrency is judged by what the author had seen: a device has *observed* every
change up to the seq of its last pull, and its own earlier mutations. Two writes are
concurrent when neither author had observed the other's. References: Shapiro et al.,
"A comprehensive study of Convergent and Commutative Replicated Data Types" (2011),
for the add-wins observed-remove set and per-key last-writer-wins maps.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .records import FieldKind
from .state import ConflictEntry, HistoryEntry, RecordState


@dataclass(frozen=True)
class Author:
    """Who wrote a mutation, with its effective clock and what it had observed."""

    user_id: str
    client_id: str
    hlc: str
    seq: int
    observed_seq: int
    original_hlc: str | None = None

    def clock(self) -> list:
        """The clock stored beside a value: [hlc, user_id, seq, client_id]."""
        return [self.hlc, self.user_id, self.seq, self.client_id]

    def has_observed(self, clock: list) -> bool:
        """Whether this author had seen the write that `clock` describes."""
        return clock[3] == self.client_id or clock[2] <= self.observed_seq


@dataclass
class Outcome:
    """What merging one mutation did."""

    history: list[HistoryEntry] = field(default_factory=list)
    # Values of this mutation that lost: they make the result `merged`.
    lost: list[dict] = field(default_factory=list)
    # Every conflict entry to store, for whichever author lost.
    conflicts: list[ConflictEntry] = field(default_factory=list)
    # Something was written: a value, or only a clock or a tag. A write that leaves every
    # value as it was still decides later merges, so it is stored all the same.
    changed: bool = False


def _history(record: RecordState, author: Author, name: str, old: Any, new: Any,
             lost: bool = False) -> HistoryEntry:
    return HistoryEntry(record.type, record.id, name, old, new, author.hlc, author.user_id,
                        author.client_id, author.seq, author.original_hlc, lost)


def canonical(value: Any) -> str:
    """A value's canonical JSON text: equal values give equal texts, and texts sort."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _register(record: RecordState, author: Author, outcome: Outcome, name: str,
              current: Any, current_clock: list | None, value: Any) -> bool:
    """Last-writer-wins for one slot; True when `value` wins and must be written.

    1. No clock yet, or a higher hlc: the new value wins; the old one goes to history.
       If the old value's author wrote it concurrently (this author had not seen it),
       that author lost a race and is told in their conflict inbox.
    2. A lower hlc: the new value loses; it goes to history and to this author's inbox.
    3. The same hlc (one device stamped two writes alike; the client id in the hlc
       keeps devices apart): the same value changes nothing. Of two different values
       the one whose canonical JSON text sorts higher wins, whichever came first, so
       every order of arrival keeps the same one. Neither write had seen the other:
       the loser is told as in 1 (the value kept loses) or 2 (the new value loses).
    """
    tie = False
    if current_clock is None or author.hlc > current_clock[0]:
        wins = True
    elif author.hlc < current_clock[0]:
        wins = False
    else:
        if current == value:
            return False
        mine, kept = canonical(value), canonical(current)
        if mine == kept:
            return False
        tie, wins = True, mine > kept
    if wins:
        if current_clock is not None and current != value:
            if tie or not author.has_observed(current_clock):
                outcome.conflicts.append(ConflictEntry(
                    current_clock[1], record.type, record.id, name, current, value,
                    author.user_id, author.seq))
        if current != value or current_clock is None:
            outcome.history.append(_history(record, author, name, current, value))
        return True
    if current != value:
        kept_by = current_clock[1]
        outcome.lost.append({"field": name, "yours": value, "kept": current, "by": kept_by})
        outcome.history.append(_history(record, author, name, current, value, lost=True))
        # Also when the value kept is the same device's: its clock went backwards.
        outcome.conflicts.append(ConflictEntry(
            author.user_id, record.type, record.id, name, value, current, kept_by,
            author.seq))
    return False


def leaves_as_is(record: RecordState, kind: FieldKind, name: str, value: Any) -> bool:
    """Whether a put's value (in the policy's normal form) for field `name` leaves the
    record's value as it is: for `lww` the same value; for `map` every key's value the
    current one (null: the key is absent); for `set` every add already an element and
    every remove already not one."""
    current = record.values.get(name)
    if kind is FieldKind.SET:
        elements = set(current or ())
        return (all(element in elements for element in value.get("add", ()))
                and not any(element in elements for element in value.get("remove", ())))
    if kind is FieldKind.MAP:
        current = current or {}
        return all(current.get(key) == item for key, item in value.items())
    return current == value


def merge_lww(record: RecordState, author: Author, outcome: Outcome, name: str, value: Any):
    """Write `value` into lww field `name` if its hlc is the highest seen."""
    clocks = record.meta.setdefault("c", {})
    current = record.values.get(name)
    if _register(record, author, outcome, name, current, clocks.get(name), value):
        clocks[name] = author.clock()
        outcome.changed = True
        if current != value:
            record.values[name] = value


def merge_map(record: RecordState, author: Author, outcome: Outcome, name: str,
              value: dict):
    """Merge `{key: value|None}` into map field `name`, each key its own lww slot."""
    clocks = record.meta.setdefault("m", {}).setdefault(name, {})
    current_map = dict(record.values.get(name) or {})
    for key in sorted(value):
        new = value[key]
        current = current_map.get(key)
        if _register(record, author, outcome, f"{name}.{key}", current, clocks.get(key), new):
            clocks[key] = author.clock()
            outcome.changed = True
            if new is None:
                current_map.pop(key, None)
            else:
                current_map[key] = new
    record.values[name] = current_map


def merge_set(record: RecordState, author: Author, outcome: Outcome, name: str,
              value: dict):
    """Apply `{"add": [...], "remove": [...]}` to add-wins set field `name`.

    1. Each element keeps the tags of the adds that put it there: [seq, client_id]; an
       add replaces the tags its author had observed.
    2. A remove drops only the tags its author had observed; a concurrent add's tag
       survives, so a concurrent add and remove keep the element.
    3. An add in the same mutation as a remove of the same element wins.
    4. The field's value is the sorted list of elements with at least one live tag.
    """
    tags = record.meta.setdefault("s", {}).setdefault(name, {})
    before = sorted(tags)
    before_tags = {element: list(live) for element, live in tags.items()}
    for element in value.get("remove", []):
        live = [tag for tag in tags.get(element, [])
                if not (tag[1] == author.client_id or tag[0] <= author.observed_seq)]
        if live:
            tags[element] = live
        else:
            tags.pop(element, None)
    for element in value.get("add", []):
        # The new tag stands for the tags its author had observed: whoever observes it
        # has observed those too, so no remove could drop them and spare it. Keeping only
        # the concurrent ones bounds the tags of an element a client re-adds with every
        # put of the whole record.
        kept = [tag for tag in tags.get(element, [])
                if not (tag[1] == author.client_id or tag[0] <= author.observed_seq)]
        tags[element] = [*kept, [author.seq, author.client_id]]
    after = sorted(tags)
    record.values[name] = after
    if tags != before_tags:
        outcome.changed = True
    if after != before:
        outcome.history.append(_history(record, author, name, before, after))
