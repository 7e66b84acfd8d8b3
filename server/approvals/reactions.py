"""The server's own writes when a record moves or is created (the engine's Policy.reactions
and Policy.created): an approval opened when its subject moves or a subject without states
is created, the subject moved by a decision on it, a pending approval closed when its
subject is moved directly or deleted, an escalation resolved when its subject is
answered or done."""
from __future__ import annotations

from sync import MutationRejected, Reaction, RecordState, RecordType
from sync.store import Records

from ..permissions import allowed
from ..my_day.rules import still_late
from .table import RULES, approval_id, decision_comment_id, opened_by, rules_of


def reactions(rtype: RecordType, record: RecordState, source: str, target: str | None,
              records: Records, user_id: str, roles: frozenset[str]) -> list[Reaction]:
    """What the move of `record` from `source` to `target` (None: its deletion) makes the
    server write."""
    if rtype.name == "approval":
        return decided(record, source, target, records) if target else []
    if not rules_of(rtype.name) and rtype.name not in ("feedback", "action"):
        return []
    return [*closed_by_move(rtype.name, record, source, target, records, roles),
            *opened(rtype.name, record, source, target, records, user_id),
            *escalations_resolved(rtype.name, record, target, records)]


def created(rtype: RecordType, record: RecordState, records: Records, user_id: str,
            roles: frozenset[str]) -> list[Reaction]:
    """The approvals a new subject opens (a change order's version, one needing sign-off):
    the first cycle, with an id derived from the subject, so a retry opens no second."""
    return [Reaction("approval", approval_id(rtype.name, record.id, rule.kind, 1),
                     record.project_id, values={
                         "subject_type": rtype.name, "subject_id": record.id,
                         "kind": rule.kind, "cycle": 1, "requested_by": user_id},
                     create=True)
            for rule in rules_of(rtype.name)
            if rule.opened_on_create and rule.opened_on_create(record, records)]


def decided(approval: RecordState, source: str, target: str, records: Records) -> list[Reaction]:
    """A decision moves the subject, or is refused: never one without the other."""
    values = approval.values
    rule = RULES.get(values.get("kind"))
    if source != "pending" or rule is None:
        return []
    if target == "rejected" and not (values.get("decision_comment") or "").strip():
        raise MutationRejected("invalid", "sending back needs its reason",
                               {"decision_comment": ["required to reject"]})
    if rule.awaiting is None:
        return []
    subject_type, subject_id = values.get("subject_type"), values.get("subject_id")
    subject = records.load(subject_type, subject_id) if subject_type == rule.subject_type else None
    if subject is None or subject.deleted:
        raise MutationRejected("invalid_transition", f"its {rule.subject_type} was deleted",
                               {"status": [f"its {rule.subject_type} was deleted"]})
    now = subject.values.get("status")
    if now != rule.awaiting:
        raise MutationRejected(
            "invalid_transition", f"its {rule.subject_type} is {now} now, no longer "
            f"{rule.awaiting}", {"status": [f"its {rule.subject_type} is {now} now"]})
    moves = [Reaction(subject_type, subject_id, approval.project_id,
                      state=rule.on_approve if target == "approved" else rule.on_reject)]
    if target == "rejected":
        # The reason stays on the subject, where its author fixes it from.
        moves.append(Reaction("comment", decision_comment_id(approval.id), approval.project_id,
                              values={"subject_type": subject_type, "subject_id": subject_id,
                                      "body": values["decision_comment"].strip()},
                              create=True))
    return moves


def _approvals_of(records: Records, subject_type: str, subject_id: str) -> list[RecordState]:
    return [a for a in records.find("approval", "subject_id", subject_id)
            if a.values.get("subject_type") == subject_type]


def closed_by_move(subject_type: str, subject: RecordState, source: str, target: str,
                   records: Records, roles: frozenset[str]) -> list[Reaction]:
    """A subject moved out of the state its pending approval awaits closes it: approved
    when moved where approving leads; otherwise rejected when a decider moved it, and
    withdrawn when anyone else did (its requester taking it back) or it was deleted."""
    closing = []
    for approval in _approvals_of(records, subject_type, subject.id):
        rule = RULES.get(approval.values.get("kind"))
        if approval.deleted or approval.values.get("status") != "pending" or rule is None \
                or rule.awaiting != source:
            continue
        if target is None:
            decision = "withdrawn"
        elif target == rule.on_approve:
            decision = "approved"
        elif allowed(roles, "approval", f"decide:{rule.kind}"):
            decision = "rejected"
        else:
            decision = "withdrawn"
        closing.append(Reaction("approval", approval.id, approval.project_id, state=decision))
    return closing


def opened(subject_type: str, subject: RecordState, source: str, target: str,
           records: Records, user_id: str) -> list[Reaction]:
    """The approval this move opens, if any, as the next cycle of its subject and kind."""
    rule = opened_by(subject_type, source, target) if target else None
    if rule is None:
        return []
    earlier = [a for a in _approvals_of(records, subject_type, subject.id)
               if a.values.get("kind") == rule.kind]
    cycle = 1 + len(earlier)
    return [Reaction("approval", approval_id(subject_type, subject.id, rule.kind, cycle),
                     subject.project_id, values={
                         "subject_type": subject_type, "subject_id": subject.id,
                         "kind": rule.kind, "cycle": cycle, "requested_by": user_id},
                     create=True)]


def escalations_resolved(type_name: str, subject: RecordState, target: str | None,
                         records: Records) -> list[Reaction]:
    """The subject moved out of what escalated it (or was deleted): its open escalations are
    resolved. A complaint is escalated until it is answered (resolved or closed), an action
    while it is open: the same rule as my day's escalated list (server/my_day/rules.py)."""
    if target is not None and type_name in ("feedback", "action") and still_late(type_name, target):
        return []
    return [Reaction("escalation", e.id, e.project_id, state="resolved")
            for e in records.find("escalation", "subject_id", subject.id)
            if not e.deleted and e.values.get("state") == "open"]
