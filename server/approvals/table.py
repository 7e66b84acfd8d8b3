"""Which move (or creation) of which subject opens an approval of which kind, who decides
it, and what each decision does to the subject: the one table the server's reactions read.

Who decides each kind is the permission table's `approval` row `decide:<kind>`
(server/permissions.py), which clients read from /api/me.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Callable

from sync import RecordState
from sync.store import Records

# Approval and comment ids the server derives (see `approval_id`).
NAMESPACE = uuid.UUID("3c1b8f0e-5d7a-4f63-9b1e-2a8d6c4e7f10")


@dataclass(frozen=True)
class Rule:
    """One kind of approval and its subject."""

    kind: str
    subject_type: str
    # The subject's move that opens it (None: no move does).
    opened_by: tuple[str, str] | None
    # What approving and rejecting move the subject to (None: the subject stays).
    on_approve: str | None
    on_reject: str | None
    # Whether a new subject (as its creating put leaves it, other records as the push sees
    # them) opens it: for subjects without states, which never move.
    opened_on_create: Callable[[RecordState, Records], bool] | None = None

    @property
    def awaiting(self) -> str | None:
        """The subject's state while the approval is pending."""
        return self.opened_by[1] if self.opened_by else None


def of_a_change_order(version: RecordState, records: Records) -> bool:
    """Whether a document version is one of a change order (its document's kind)."""
    document = records.load("document", version.values.get("document_id") or "")
    return document is not None and document.values.get("kind") == "change_order"


def needs_signoff(version: RecordState, records: Records) -> bool:
    """Whether a version asks for a sign-off of its own: marked so, and not a change
    order's (whose approval is its sign-off)."""
    return version.values.get("needs_signoff") is True and not of_a_change_order(version, records)


RULES: dict[str, Rule] = {rule.kind: rule for rule in (
    # A foreman's task done is accepted by a supervisor, or sent back to doing.
    Rule("task_acceptance", "task", ("doing", "done"), "accepted", "doing"),
    # A corrective action marked done is verified by safety or a supervisor, or reopened.
    Rule("rectification", "action", ("open", "done"), "verified", "open"),
    # A complaint resolved is closed (keeping its satisfaction score) or worked on again.
    Rule("closure_review", "feedback", ("in_progress", "resolved"), "closed", "in_progress"),
    # A check whose actions are all verified is closed, or goes back to rectifying.
    Rule("check_closure", "safety_check", ("rectifying", "verified"), "closed", "rectifying"),
    # Each version of a change order is approved or rejected as it is uploaded; the
    # decision is shown on the version and moves nothing (a version is never edited).
    Rule("change_order", "document_version", None, None, None,
         opened_on_create=of_a_change_order),
    # Any other version uploaded as needing sign-off is signed off the same way.
    Rule("signoff", "document_version", None, None, None,
         opened_on_create=needs_signoff),
)}

# Kinds only the server opens: a client's put creating one is refused.
SERVER_OPENED = frozenset(kind for kind, rule in RULES.items()
                          if rule.opened_by or rule.opened_on_create)


def opened_by(subject_type: str, source: str, target: str) -> Rule | None:
    """The rule whose approval the subject's move from `source` to `target` opens."""
    for rule in RULES.values():
        if rule.subject_type == subject_type and rule.opened_by == (source, target):
            return rule
    return None


def rules_of(subject_type: str) -> list[Rule]:
    """Every rule whose subject is of `subject_type`."""
    return [rule for rule in RULES.values() if rule.subject_type == subject_type]


def approval_id(subject_type: str, subject_id: str, kind: str, cycle: int) -> str:
    """The id of the `cycle`th approval of a subject and kind: derived, so a retry or a
    second server opens the same one rather than another."""
    return str(uuid.uuid5(NAMESPACE, f"approval:{subject_type}:{subject_id}:{kind}:{cycle}"))


def decision_comment_id(approval: str) -> str:
    """The id of the comment a rejection leaves on its subject."""
    return str(uuid.uuid5(NAMESPACE, f"sent-back:{approval}"))
