"""The engine's Policy: roles from the caller, permissions from the table, fields from schemas."""
from __future__ import annotations

import datetime as dt

from marshmallow import ValidationError

from sync import RecordState, RecordType
from sync.store import Records

from ..accounts.tokens import Caller
from ..approvals import reactions as approval_reactions
from ..approvals.table import SERVER_OPENED
from ..extensions import db
from ..permissions import allowed, decision_action, mask, may_read, stand_ins
from ..projects.models import Project
from ..records.feedback import DEFAULT_RESPONSE_HOURS
from ..records import KINDS, links
from .store import unstorable


class ServerPolicy:
    """Rules for one caller's push."""

    def __init__(self, caller: Caller, records: Records | None = None):
        self.caller = caller
        # The push's records, which links to other records are checked against (None: no
        # put is cleaned, as when the server writes on its own).
        self.records = records
        # Field checks of this push by (type, field, value): a batch repeats values (its
        # project, sections, priorities), and a field's check depends on its value alone.
        self._checked: dict[tuple, tuple[object, list[str] | None]] = {}

    def roles(self, user_id: str, project_id: str) -> frozenset[str]:
        return self.caller.roles_in(project_id)

    def may(self, roles, rtype: RecordType, action: str, record: RecordState | None,
            user_id: str) -> bool:
        is_author = record is not None and record.created_by == user_id
        if rtype.name == "approval" and action in _DECISIONS and record is not None:
            # Each kind of the approvals table has its own deciders.
            action = decision_action(record.values.get("kind")) or action
        return allowed(roles, rtype.name, action, is_author, stand_ins(record, user_id))

    def reactions(self, rtype: RecordType, record: RecordState, source: str, target: str,
                  records: Records, user_id: str, roles: frozenset[str]) -> list:
        return approval_reactions.reactions(rtype, record, source, target, records, user_id,
                                            roles)

    def created(self, rtype: RecordType, record: RecordState, records: Records, user_id: str,
                roles: frozenset[str]) -> list:
        return approval_reactions.created(rtype, record, records, user_id, roles)

    def hides(self, roles, rtype: RecordType, field: str) -> bool:
        return not may_read(roles, rtype.name, field)

    def mask(self, rtype: RecordType, field: str, value):
        return mask(value)

    def clean(self, rtype: RecordType, fields: dict, creating: bool,
              record: RecordState | None) -> tuple[dict, dict]:
        """The put's fields in their schema's normal form (UUIDs lower-case, phone numbers
        and times normalised), and the field errors."""
        kind = KINDS[rtype.name]
        state = rtype.state_field
        plain = {k: v for k, v in fields.items() if k != state}
        errors: dict = {}
        cleaned: dict = {}
        # Each field through its own marshmallow field: the schema's rules without the
        # schema's per-load machinery, which a push would pay for every mutation.
        for name, value in plain.items():
            known = (rtype.name, name, type(value), value) if type(value) in _SCALARS else None
            if known is not None and known in self._checked:
                result, messages = self._checked[known]
            else:
                result, messages = self._check(kind.schema.fields[name], name, value)
                if known is not None:
                    self._checked[known] = result, messages
            if messages is None:
                cleaned[name] = result
            else:
                errors[name] = list(messages)
        if creating:
            for name in kind.schema.required_on_create:
                if fields.get(name) in (None, ""):
                    errors.setdefault(name, []).append("required")
        if self.records is not None and rtype.name in links.LINKS:
            merged = {**(record.values if record else {}), **cleaned}
            valid = {name: value for name, value in cleaned.items() if name not in errors}
            for name, messages in links.problems(rtype.name, merged, valid, self.records).items():
                errors.setdefault(name, []).extend(messages)
        if state in fields:
            cleaned[state] = fields[state]
        if creating and rtype.name == "approval":
            if cleaned.get("kind") in SERVER_OPENED:
                errors.setdefault("kind", []).append(
                    "opened by the server when its subject moves, never by hand")
            # Who asked, and the first of its cycles: the server's to say.
            cleaned["requested_by"], cleaned["cycle"] = self.caller.user_id, 1
        if creating and not errors and rtype.name == "feedback" and not cleaned.get("response_due"):
            cleaned["response_due"] = self._response_due(cleaned["project_id"], cleaned["category"])
        return cleaned, errors  # each a flat list of messages already (see _check)

    @staticmethod
    def _check(field, name: str, value) -> tuple[object, list[str] | None]:
        """A field's value in its normal form and None, or None and its error messages."""
        try:
            result, messages = field.deserialize(value, name, {name: value}), None
        except ValidationError as error:
            result, messages = None, _messages(error.messages)
        if unstorable(value):
            messages = (messages or []) + ["must not hold NUL or unpaired surrogate characters"]
        return result, messages

    def _response_due(self, project_id: str, category: str) -> str:
        """When feedback logged now must be answered: the project's hours for its category."""
        project = db.session.get(Project, project_id)
        hours = {**DEFAULT_RESPONSE_HOURS, **((project.settings if project else {}) or {})
                 .get("feedback_response_hours", {})}
        due = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours[category])
        return due.strftime("%Y-%m-%dT%H:%M:%SZ")

    def guard(self, rtype: RecordType, source: str, target: str, record: RecordState,
              records: Records) -> dict:
        kind = KINDS[rtype.name]
        errors = {}
        if kind.actor_guard:
            user_id = self.caller.user_id
            errors.update(kind.actor_guard(source, target, record, records, user_id,
                                           self.caller.roles_in(record.project_id)))
        if kind.guard and not errors:
            errors.update(kind.guard(source, target, record, records))
        return errors


_DECISIONS = frozenset({"status:pending->approved", "status:pending->rejected"})
# Values a check can be remembered for: immutable, and equal only to values of their type.
_SCALARS = frozenset({str, int, bool, type(None)})


def _messages(value) -> list[str]:
    """marshmallow nests messages for nested fields; the wire wants a flat list."""
    if isinstance(value, list):
        return [m if isinstance(m, str) else str(m) for m in value]
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            out.extend(f"{key}: {m}" for m in _messages(inner))
        return out
    return [str(value)]
