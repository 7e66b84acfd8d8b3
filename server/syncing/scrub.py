"""Forgetting a record's personal data wherever the sync tables keep a copy of it.

A record's personal fields (`RecordType.personal`) are copied into its field history, into
the conflict inboxes of whoever lost a value of them, into the stored answer of a push
whose value lost (`merged`, replayed on a retry), and into the payloads of rejected
mutations kept for their authors. A deletion and an anonymisation clear the record itself
and call `scrub_personal` for the rest. The helpers never commit: the unit of work does.
"""
from __future__ import annotations

from sqlalchemy import func, null, select, update

from .models import Conflict, DeviceResult, FieldHistory, RejectedMutation

# Ids per statement (a statement's parameters are bounded on both databases).
_CHUNK = 500


def scrub_personal(connection, type_name: str, record_ids: list[str],
                   fields: frozenset[str]) -> None:
    """Null the personal values of these records in history and conflicts, and leave the
    personal fields out of their rejected payloads."""
    if not fields or not record_ids:
        return
    names = sorted(fields)
    history, conflicts, rejected = (FieldHistory.__table__, Conflict.__table__,
                                    RejectedMutation.__table__)
    for start in range(0, len(record_ids), _CHUNK):
        ids = sorted(record_ids[start:start + _CHUNK])
        # A value that lost is also in its push's stored answer, as `yours` beside `kept`:
        # the lost history entry names the device, the field and both values.
        lost = connection.execute(select(history.c.client_id, history.c.field,
                                         history.c.new, history.c.old).where(
            history.c.type == type_name, history.c.record_id.in_(ids),
            history.c.field.in_(names), history.c.lost.is_(True))).all()
        _scrub_results(connection, [tuple(row) for row in lost])
        connection.execute(update(history).where(
            history.c.type == type_name, history.c.record_id.in_(ids),
            history.c.field.in_(names)).values(old=null(), new=null()))
        connection.execute(update(conflicts).where(
            conflicts.c.type == type_name, conflicts.c.record_id.in_(ids),
            conflicts.c.field.in_(names)).values(yours=null(), kept=null()))
        # A rejected mutation keeps its record id as the client sent it (in any case).
        rows = connection.execute(select(rejected.c.id, rejected.c.payload).where(
            rejected.c.type == type_name, func.lower(rejected.c.record_id).in_(ids))).all()
        for row in rows:
            payload = without_fields(row.payload, fields)
            if payload is not row.payload:
                connection.execute(update(rejected).where(rejected.c.id == row.id)
                                   .values(payload=payload))


def without_fields(payload, fields: frozenset[str]):
    """A rejected mutation's payload without `fields` in its `fields` (itself when it
    names none of them)."""
    values = payload.get("fields") if isinstance(payload, dict) else None
    if not isinstance(values, dict) or not any(name.split(".")[0] in fields for name in values):
        return payload
    return {**payload, "fields": {name: value for name, value in values.items()
                                  if name.split(".")[0] not in fields}}


def _scrub_results(connection, lost: list[tuple]) -> None:
    """Null `yours` and `kept` of the conflicts in stored answers that name a lost value:
    each of `lost` is (client_id, field, the value that lost, the value kept)."""
    results = DeviceResult.__table__
    for client_id in sorted({entry[0] for entry in lost}):
        values = [entry[1:] for entry in lost if entry[0] == client_id]
        for row in connection.execute(select(results.c.mid, results.c.result)
                                      .where(results.c.client_id == client_id)).all():
            result = row.result
            if not isinstance(result, dict) or not result.get("conflicts"):
                continue
            conflicts = [{**entry, "yours": None, "kept": None}
                         if (entry.get("field"), entry.get("yours"), entry.get("kept")) in values
                         else entry for entry in result["conflicts"]]
            if conflicts != result["conflicts"]:
                connection.execute(update(results).where(results.c.client_id == client_id,
                                                         results.c.mid == row.mid)
                                   .values(result={**result, "conflicts": conflicts}))
