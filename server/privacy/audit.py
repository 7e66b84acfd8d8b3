"""Writing the access log: every time a resident's unmasked phone (or name) is shown
outside the sync stream, one row per record (the caller commits)."""
from __future__ import annotations

from flask import request
from sqlalchemy import insert

from ..accounts.tokens import Caller
from ..extensions import db
from ..permissions import UNMASKED, may_read
from ..records import REGISTRY
from ..timestamps import utcnow
from .models import PersonalDataAccess


# Per record type, the personal fields some roles read masked: showing one unmasked is
# logged (`resident_phone` and `resident_name` of feedback).
AUDITED = {rtype.name: frozenset(name for name in rtype.personal
                                 if name in UNMASKED.get(rtype.name, {}))
           for rtype in REGISTRY}


def audited(type_name: str) -> frozenset[str]:
    """The fields of `type_name` whose unmasked showing is logged."""
    return AUDITED.get(type_name, frozenset())


def shows_personal(roles: frozenset[str], type_name: str, values: dict) -> bool:
    """Whether `values` (field name → value, map entries `field.key`) show a holder of
    `roles` an audited field unmasked."""
    fields = audited(type_name)
    return any(value is not None and name.split(".")[0] in fields
               and may_read(roles, type_name, name.split(".")[0])
               for name, value in values.items() if isinstance(name, str))


def endpoint() -> str:
    """This request's endpoint as the log names it: its method and URL rule."""
    rule = request.url_rule.rule if request.url_rule is not None else request.path
    return f"{request.method} {rule}"[:120]


def log_access(caller: Caller, project_id: str, type_name: str | None,
               record_ids) -> None:
    """Log that `caller` was shown the personal data of these records (one row each; one
    row without a record when `record_ids` is empty and `type_name` is None)."""
    where = endpoint()
    ids = sorted(set(record_ids)) if type_name is not None else [None]
    for record_id in ids:
        db.session.add(PersonalDataAccess(user_id=caller.user_id, project_id=project_id,
                                          type=type_name, record_id=record_id, endpoint=where))


def log_access_in_batches(caller: Caller, project_id: str, type_name: str, record_ids,
                          batch: int = 1000) -> None:
    """log_access for a stream of record ids too long to hold (an export): one row per
    record, written a batch at a time (the caller commits)."""
    where, at = endpoint(), utcnow()
    rows = []
    table = PersonalDataAccess.__table__
    for record_id in record_ids:
        rows.append({"user_id": caller.user_id, "project_id": project_id, "type": type_name,
                     "record_id": record_id, "endpoint": where, "at": at})
        if len(rows) == batch:
            db.session.execute(insert(table), rows)
            rows = []
    if rows:
        db.session.execute(insert(table), rows)
