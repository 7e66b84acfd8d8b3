"""The caller's two inboxes, conflicts and rejected mutations, a page at a time.

Each entry is shown as its owner reads its record *now*: an entry of a project the caller
has left is not listed, and a field the caller's current roles read masked is masked in
it, whatever they could read when the entry was written. Pages run newest first; a page
ends at `limit` entries or once its payloads pass PAGE_BUDGET characters, and names the
`before` to ask for the next one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import and_, select

from sync.engine import is_uuid

from ..accounts.models import User
from ..accounts.tokens import Caller
from ..extensions import db
from ..permissions import mask, may_read
from ..privacy.audit import shows_personal
from .models import ChangeLog, Conflict, RejectedMutation

# Characters of payloads one page holds before it stops (at least one entry per page):
# a rejected mutation may carry up to a whole request body.
PAGE_BUDGET = 1024 * 1024
# Rows read from the database at a time while filling a page.
_BATCH = 25


@dataclass
class Page:
    """Entries of one inbox page, and where the next page starts (None: no more)."""

    entries: list[dict] = field(default_factory=list)
    before: int | None = None
    # (project, type, record id) of each entry that shows a resident's data unmasked.
    personal: set[tuple[str, str, str]] = field(default_factory=set)

    def answer(self, key: str) -> dict:
        """The wire's answer, the entries listed under `key`."""
        return {key: self.entries, "has_more": self.before is not None, "before": self.before}


def _shown(caller: Caller, project_id: str | None, type_name: str, name: str, value):
    """`value` of field `name` as the caller reads it now in `project_id`."""
    roles = caller.roles_in(project_id) if project_id else frozenset()
    return value if may_read(roles, type_name, name.split(".")[0]) else mask(value)


def conflicts_page(caller: Caller, before: int | None, limit: int) -> Page:
    """The caller's conflicts not dismissed, in projects they are a member of now."""
    log = ChangeLog.__table__
    query = (select(Conflict, User.name, log.c.project_id)
             .join(log, and_(log.c.type == Conflict.type, log.c.record_id == Conflict.record_id))
             .outerjoin(User, User.id == Conflict.by)
             .where(Conflict.user_id == caller.user_id, Conflict.dismissed_at.is_(None),
                    log.c.project_id.in_(sorted(caller.projects)))
             .order_by(Conflict.id.desc()))
    if before is not None:
        query = query.where(Conflict.id < before)
    rows = db.session.execute(query.limit(limit + 1)).all()
    page = Page([{
        "id": c.id, "type": c.type, "record_id": c.record_id, "field": c.field,
        "yours": _shown(caller, project_id, c.type, c.field, c.yours),
        "kept": _shown(caller, project_id, c.type, c.field, c.kept),
        "by": c.by, "by_name": name, "seq": c.seq, "created_at": c.created_at}
        for c, name, project_id in rows[:limit]])
    page.personal = {(project_id, c.type, c.record_id) for c, _, project_id in rows[:limit]
                     if shows_personal(caller.roles_in(project_id), c.type,
                                       {c.field: c.yours if c.yours is not None else c.kept})}
    if len(rows) > limit:
        page.before = rows[limit - 1][0].id
    return page


def _payload_project(payload) -> str | None:
    """The project a rejected put names, when its record was never stored."""
    fields = payload.get("fields") if isinstance(payload, dict) else None
    project_id = fields.get("project_id") if isinstance(fields, dict) else None
    return project_id.lower() if is_uuid(project_id) else None


def _rejected_out(caller: Caller, row: RejectedMutation, project_id: str | None) -> dict:
    payload = row.payload
    fields = payload.get("fields") if isinstance(payload, dict) else None
    if isinstance(fields, dict):
        payload = {**payload, "fields": {name: _shown(caller, project_id, row.type, name, value)
                                         for name, value in fields.items()}}
    return {"id": row.id, "mid": row.mid, "client_id": row.client_id, "type": row.type,
            "record_id": row.record_id, "op": row.op, "payload": payload, "error": row.error,
            "created_at": row.created_at}


def rejected_page(caller: Caller, before: int | None, limit: int) -> Page:
    """The caller's rejected mutations not dismissed, except those of a project they are
    not a member of now (the record's project; for a record never stored, the one its
    payload names)."""
    log = ChangeLog.__table__
    query = (select(RejectedMutation, log.c.project_id)
             .outerjoin(log, and_(log.c.type == RejectedMutation.type,
                                  log.c.record_id == RejectedMutation.record_id))
             .where(RejectedMutation.user_id == caller.user_id,
                    RejectedMutation.dismissed_at.is_(None))
             .order_by(RejectedMutation.id.desc()).limit(_BATCH))
    page, size = Page(), 0
    while True:
        batch = db.session.execute(
            query if before is None else query.where(RejectedMutation.id < before)).all()
        for row, project_id in batch:
            if len(page.entries) == limit or (page.entries and size > PAGE_BUDGET):
                page.before = before
                return page
            before = row.id
            project_id = project_id or _payload_project(row.payload)
            if project_id is not None and not caller.roles_in(project_id):
                continue
            entry = _rejected_out(caller, row, project_id)
            size += len(json.dumps(entry["payload"], ensure_ascii=False))
            page.entries.append(entry)
            fields = row.payload.get("fields") if isinstance(row.payload, dict) else None
            if project_id is not None and isinstance(fields, dict) and shows_personal(
                    caller.roles_in(project_id), row.type, fields):
                page.personal.add((project_id, row.type, row.record_id))
        if len(batch) < _BATCH:
            return page
