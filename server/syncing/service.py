"""Units of work around the engine: a push, a pull, and server-side writes."""
from __future__ import annotations

import datetime as dt
import time
import uuid

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite

import sync
from sync import RecordState
from sync.pull import decode_cursor

from ..accounts.models import User
from ..approvals.escalations import escalate_now_and_then
from ..accounts.tokens import Caller
from ..errors import ApiError
from ..extensions import db
from ..permissions import UNMASKED, mask, masked_view, may_read
from ..records import REGISTRY
from . import cursors
from .models import Device, FieldHistory
from .policy import ServerPolicy
from .store import SqlStore, read_snapshot, storable
from .writer_queue import writers_queue


def now_iso() -> str:
    """The current UTC time as the wire writes it."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# Every field of each type, empty: a record's data names all of them, so a client that
# merges `data` into its copy also learns of a field cleared.
_UNSET = {rtype.name: dict.fromkeys([*rtype.fields, *filter(None, [rtype.state_field])])
          for rtype in REGISTRY}


def present(record: RecordState, roles: frozenset[str]) -> dict:
    """A record's data as a member with `roles` may read it (masked fields masked)."""
    data = {**_UNSET[record.type], **record.values}
    # Only fields with a rule in UNMASKED can be masked; a pull page has thousands of
    # fields, so look at those alone.
    for name in UNMASKED.get(record.type, ()):
        value = data.get(name)
        if value is not None and not may_read(roles, record.type, name):
            data[name] = mask(value)
    return data


def change_out(record: RecordState, roles: frozenset[str], evicted: bool = False) -> dict:
    """One entry of a pull page."""
    if evicted:
        return {"type": record.type, "id": record.id, "seq": record.seq, "deleted": True,
                "evicted": True}
    return {"type": record.type, "id": record.id, "seq": record.seq, "deleted": record.deleted,
            "data": {} if record.deleted else present(record, roles),
            "updated_by": record.updated_by, "updated_at": record.updated_at,
            "created_by": record.created_by, "created_at": record.created_at}


def run_push(caller: Caller, client_id: str, mutations: list, *,
             all_or_nothing: bool = False) -> dict:
    """Apply a push batch in one transaction: all of it, or nothing and a 503.

    With `all_or_nothing` (a request answered at once, not a device's queue), a batch
    with a rejected mutation writes nothing, not even the rejection."""
    limit = current_app.config["PUSH_MAX_MUTATIONS"]
    if len(mutations) > limit:
        raise ApiError(413, f"a push may carry at most {limit} mutations; split the batch",
                       "too_large", {"mutations": [f"at most {limit}"]})
    end_transaction_before_lock()
    try:
        with writers_queue(db.engine):
            store = SqlStore(db.session.connection())
            store.begin()
            store.prefetch(mutations)
            answer = sync.push(store, REGISTRY, ServerPolicy(caller, store), user_id=caller.user_id,
                               client_id=client_id.lower(), mutations=mutations,
                               now_ms=int(time.time() * 1000), now_iso=now_iso())
            if all_or_nothing and any(r["status"] == "rejected" for r in answer["results"]):
                db.session.rollback()
            else:
                store.flush()
                db.session.commit()
    except sync.DeviceOwnedByOther as error:
        db.session.rollback()
        raise ApiError(403, str(error), "forbidden", {"client_id": ["belongs to another user"]})
    except sync.BatchMalformed as error:
        db.session.rollback()
        raise ApiError(400, str(error), "malformed", error.fields)
    except Exception:
        db.session.rollback()
        raise
    # A rejection may echo the client's field names; answer what was stored for a replay.
    answer["results"] = [storable(result) if result["status"] == "rejected" else result
                         for result in answer["results"]]
    return answer


def end_transaction_before_lock() -> None:
    """End the session's transaction, so the next one's first statement is the writers'
    lock (on SQLite a read-then-write transaction could not upgrade).

    What ends is authentication's read, and whatever a caller of `write_as` wrote or loaded
    before. A session on SQLite that has only read through Core, as a push after
    authentication has, holds nothing to end: pysqlite opens a transaction at the first
    write, not at a read, and no object is loaded. It is left as it is, rather than handing
    its connection back to the pool only to take it out again."""
    session = db.session
    if session.get_bind().dialect.name == "sqlite" and not session.identity_map \
            and not session.new:
        if not session.connection().connection.dbapi_connection.in_transaction:
            return
    session.commit()


def run_pull(caller: Caller, client_id: str, cursor: str | None, limit: int) -> dict:
    """One pull page for the caller, then the device's observed seq moves forward."""
    client_id = client_id.lower()
    device = db.session.get(Device, client_id)
    # A device is bound to its user by its first push; before that anyone may pull on it.
    if device is not None and device.user_id != caller.user_id and device.last_mid > 0:
        raise ApiError(403, "this client_id belongs to another user", "forbidden",
                       {"client_id": ["belongs to another user"]})
    last_mid = device.last_mid if device else 0
    try:
        cursor = cursors.verify(cursor, caller.user_id, client_id)
        _check_cursor_range(cursor)
    except sync.CursorError as error:
        raise ApiError(400, str(error), "malformed", {"cursor": [str(error)]})
    except (sync.ResyncRequired, cursors.CursorOfOtherKey) as error:
        raise ApiError(410, str(error), "resync")
    # What passed its deadline since the last look is recorded before the page is read, so
    # the page brings it (offline, the phone shows what the server last knew). A pull refused
    # above changes nothing.
    escalate_now_and_then(sorted(caller.projects))
    db.session.commit()
    store = SqlStore(read_snapshot(db.session))
    try:
        page = sync.pull(store, project_ids=list(caller.projects), cursor=cursor, limit=limit,
                         views={project_id: masked_view(caller.roles_in(project_id))
                                for project_id in caller.projects})
    except sync.CursorError as error:
        raise ApiError(400, str(error), "malformed", {"cursor": [str(error)]})
    except (sync.ResyncRequired, cursors.CursorOfOtherKey) as error:
        raise ApiError(410, str(error), "resync")
    roles = {project_id: caller.roles_in(project_id) for project_id in caller.projects}
    changes = [change_out(c.record, roles.get(c.record.project_id, frozenset()), c.evicted)
               for c in page.changes]
    db.session.commit()
    store.write_project_sets(db.session.connection())
    _record_observed(caller.user_id, client_id, page.seq)
    return {"changes": changes, "cursor": cursors.sign(page.cursor, caller.user_id, client_id),
            "has_more": page.has_more,
            "last_mid": last_mid}


def _check_cursor_range(cursor: str | None) -> None:
    """A forged cursor's seqs must still fit the database's 64-bit integers."""
    state = decode_cursor(cursor) or {"s": 0}
    work = state.get("w") or [None, None, 0]
    if not (0 <= state["s"] < 2 ** 63 and -2 ** 63 <= work[2] < 2 ** 63):
        raise sync.CursorError("cursor is not one this server made")


def _record_observed(user_id: str, client_id: str, seq: int) -> None:
    """Remember how far the device has pulled (what its next push had observed); one
    statement, so two first pulls of one device at once cannot both insert it.

    A device no user has pushed from yet is not bound: a pull by another user takes it
    over, with what that pull observed."""
    table = Device.__table__
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(client_id=client_id, user_id=user_id, last_mid=0,
                                     pulled_seq=seq)
    newest = (func.greatest if db.engine.dialect.name == "postgresql" else func.max)(
        table.c.pulled_seq, statement.excluded.pulled_seq)
    same_user = table.c.user_id == statement.excluded.user_id
    unbound = table.c.last_mid == 0
    db.session.execute(statement.on_conflict_do_update(index_elements=["client_id"], set_={
        "pulled_seq": case((same_user, newest), (unbound, statement.excluded.pulled_seq),
                           else_=table.c.pulled_seq),
        "user_id": case((unbound, statement.excluded.user_id), else_=table.c.user_id)}))
    db.session.commit()


def server_client_id(user_id: str) -> str:
    """The device id under which the server writes on a user's behalf."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridline:server-writes:{user_id}"))


def write_as(caller: Caller, type_name: str, record_id: str, fields: dict | None,
             op: str = "put") -> dict:
    """Apply one mutation for `caller` through the engine, as any device's would be."""
    client_id = server_client_id(caller.user_id)
    device = db.session.get(Device, client_id)
    mid = (device.last_mid if device else 0) + 1
    # The counter is the mid, so two writes in one millisecond still order correctly.
    hlc = f"{int(time.time() * 1000):015d}:{mid % 100000:05d}:{client_id}"
    mutation = {"mid": mid, "op": op, "type": type_name, "id": record_id, "hlc": hlc}
    if fields is not None:
        mutation["fields"] = fields
    result = run_push(caller, client_id, [mutation], all_or_nothing=True)["results"][0]
    if result["status"] == "rejected":
        error = result["error"]
        status = {"forbidden": 403, "deleted": 409, "invalid_transition": 409}.get(error["code"], 422)
        raise ApiError(status, error["message"], error["code"], error["fields"])
    return result


def load_record(type_name: str, record_id: str) -> RecordState | None:
    """The current state of one record, or None."""
    if REGISTRY.get(type_name) is None:
        return None
    return SqlStore(db.session.connection()).load(type_name, record_id.lower())


def history_rows(type_name: str, record_id: str):
    """Every history entry of a record, oldest first."""
    return db.session.execute(
        select(FieldHistory, User.name).outerjoin(User, User.id == FieldHistory.user_id)
        .where(FieldHistory.type == type_name, FieldHistory.record_id == record_id)
        .order_by(FieldHistory.seq, FieldHistory.id)).all()


def history_out(type_name: str, record_id: str, roles: frozenset[str]) -> list[dict]:
    """A record's history as a holder of `roles` reads it (masked fields masked)."""
    entries = []
    for entry, user_name in history_rows(type_name, record_id):
        hide = not may_read(roles, type_name, entry.field.split(".")[0])
        entries.append({
            "field": entry.field, "old": mask(entry.old) if hide else entry.old,
            "new": mask(entry.new) if hide else entry.new, "hlc": entry.hlc,
            "original_hlc": entry.original_hlc, "clamped": entry.original_hlc is not None,
            "user": entry.user_id, "user_name": user_name, "seq": entry.seq, "lost": entry.lost})
    return entries
