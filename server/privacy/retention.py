"""`flask anonymise-residents`: forget the residents of complaints closed long ago.

A complaint closed more than its project's `resident_data_retention_days` ago loses its
personal fields (`RecordType.personal`: the resident's name, phone and the location) in
the record, its history, the conflict inboxes and the rejected payloads. Each record is
anonymised as a change of its own, in its own transaction under the writers' lock, with a
new seq: devices that hold the number get the anonymised record on their next pull.

When a complaint was closed: the time of its `→ closed` transition in its history (that
move's hlc, which the server clamps to at most its own clock + 60 s); a record without one
(written before history) counts from its `updated_at`.

Safe to run from cron on every app server at once: a record is judged again under the
lock, so a second run finds nothing personal left in it and leaves it. A value an offline
device writes later, older than the anonymisation, loses and lands in history and its
author's inbox; the next run forgets it there.
"""
from __future__ import annotations

import datetime as dt
import uuid

import click
from sqlalchemy import select

from sync import HistoryEntry

from ..extensions import db
from ..projects.models import Project
from ..records import KINDS
from ..records.feedback import DEFAULT_RETENTION_DAYS
from ..syncing.models import FieldHistory
from ..syncing.store import SqlStore
from ..syncing.writer_queue import writers_queue

FEEDBACK = KINDS["feedback"]
CLOSED = "closed"
# The history entry of an anonymisation (old false, new true, as for a deletion).
ANONYMISED = "anonymised"
# Who anonymises: the server itself, under an id of its own (no account has it).
RETENTION_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "gridline:resident-data-retention"))
_DAY_MS = 24 * 3600 * 1000


def retention_days(settings: dict | None) -> int:
    """A project's days to keep a closed complaint's personal data."""
    return int((settings or {}).get("resident_data_retention_days") or DEFAULT_RETENTION_DAYS)


def due(now: dt.datetime) -> list[str]:
    """Ids of complaints closed longer ago than their project keeps residents' data that
    still hold some of it (in the record or its history), oldest closed first."""
    table = FEEDBACK.model.__table__
    personal = sorted(FEEDBACK.type.personal)
    rows = db.session.execute(
        select(table.c.id, table.c.project_id, table.c.updated_at,
               *(table.c[name] for name in personal))
        .where(table.c.status == CLOSED, table.c.deleted.is_(False))).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    in_history, closed = _history_of(ids)
    days = dict(db.session.execute(select(Project.id, Project.settings)).all())
    now_ms = int(now.timestamp() * 1000)
    found = []
    for row in rows:
        holds = any(getattr(row, name) is not None for name in personal) or row.id in in_history
        if not holds:
            continue
        at = closed.get(row.id, _ms(row.updated_at))
        if at is not None and at < now_ms - retention_days(days.get(row.project_id)) * _DAY_MS:
            found.append((at, row.id))
    return [record_id for _, record_id in sorted(found)]


def _history_of(ids: list[str]) -> tuple[set[str], dict[str, int]]:
    """Of these records: those whose history holds a personal value, and the Unix
    milliseconds of each one's move to closed."""
    history = FieldHistory.__table__
    fields = [FEEDBACK.type.state_field, *sorted(FEEDBACK.type.personal)]
    holding: set[str] = set()
    closed: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        for row in db.session.execute(
                select(history.c.record_id, history.c.field, history.c.hlc, history.c.old,
                       history.c.new)
                .where(history.c.type == FEEDBACK.name, history.c.field.in_(fields),
                       history.c.record_id.in_(ids[start:start + 500]))):
            if row.field == FEEDBACK.type.state_field:
                if row.new == CLOSED:
                    closed[row.record_id] = max(closed.get(row.record_id, 0), int(row.hlc[:15]))
            elif row.old is not None or row.new is not None:
                holding.add(row.record_id)
    return holding, closed


def _ms(stamp: str | None) -> int | None:
    if not stamp:
        return None
    return int(dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)


def _holds_personal(record) -> bool:
    """Whether a closed, live record or its history still holds a personal value."""
    if record is None or record.deleted or record.values.get(FEEDBACK.type.state_field) != CLOSED:
        return False
    if any(record.values.get(name) is not None for name in FEEDBACK.type.personal):
        return True
    history = FieldHistory.__table__
    return any(row.old is not None or row.new is not None for row in db.session.execute(
        select(history.c.old, history.c.new).where(
            history.c.type == FEEDBACK.name, history.c.record_id == record.id,
            history.c.field.in_(sorted(FEEDBACK.type.personal)))))


def anonymise(record_id: str, now: dt.datetime) -> bool:
    """Anonymise one complaint in a transaction of its own; False when there was nothing
    left to do (another run got there first)."""
    db.session.commit()  # the write lock is the transaction's first statement
    try:
        with writers_queue(db.engine):
            store = SqlStore(db.session.connection())
            store.begin()
            record = store.load(FEEDBACK.name, record_id)
            if not _holds_personal(record):
                db.session.rollback()
                return False
            seq = store.next_seq()
            hlc = f"{int(now.timestamp() * 1000):015d}:00000:{RETENTION_ID}"
            clocks = record.meta.setdefault("c", {})
            for name in sorted(FEEDBACK.type.personal):
                if record.values.pop(name, None) is not None:
                    # A write older than this one no longer brings the value back.
                    clocks[name] = [hlc, RETENTION_ID, seq, RETENTION_ID]
            record.seq, record.updated_by = seq, RETENTION_ID
            record.updated_at = now.strftime("%Y-%m-%dT%H:%M:%SZ")
            store.save(record)
            store.add_history([HistoryEntry(FEEDBACK.name, record.id, ANONYMISED, False, True,
                                            hlc, RETENTION_ID, RETENTION_ID, seq)])
            store.scrub_personal(FEEDBACK.name, record.id, FEEDBACK.type.personal)
            store.flush()
            db.session.commit()
            return True
    except Exception:
        db.session.rollback()
        raise


def anonymise_residents(now: dt.datetime | None = None) -> tuple[int, int]:
    """Anonymise every complaint due; returns (anonymised by this run, found due)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ids = due(now)
    return sum(anonymise(record_id, now) for record_id in ids), len(ids)


@click.command("anonymise-residents")
def anonymise_residents_command():
    """Forget residents' names, phones and locations of complaints closed longer ago than
    each project's resident_data_retention_days (default 180); safe to run anywhere, at once."""
    done, found = anonymise_residents()
    click.echo(f"anonymised {done} of {found} complaints due")
