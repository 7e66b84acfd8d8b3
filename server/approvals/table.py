"""Which move of which subject opens an approval of which kind, who decides it, and what
each decision does to the subject: the one table the server's reactions read.

Who decides each kind is the permission table's `approval` row `decide:<kind>`
(server/permissions.py), which clients read from /api/me.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

# Approval and comment ids the server derives (see `approval_id`).
NAMESPACE = uuid.UUID("3c1b8f0e-5d7a-4f63-9b1e-2a8d6c4e7f10")


@dataclass(frozen=True)
class Rule:
    """One kind of approval and its subject."""

    kind: str
    subject_type: str
    # The subject's move that opens it (None: asked for by hand, a change order).
    opened_by: tuple[str, str] | None
    # What approving and rejecting move the subject to (None: the subject stays).
    on_approve: str | None
    on_reject: str | None

    @property
    def awaiting(self) -> str | None:
        """The subject's state while the approval is pending."""
        return self.opened_by[1] if self.opened_by else None


RULES: dict[str, Rule] = {rule.kind: rule for rule in (
    # A foreman's task done is accepted by a supervisor, or sent back to doing.
    Rule("task_acceptance", "task", ("doing", "done"), "accepted", "doing"),
    # A corrective action marked done is verified by safety or a supervisor, or reopened.
    Rule("rectification", "action", ("open", "done"), "verified", "open"),
    # A complaint resolved is closed (keeping its satisfaction score) or worked on again.
    Rule("closure_review", "feedback", ("in_progress", "resolved"), "closed", "in_progress"),
    # A check whose actions are all verified is closed, or goes back to rectifying.
    Rule("check_closure", "safety_check", ("rectifying", "verified"), "closed", "rectifying"),
    # A change order is asked for by hand; its decision is recorded and moves nothing.
    Rule("change_order", "document", None, None, None),
)}

# Kinds only the server opens: a client's put creating one is refused.
SERVER_OPENED = frozenset(kind for kind, rule in RULES.items() if rule.opened_by)


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
