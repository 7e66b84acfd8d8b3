"""`flask prune-tombstones`: forget old deletions, so the database stops growing with them."""
from __future__ import annotations

import datetime as dt

import click
from sqlalchemy import delete, func, select, update

from ..extensions import db
from .models import ChangeLog, SyncCounter
from .scrub import scrub_personal
from .store import CODECS


def prune_tombstones(older_than: dt.datetime) -> tuple[int, int]:
    """Delete tombstones last changed before `older_than`; returns (count, new floor).
    What their history and inboxes kept of their personal fields is forgotten too.

    A device whose cursor is below the newest pruned seq could have missed a deletion,
    so the floor moves to that seq and such a cursor is answered 410 `resync`.
    """
    stamp = older_than.strftime("%Y-%m-%dT%H:%M:%SZ")
    counter = SyncCounter.__table__
    # The writers' lock: no push commits while tombstones and the floor change.
    db.session.execute(update(counter).where(counter.c.id == 1).values(seq=counter.c.seq))
    floor = db.session.execute(select(counter.c.tombstone_floor)).scalar_one()
    pruned = 0
    for codec in CODECS.values():
        table = codec.table
        old = select(table.c.id, table.c.seq).where(table.c.deleted.is_(True),
                                                     table.c.updated_at < stamp)
        rows = db.session.execute(old).all()
        if not rows:
            continue
        ids = [row.id for row in rows]
        floor = max(floor, max(row.seq for row in rows))
        # A deletion already forgot its personal data; one made before that rule did not.
        scrub_personal(db.session.connection(), codec.kind.name, ids, codec.kind.type.personal)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            db.session.execute(delete(table).where(table.c.id.in_(chunk)))
            db.session.execute(delete(ChangeLog).where(ChangeLog.type == codec.kind.name,
                                                       ChangeLog.record_id.in_(chunk)))
        pruned += len(ids)
    db.session.execute(update(counter).where(counter.c.id == 1)
                       .values(tombstone_floor=func.coalesce(floor, 0)))
    db.session.commit()
    return pruned, floor


@click.command("prune-tombstones")
@click.option("--days", default=90, show_default=True, type=click.IntRange(min=0),
              help="keep deletions newer than this many days")
def prune_tombstones_command(days: int):
    """Forget deletions older than --days; devices synced before them must resync."""
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    count, floor = prune_tombstones(cutoff)
    click.echo(f"pruned {count} tombstones; cursors below seq {floor} must resync")
