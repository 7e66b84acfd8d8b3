"""Records read for reports and exports: one type at a time, streamed from the database in
the shape the figures take (`{"id", "created_at", "updated_at", "fields"}`), resident data
masked as the reader's roles see it (the sync stream's own `present`)."""
from __future__ import annotations

import datetime as dt
from typing import Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sync import RecordState

from ..extensions import db
from ..records import KINDS
from ..syncing.service import present

DEFAULT_TIMEZONE = "Asia/Shanghai"
BATCH = 1000


def project_zone(settings: dict | None) -> ZoneInfo:
    """The project's time zone (setting `timezone`), China's by default."""
    name = (settings or {}).get("timezone") or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def utc_bounds(first: dt.date, last: dt.date, zone: ZoneInfo) -> tuple[str, str]:
    """The UTC times (as the wire writes them) from the start of `first` to the end of
    `last` in `zone`: [start, end)."""
    start = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.timezone.utc)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.timezone.utc)
    return start.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ")


def local_time(instant: str | None, zone: ZoneInfo) -> str:
    """A UTC time as the wire writes it, as `YYYY-MM-DD HH:MM` in `zone`."""
    if not instant:
        return ""
    moment = dt.datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _value(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def as_record(type_name: str, row, roles: frozenset[str]) -> dict:
    """A table row as a figure record, its fields as a holder of `roles` reads them."""
    rtype = KINDS[type_name].type
    names = [*rtype.fields, *filter(None, [rtype.state_field])]
    values = {name: _value(row[name]) for name in names if name in row}
    fields = present(RecordState(type_name, row["id"], values), roles)
    return {"id": row["id"], "created_at": row["created_at"], "updated_at": row["updated_at"],
            "created_by": row["created_by"], "fields": fields}


def table(type_name: str):
    return KINDS[type_name].model.__table__


def rows(type_name: str, project_id: str, *where, order_by=None) -> Iterator:
    """The live rows of a type in the project, streamed in batches (no identity map)."""
    columns = table(type_name).c
    statement = select(table(type_name)).where(columns.project_id == project_id,
                                               columns.deleted.is_(False), *where)
    statement = statement.order_by(*(order_by if order_by is not None else [columns.id]))
    result = db.session.execute(statement.execution_options(yield_per=BATCH))
    for row in result.mappings():
        yield row


def records(type_name: str, project_id: str, roles: frozenset[str], *where,
            order_by=None) -> Iterator[dict]:
    """The live records of a type in the project, as figure records."""
    for row in rows(type_name, project_id, *where, order_by=order_by):
        yield as_record(type_name, row, roles)
