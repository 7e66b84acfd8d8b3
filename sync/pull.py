"""Pull: pages of whole current records in commit order, from an opaque cursor.

A cursor remembers three things:
  - "s": the highest seq the device has been sent (changes are sent in seq order);
  - "k": the key of the set of projects the device was synced for when it got there,
    each with the view it was synced through (see `pull`'s `views`); the store keeps
    each set under its key, so a cursor's length does not grow with the number of
    projects (cursors of an older form carry the list itself as "p");
  - "w": work in progress on a project that joined or left the device's set, as
    [project_id, "backfill" | "evict", last seq done].

Seqs are handed out in commit order (the server serialises writers, see
docs/sync-protocol.md), so every change with a seq at or below "s" was visible when
the page was read, and paging by seq never skips one.

When the caller's projects differ from the set synced, the gap is closed before new
changes go out: a project that left is evicted record by record (`{"deleted": true,
"evicted": true}`), and a project that joined, or is now seen through another view, is
backfilled with its records up to "s" (those above "s" come with the ordinary changes).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass

from .engine import is_uuid
from .errors import SyncError
from .state import DeviceState, RecordState
from .store import Store


# Above any seq a store hands out (seqs are 64-bit integers in the database).
EVERYTHING = 2 ** 63 - 1


class CursorError(SyncError):
    """A cursor this server did not make (HTTP 400)."""


class ResyncRequired(SyncError):
    """The cursor is older than the tombstones kept (HTTP 410, code `resync`)."""


@dataclass
class Change:
    """One entry of a pull page."""

    record: RecordState
    evicted: bool = False


@dataclass
class PullPage:
    """A page of changes and the cursor after it."""

    changes: list[Change]
    cursor: str
    has_more: bool
    # The highest seq the device has now been sent.
    seq: int = 0


# What `project_set_key` makes: 18 bytes of a sha256 in base64url.
_KEY = re.compile(r"\A[A-Za-z0-9_-]{24}\Z")


def project_set_key(project_ids) -> str:
    """The key a set of projects is kept under: the same set always has the same key."""
    digest = hashlib.sha256("\n".join(sorted(set(project_ids))).encode()).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def encode_cursor(state: dict) -> str:
    """The opaque text form of a cursor."""
    raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str | None) -> dict | None:
    """The cursor's state, or None for "from the start"; CursorError when malformed."""
    if not text:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        state = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise CursorError("cursor is not one this server made") from None
    ok = (isinstance(state, dict) and isinstance(state.get("s"), int) and state["s"] >= 0
          and (isinstance(state.get("k"), str) and _KEY.match(state["k"]) is not None
               and "p" not in state
               or isinstance(state.get("p"), list) and all(is_uuid(p) for p in state["p"])
               and "k" not in state))
    work = state.get("w") if isinstance(state, dict) else None
    if ok and work is not None:
        ok = (isinstance(work, list) and len(work) == 3 and isinstance(work[0], str)
              and work[1] in ("backfill", "evict") and isinstance(work[2], int))
    if not ok:
        raise CursorError("cursor is not one this server made")
    return state


def pull(store: Store, *, project_ids: list[str], cursor: str | None, limit: int,
         device: DeviceState | None = None, views: dict[str, str] | None = None) -> PullPage:
    """One page of changes for a member of `project_ids` after `cursor`.

    `views` names, per project, how the caller sees its records when that differs from
    seeing them whole (the server passes the fields masked for the caller's roles there).
    When a project's view changes, its records are sent again as the new view shows them,
    so a device never keeps what its user may no longer read."""
    views = views or {}
    current = {p: view_entry(p, views.get(p)) for p in set(project_ids)}
    entries = sorted(current.values())
    state = decode_cursor(cursor) or {"s": 0, "p": entries}
    if state["s"] and state["s"] < store.tombstone_floor():
        raise ResyncRequired("cursor is older than the tombstones kept")
    seq, work = state["s"], state.get("w")
    synced = {entry_project(entry): entry for entry in _synced(store, state, entries)}
    changes: list[Change] = []

    # 1. Close the gap between the projects synced and the caller's projects, one
    #    project at a time: evict what left; backfill what joined, or what is now seen
    #    through another view (nothing to backfill from the start).
    pending = ([("evict", p) for p in sorted(synced.keys() - current.keys())]
               + [("backfill", p) for p in sorted(current)
                  if synced.get(p) != current[p] and seq > 0])
    if work and (work[1], work[0]) in pending:
        pending.remove((work[1], work[0]))
        pending.insert(0, (work[1], work[0]))
    for action, project_id in pending:
        done = work[2] if work and work[0] == project_id and work[1] == action else 0
        room = limit - len(changes)
        # Eviction covers every record of the project, also those changed since the
        # cursor; backfill sends those up to the cursor (later ones come as changes).
        upto = EVERYTHING if action == "evict" else seq
        rows = store.project_records(project_id, done, upto, room)
        changes.extend(Change(row, evicted=action == "evict") for row in rows)
        if len(rows) == room:
            work = [project_id, action, rows[-1].seq]
            return _page(store, device, changes, seq, sorted(synced.values()), work, True,
                         state)
        work = None
        if action == "evict":
            del synced[project_id]
        else:
            synced[project_id] = current[project_id]

    # 2. Ordinary changes after `seq` in the caller's projects.
    room = limit - len(changes)
    rows = store.changes_since(seq, sorted(current), room) if room > 0 else []
    changes.extend(Change(row) for row in rows)
    if rows:
        seq = rows[-1].seq
    return _page(store, device, changes, seq, entries, None, room <= 0 or len(rows) == room,
                 state)


# Between a project id and its view in an entry of a cursor's project set.
VIEW_MARK = "|"


def view_entry(project_id: str, view: str | None) -> str:
    """A project as a cursor's set holds it: its id, and its view when there is one."""
    return f"{project_id}{VIEW_MARK}{view}" if view else project_id


def entry_project(entry: str) -> str:
    """The project id of an entry `view_entry` made."""
    return entry.split(VIEW_MARK, 1)[0]


def _synced(store: Store, state: dict, current: list[str]) -> list[str]:
    """The entries of the project set the cursor was synced for."""
    if "p" in state:
        return state["p"]
    if state["k"] == project_set_key(current):
        return current
    synced = store.project_set(state["k"])
    if synced is None:
        raise CursorError("cursor is not one this server made")
    return synced


def _page(store: Store, device: DeviceState | None, changes: list[Change], seq: int,
          synced: list[str], work: list | None, has_more: bool, before: dict) -> PullPage:
    if device is not None and seq > device.pulled_seq:
        device.pulled_seq = seq
        store.put_device(device)
    key = project_set_key(synced)
    if key != before.get("k"):
        store.keep_project_set(key, synced)
    state = {"s": seq, "k": key}
    if work:
        state["w"] = work
    return PullPage(changes, encode_cursor(state), has_more, seq)
