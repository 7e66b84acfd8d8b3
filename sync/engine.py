"""Push: apply a device's mutations in `mid` order and answer one result per mutation.

The engine holds no state of its own. The caller opens one unit of work (a database
transaction) around `push`, passes a store bound to it, and commits or rolls back the
whole batch, so a fault leaves nothing half-written.
"""
from __future__ import annotations

import re
from typing import Any

from .errors import ClockFormatError, MutationRejected, SyncError
from .hlc import clamp_hlc, parse_hlc
from .merge import Author, Outcome, canonical, leaves_as_is, merge_lww, merge_map, merge_set
from .records import FieldKind, RecordType, Registry
from .state import DeviceState, HistoryEntry, Reaction, RecordState, RejectedEntry
from .store import Policy, Store

_UUID = re.compile(r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
MAX_SET_ELEMENT = 200
# Text longer than this makes a put measure the whole record (see `_check_size`).
LONG_TEXT = 256
# The device id in the clocks and history of the server's own writes (see `Reaction`);
# their user is the one whose mutation caused them.
SERVER_CLIENT_ID = "00000000-0000-5000-8000-000000000000"


class DeviceOwnedByOther(SyncError):
    """The client_id is bound to another user (HTTP 403)."""


class BatchMalformed(SyncError):
    """The push envelope itself is unusable: no results can be given (HTTP 400)."""

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.fields = fields or {}


def is_uuid(value: Any) -> bool:
    """Whether `value` is a UUID string."""
    return isinstance(value, str) and bool(_UUID.match(value))


def check_envelope(mutations: Any) -> list[dict]:
    """Check every mutation has a distinct positive integer mid; return them in mid order."""
    if not isinstance(mutations, list):
        raise BatchMalformed("mutations must be a list", {"mutations": ["must be a list"]})
    seen: set[int] = set()
    for index, mutation in enumerate(mutations):
        if not isinstance(mutation, dict):
            raise BatchMalformed("each mutation must be an object",
                                 {f"mutations.{index}": ["must be an object"]})
        mid = mutation.get("mid")
        if not isinstance(mid, int) or isinstance(mid, bool) or mid < 1:
            raise BatchMalformed("each mutation needs a positive integer mid",
                                 {f"mutations.{index}.mid": ["must be a positive integer"]})
        if mid in seen:
            raise BatchMalformed("mids must be distinct",
                                 {f"mutations.{index}.mid": ["repeated in this batch"]})
        seen.add(mid)
    return sorted(mutations, key=lambda m: m["mid"])


class PushSession:
    """One push from one device: the mutations of a batch applied against a store."""

    def __init__(self, store: Store, registry: Registry, policy: Policy, *, user_id: str,
                 client_id: str, now_ms: int, now_iso: str):
        self.store = store
        self.registry = registry
        self.policy = policy
        self.user_id = user_id
        self.client_id = client_id
        self.now_ms = now_ms
        self.now_iso = now_iso
        self._roles: dict[str, frozenset[str]] = {}

    def run(self, mutations: Any) -> dict:
        """Apply the batch and return `{"results": [...], "last_mid": n}`."""
        ordered = check_envelope(mutations)
        device = self.store.get_device(self.client_id)
        # A client_id is bound to its user by its first push (protocol, "Ids and clocks").
        # A device that has never pushed (one the server only remembers pulls of) is
        # anyone's: it starts afresh for this user, with nothing assumed observed.
        if device is None or (device.last_mid == 0 and device.user_id != self.user_id):
            device = DeviceState(self.client_id, self.user_id)
        elif device.user_id != self.user_id:
            raise DeviceOwnedByOther("this client_id belongs to another user")
        results = []
        gap = False
        for mutation in ordered:
            mid = mutation["mid"]
            if gap or mid > device.last_mid + 1:
                gap = True
                results.append({"mid": mid, "status": "gap"})
                continue
            if mid <= device.last_mid:
                stored = self.store.get_result(self.client_id, mid)
                replayed = dict(stored) if stored else {"mid": mid, "status": "applied"}
                replayed["replayed"] = True
                results.append(replayed)
                continue
            result = self.apply(mutation, device.pulled_seq)
            self.store.put_result(self.client_id, mid, result)
            device.last_mid = mid
            results.append(result)
        self.store.put_device(device)
        return {"results": results, "last_mid": device.last_mid}

    def apply(self, mutation: dict, observed_seq: int) -> dict:
        """Apply one mutation; a rejection keeps its payload for its author."""
        try:
            return self._apply(mutation, observed_seq)
        except MutationRejected as rejection:
            self.store.add_rejected(RejectedEntry(
                self.user_id, self.client_id, mutation["mid"], str(mutation.get("type", ""))[:64],
                str(mutation.get("id", ""))[:64], str(mutation.get("op", ""))[:16],
                self._kept_payload(mutation), rejection.as_error()))
            return {"mid": mutation["mid"], "status": "rejected", "error": rejection.as_error()}

    def _kept_payload(self, mutation: dict) -> dict:
        """What a rejection keeps for its author: the mutation as sent, except personal
        fields of a record that was deleted (a deletion leaves no personal data behind)."""
        rtype = self.registry.get(mutation.get("type")) if isinstance(mutation.get("type"), str) else None
        if rtype is None or not rtype.personal or not is_uuid(mutation.get("id")):
            return mutation
        record = self.store.load(rtype.name, mutation["id"].lower())
        return rtype.without_personal(mutation) if record is not None and record.deleted else mutation

    def _roles_in(self, project_id: str) -> frozenset[str]:
        if project_id not in self._roles:
            self._roles[project_id] = self.policy.roles(self.user_id, project_id)
        return self._roles[project_id]

    def _apply(self, mutation: dict, observed_seq: int) -> dict:
        # 1. The envelope: type, op, id, hlc.
        rtype = self.registry.get(mutation.get("type")) if isinstance(mutation.get("type"), str) else None
        if rtype is None:
            raise MutationRejected("unknown_type", f"unknown record type {mutation.get('type')!r}",
                                   {"type": ["unknown record type"]})
        op = mutation.get("op")
        if op not in ("put", "delete"):
            raise MutationRejected("invalid", "op must be put or delete", {"op": ["must be put or delete"]})
        record_id = mutation.get("id")
        if not is_uuid(record_id):
            raise MutationRejected("invalid", "id must be a UUID", {"id": ["must be a UUID"]})
        record_id = record_id.lower()
        try:
            parsed = parse_hlc(mutation.get("hlc"))
        except ClockFormatError as error:
            raise MutationRejected("invalid", str(error), {"hlc": [str(error)]}) from None
        if parsed.client_id.lower() != self.client_id.lower():
            raise MutationRejected("invalid", "hlc must end with this device's client_id",
                                   {"hlc": ["must end with this device's client_id"]})
        hlc, clamped = clamp_hlc(mutation["hlc"], self.now_ms, parsed=parsed)
        record = self.store.load(rtype.name, record_id)
        if record is not None and record.deleted:
            if op == "delete":
                return {"mid": mutation["mid"], "status": "applied", "seq": record.seq}
            raise MutationRejected("deleted", "this record was deleted", {})
        author = Author(self.user_id, self.client_id, hlc, self.store.next_seq(), observed_seq,
                        mutation["hlc"] if clamped else None)
        if op == "delete":
            return self._delete(mutation, rtype, record, author)
        return self._put(mutation, rtype, record_id, record, author)

    def _delete(self, mutation: dict, rtype: RecordType, record: RecordState | None,
                author: Author) -> dict:
        if record is None:
            raise MutationRejected("invalid", "no such record", {"id": ["no such record"]})
        roles = self._roles_in(record.project_id)
        if not roles or not self.policy.may(roles, rtype, "delete", record, self.user_id):
            raise MutationRejected("forbidden", "you may not delete this record", {})
        working = record  # the store's copy (see Records.load)
        # What the server writes because the record is gone (a pending approval of it
        # withdrawn, say): a move from its state (None for a type without states) to none.
        reacted = self._react(rtype, working, roles, author,
                              working.values.get(rtype.state_field) if rtype.state_field else None,
                              None)
        working.deleted = True
        # A tombstone keeps no personal data, nor does anything written about the record.
        for name in rtype.personal:
            working.values.pop(name, None)
        self._stamp(working, author)
        self.store.save(working)
        if rtype.personal:
            self.store.scrub_personal(rtype.name, record.id, rtype.personal)
        self.store.add_history([HistoryEntry(rtype.name, record.id, "deleted", False, True,
                                             author.hlc, author.user_id, author.client_id,
                                             author.seq, author.original_hlc)])
        for written, history in reacted:
            self.store.save(written)
            self.store.add_history(history)
        return {"mid": mutation["mid"], "status": "applied", "seq": working.seq}

    def _put(self, mutation: dict, rtype: RecordType, record_id: str,
             record: RecordState | None, author: Author) -> dict:
        fields = mutation.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise MutationRejected("invalid", "a put needs a non-empty fields object",
                                   {"fields": ["must be a non-empty object"]})
        creating = record is None
        self._check_shapes(rtype, fields, record)
        project_id = fields.get("project_id") if creating else record.project_id
        if creating and not is_uuid(project_id):
            raise MutationRejected("invalid", "a new record needs its project_id",
                                   {"project_id": ["required"]})
        roles = self._roles_in(project_id.lower())
        if not roles:
            raise MutationRejected("forbidden", "you are not a member of this project", {})
        state_field = rtype.state_field
        plain = [name for name in fields if name != state_field]
        if creating and not self.policy.may(roles, rtype, "create", None, self.user_id):
            raise MutationRejected("forbidden", f"your role may not create a {rtype.name}", {})
        # Each field is judged on its own (`edit:<field>`; the policy may fall back to `edit`);
        # a put that only moves the state is judged by the transition rules below.
        refused = [] if creating else [
            name for name in plain
            if not self.policy.may(roles, rtype, f"edit:{name}", record, self.user_id)]
        # A field the caller reads masked is never compared with its stored value: the
        # answer would tell whether a guess was right (see `_hidden_changes`).
        hidden = [] if creating else [name for name in plain
                                      if self.policy.hides(roles, rtype, name)]
        hidden_changed = self._hidden_changes(rtype, record, hidden, fields)
        fields, errors = self.policy.clean(
            rtype, {name: value for name, value in fields.items() if name not in hidden},
            creating, record)
        if refused or hidden:
            fields = self._drop_unchanged(rtype, record, [n for n in refused if n not in hidden],
                                          fields, errors, hidden_changed)
        if not creating:
            errors.update({name: ["cannot be changed after creation"] for name in fields
                           if name in rtype.immutable and fields[name] != record.values.get(name)})
        if errors:
            raise MutationRejected("invalid", "some fields are not valid", errors)
        project_id = fields.get("project_id", project_id) if creating else project_id
        # The policy may add fields it derives (a default deadline, say): merge what it gave.
        plain = [name for name in fields if name != state_field]

        # 2. Merge every field into a working copy; nothing is stored until all passed.
        # The store's copy (see Records.load): a rejection below leaves the store as it was.
        working = record if record else RecordState(rtype.name, record_id)
        outcome = Outcome()
        if creating:
            working.values["project_id"] = project_id.lower()
            working.created_by, working.created_at = author.user_id, self.now_iso
            if rtype.machine:
                working.values[state_field] = rtype.machine.initial
        for name in sorted(plain):
            if creating and name == "project_id":
                continue
            kind = rtype.kind(name)
            if kind is FieldKind.SET:
                merge_set(working, author, outcome, name, fields[name])
            elif kind is FieldKind.MAP:
                merge_map(working, author, outcome, name, fields[name])
            else:
                merge_lww(working, author, outcome, name, fields[name])
        moved = None
        if state_field in fields:
            moved = self._transition(rtype, working, roles, author, outcome, fields[state_field])
        if outcome.changed:
            _check_size(rtype, working, plain)
        # The server's own writes its creation and this move cause, each checked before
        # anything is stored.
        reacted = self._react_to_creation(rtype, working, roles, author) if creating else []
        if moved:
            reacted += self._react(rtype, working, roles, author, *moved)

        # 3. Store the record (if anything changed) and what the merge produced.
        if outcome.changed or creating:
            self._stamp(working, author)
            self.store.save(working)
        self.store.add_history(outcome.history)
        self.store.add_conflicts(outcome.conflicts)
        for written, history in reacted:
            self.store.save(written)
            self.store.add_history(history)
        result: dict = {"mid": mutation["mid"], "status": "merged" if outcome.lost else "applied",
                        "seq": working.seq}
        if outcome.lost:
            result["conflicts"] = outcome.lost
        return result

    def _hidden_changes(self, rtype: RecordType, record: RecordState, hidden: list[str],
                        fields: dict) -> list[str]:
        """The fields the caller reads masked that this put would change.

        Such a field is writable by no one who cannot read it: a put that repeats what the
        caller reads (the masked form, as its pull gave it) leaves it as it is, and any
        other value is a change, refused. The answer depends on the masked form alone, so
        trying candidate values tells nothing of the stored one."""
        return [name for name in hidden
                if fields[name] != self.policy.mask(rtype, name, record.values.get(name))]

    def _drop_unchanged(self, rtype: RecordType, record: RecordState, refused: list[str],
                        fields: dict, errors: dict, hidden_changed: list[str] = ()) -> dict:
        """The put's cleaned fields without those the role may not edit but leaves as they
        are (a client sending the whole record repeats them); forbidden if it changes one.

        Judged after the policy's normal form (a UUID in capitals is the same UUID); a
        field the policy found invalid cannot be the stored value, so it is a change, and
        `forbidden` still comes before `invalid`. A dropped field writes nothing: no merge,
        no clock, no history."""
        changed = sorted({*hidden_changed, *(
            name for name in refused
            if name in errors or name not in fields
            or not leaves_as_is(record, rtype.kind(name), name, fields[name]))})
        if changed:
            raise MutationRejected("forbidden", f"your role may not change this {rtype.name}",
                                   {name: ["your role may not change it"] for name in changed})
        return {name: value for name, value in fields.items() if name not in refused}

    def _transition(self, rtype: RecordType, working: RecordState, roles: frozenset[str],
                    author: Author, outcome: Outcome, target: str) -> tuple[str, str] | None:
        """Move the state field, legal only from the current state and for the role;
        returns the move made (source, target), or None when the record stays.

        A put that creates a record starts from the machine's initial state, so it may
        name any state one legal move away, judged like any later move."""
        name = rtype.state_field
        source = working.values.get(name)
        if target == source:
            return None
        if not rtype.machine.allows(source, target):
            raise MutationRejected("invalid_transition",
                                   f"a {rtype.name} cannot go from {source} to {target}",
                                   {name: [f"cannot go from {source} to {target}"]})
        if not self.policy.may(roles, rtype, f"status:{source}->{target}", working, self.user_id):
            raise MutationRejected("invalid_transition",
                                   f"your role may not move a {rtype.name} from {source} to {target}",
                                   {name: [f"your role may not move it from {source} to {target}"]})
        errors = self.policy.guard(rtype, source, target, working, self.store)
        if errors:
            raise MutationRejected("invalid", f"a {rtype.name} needs more before it is {target}",
                                   errors)
        clocks = working.meta.setdefault("c", {})
        outcome.history.append(HistoryEntry(rtype.name, working.id, name, source, target,
                                            author.hlc, author.user_id, author.client_id,
                                            author.seq, author.original_hlc))
        clocks[name] = author.clock()
        working.values[name] = target
        outcome.changed = True
        return source, target

    def _react(self, rtype: RecordType, working: RecordState, roles: frozenset[str],
               author: Author, source: str, target: str | None) -> list[tuple[RecordState, list]]:
        """The policy's reactions to a move (to None: a deletion), applied to copies:
        (record, history) to store.

        A reaction's own moves cause none in turn. Each write has its own seq, so a pull
        delivers it like any other change; its clock and history name the user whose
        mutation caused it and the server's device id."""
        react = getattr(self.policy, "reactions", None)
        if react is None:
            return []
        return self._applied(react(rtype, working, source, target, self.store, self.user_id,
                                   roles), author)

    def _react_to_creation(self, rtype: RecordType, working: RecordState, roles: frozenset[str],
                           author: Author) -> list[tuple[RecordState, list]]:
        """The policy's reactions to a record's creation (`Policy.created`), applied to
        copies: a type without states has no move to react to, so this is its only one."""
        react = getattr(self.policy, "created", None)
        if react is None:
            return []
        return self._applied(react(rtype, working, self.store, self.user_id, roles), author)

    def _applied(self, reactions, author: Author) -> list[tuple[RecordState, list]]:
        written = []
        for reaction in reactions:
            applied = self._apply_reaction(reaction, author)
            if applied is not None:
                written.append(applied)
        return written

    def _apply_reaction(self, reaction: Reaction, author: Author):
        rtype = self.registry.get(reaction.type)
        record = self.store.load(reaction.type, reaction.id)
        if record is not None and (reaction.create or record.deleted):
            return None  # recorded already, or gone: nothing to write
        if record is None and not reaction.create:
            return None
        server = Author(author.user_id, SERVER_CLIENT_ID, author.hlc, self.store.next_seq(),
                        author.observed_seq, author.original_hlc)
        outcome = Outcome()
        working = record if record else RecordState(rtype.name, reaction.id)
        if record is None:
            working.values["project_id"] = reaction.project_id
            working.created_by, working.created_at = server.user_id, self.now_iso
            if rtype.machine:
                working.values[rtype.state_field] = rtype.machine.initial
        for name in sorted(reaction.values):
            merge_lww(working, server, outcome, name, reaction.values[name])
        if reaction.state is not None and reaction.state != working.values.get(rtype.state_field):
            name = rtype.state_field
            source = working.values.get(name)
            if not rtype.machine.allows(source, reaction.state):
                raise MutationRejected(
                    "invalid_transition", f"its {rtype.name} cannot go from {source} to "
                    f"{reaction.state}", {name: [f"its {rtype.name} is {source}"]})
            errors = self.policy.guard(rtype, source, reaction.state, working, self.store)
            if errors:
                raise MutationRejected("invalid", f"its {rtype.name} needs more before it is "
                                       f"{reaction.state}", errors)
            outcome.history.append(HistoryEntry(rtype.name, working.id, name, source,
                                                reaction.state, server.hlc, server.user_id,
                                                server.client_id, server.seq, server.original_hlc))
            working.meta.setdefault("c", {})[name] = server.clock()
            working.values[name] = reaction.state
        self._stamp(working, server)
        return working, outcome.history

    def _check_shapes(self, rtype: RecordType, fields: dict, record: RecordState | None):
        """Field names known, values of the right shape for their kind, immutables kept."""
        errors: dict[str, list[str]] = {}
        if rtype.append_only and record is not None:
            raise MutationRejected("invalid", f"a {rtype.name} cannot be edited once created",
                                   {name: ["cannot be changed after creation"]
                                    for name in fields if rtype.kind(name) is not None})
        for name, value in fields.items():
            kind = rtype.kind(name)
            if kind is None:
                errors[name] = ["unknown field"]
            elif kind is FieldKind.SET:
                problem = _set_problem(value, rtype.limit(name))
                if problem:
                    errors[name] = [problem]
            elif kind is FieldKind.MAP:
                if not isinstance(value, dict) or not all(isinstance(k, str) and 0 < len(k) <= 64
                                                          for k in value):
                    errors[name] = ["must be an object of keys to values (null removes a key)"]
                elif len(value) > rtype.limit(name):
                    errors[name] = [f"may hold at most {rtype.limit(name)} keys"]
            elif kind is FieldKind.STATE:
                if value not in rtype.machine.states:
                    errors[name] = [f"must be one of {', '.join(rtype.machine.states)}"]
        if errors:
            raise MutationRejected("invalid", "some fields are not valid", errors)

    def _stamp(self, working: RecordState, author: Author):
        working.seq = author.seq
        working.updated_by = author.user_id
        working.updated_at = self.now_iso


def _set_problem(value: Any, limit: int) -> str | None:
    """Why `value` is not a set operation on a set of at most `limit` elements, or None."""
    if not isinstance(value, dict) or not value or set(value) - {"add", "remove"}:
        return 'must be {"add": [...], "remove": [...]}'
    for part in value.values():
        if not isinstance(part, list):
            return f"add and remove must be lists of strings of 1–{MAX_SET_ELEMENT} characters"
        if len(part) > limit:
            return f"may hold at most {limit} elements"
        if not all(isinstance(e, str) and 0 < len(e) <= MAX_SET_ELEMENT for e in part):
            return f"add and remove must be lists of strings of 1–{MAX_SET_ELEMENT} characters"
    return None


def _remembered_keys(working: RecordState, name: str) -> int:
    """Keys map field `name` has a clock for: those it holds and those removed."""
    return len(working.meta.get("m", {}).get(name, ()))


def _may_grow(value: Any) -> bool:
    """Whether a written value may take its record past its size: a collection or long text."""
    return isinstance(value, (list, dict)) or isinstance(value, str) and len(value) > LONG_TEXT


def _check_size(rtype: RecordType, working: RecordState, written: list[str]):
    """Refuse a put that leaves a set or map over its limit, or the record over its size.

    Judged on the merged record: a set grows by adds of several puts, and every member's
    device receives the whole record."""
    errors = {}
    for name in written:
        kind = rtype.kind(name)
        if kind is FieldKind.SET or kind is FieldKind.MAP:
            held = len(working.values.get(name) or ())
            if held > rtype.limit(name):
                noun = "elements" if kind is FieldKind.SET else "keys"
                errors[name] = [f"may hold at most {rtype.limit(name)} {noun}; "
                                f"this would make {held}"]
            elif kind is FieldKind.MAP and _remembered_keys(working, name) > 4 * rtype.limit(name):
                # Removed keys keep their clocks; so many of them is churn, not a checklist.
                errors[name] = [f"too many keys set and removed (at most {4 * rtype.limit(name)})"]
    if errors:
        raise MutationRejected("invalid", "some fields hold too many items", errors)
    # Every field is bounded on its own (text by its schema, sets and maps above), so only
    # a put that writes a collection or a long text can take the record past its size;
    # measuring each record costs a push of 50 puts some 5 %.
    if not any(_may_grow(working.values.get(name)) for name in written):
        return
    size = len(canonical(working.values))
    if size > rtype.max_chars:
        largest = max(written, key=lambda n: len(canonical(working.values.get(n))),
                      default="fields")
        raise MutationRejected("invalid", f"a {rtype.name} may hold at most {rtype.max_chars} "
                               f"characters; this would make {size}",
                               {largest: [f"the record would hold {size} characters "
                                          f"(at most {rtype.max_chars})"]})


def write_by_server(store: Store, registry: Registry, policy: Policy, reaction: Reaction, *,
                    user_id: str, now_ms: int, now_iso: str) -> RecordState | None:
    """Apply one `Reaction` outside any push (a check the server runs on its own), with a
    new seq and history under the server's device id; None when it writes nothing (a
    record to create exists already). The caller holds the writers' lock and flushes."""
    session = PushSession(store, registry, policy, user_id=user_id, client_id=SERVER_CLIENT_ID,
                          now_ms=now_ms, now_iso=now_iso)
    hlc = f"{now_ms:015d}:00000:{SERVER_CLIENT_ID}"
    applied = session._apply_reaction(reaction, Author(user_id, SERVER_CLIENT_ID, hlc, 0, 0))
    if applied is None:
        return None
    written, history = applied
    store.save(written)
    store.add_history(history)
    return written


def push(store: Store, registry: Registry, policy: Policy, *, user_id: str, client_id: str,
         mutations: Any, now_ms: int, now_iso: str) -> dict:
    """Apply a push batch (see PushSession)."""
    return PushSession(store, registry, policy, user_id=user_id, client_id=client_id,
                       now_ms=now_ms, now_iso=now_iso).run(mutations)
