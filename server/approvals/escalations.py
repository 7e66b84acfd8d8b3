"""Escalations: a complaint past its response deadline, or a corrective action past its
deadline, recorded once each (its id derives from the subject, the reason and the deadline)
until the subject is answered (a complaint resolved or closed) or no longer open (an action):
server/approvals/reactions.py resolves it then, by the rule my day's escalated list follows.

Looked for at a caller's pull (at most every ESCALATION_CHECK_SECONDS per worker, for their
projects) and by `flask escalate` (for cron, every project)."""
from __future__ import annotations

import datetime as dt
import time
import uuid

import click
from flask import current_app
from sqlalchemy import select

import sync
from sync import Reaction

from ..extensions import db
from ..records import REGISTRY
from ..records.action import Action
from ..records.escalation import Escalation
from ..records.feedback import Feedback
from ..syncing.store import SqlStore
from ..syncing.writer_queue import writers_queue
from ..my_day.rules import ANSWERED
from .table import NAMESPACE



def escalation_id(subject_type: str, subject_id: str, reason: str, due: str) -> str:
    """The one id of an escalation: the same subject past the same deadline is one."""
    return str(uuid.uuid5(NAMESPACE, f"escalation:{subject_type}:{subject_id}:{reason}:{due}"))


def overdue(project_ids: list[str] | None, now: dt.datetime) -> list[Reaction]:
    """An escalation to record for every complaint and action past its deadline."""
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    complaints = select(Feedback.id, Feedback.project_id, Feedback.response_due).where(
        Feedback.deleted.is_(False), Feedback.status.not_in(ANSWERED),
        Feedback.response_due.is_not(None), Feedback.response_due < stamp)
    actions = select(Action.id, Action.project_id, Action.deadline).where(
        Action.deleted.is_(False), Action.status == "open", Action.deadline.is_not(None),
        Action.deadline < now.date())
    if project_ids is not None:
        complaints = complaints.where(Feedback.project_id.in_(project_ids))
        actions = actions.where(Action.project_id.in_(project_ids))
    found = [("feedback", "response_overdue", row.id, row.project_id, row.response_due)
             for row in db.session.execute(complaints)]
    found += [("action", "action_overdue", row.id, row.project_id, row.deadline.isoformat())
              for row in db.session.execute(actions)]
    return [Reaction("escalation", escalation_id(kind, subject, reason, due), project,
                     values={"subject_type": kind, "subject_id": subject, "reason": reason,
                             "due": due, "escalated_at": stamp}, create=True)
            for kind, reason, subject, project, due in found]


def escalate(project_ids: list[str] | None = None, now: dt.datetime | None = None) -> int:
    """Record the escalations not recorded yet; how many were. Takes the writers' lock only
    when there is one to record, so most checks are a read."""
    now = now or dt.datetime.now(dt.timezone.utc)
    wanted = overdue(project_ids, now)
    if not wanted:
        return 0
    known = set(db.session.execute(select(Escalation.id).where(
        Escalation.id.in_([r.id for r in wanted]))).scalars())
    wanted = [r for r in wanted if r.id not in known]
    if not wanted:
        db.session.commit()
        return 0
    db.session.commit()
    from ..syncing.policy import ServerPolicy  # the policy imports this package's reactions
    with writers_queue(db.engine):
        store = SqlStore(db.session.connection())
        store.begin()
        now_ms = int(now.timestamp() * 1000)
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        # Under the lock each is looked up again: another worker or server may have just
        # recorded it, and a derived id is written once.
        written = [sync.write_by_server(store, REGISTRY, ServerPolicy(None), reaction,
                                        user_id=sync.SERVER_CLIENT_ID, now_ms=now_ms,
                                        now_iso=stamp) for reaction in wanted]
        store.flush()
        db.session.commit()
    return sum(1 for record in written if record is not None)


def escalate_now_and_then(project_ids: list[str]) -> None:
    """At a pull: look for the caller's projects not looked at for a while (per worker)."""
    every = current_app.config.get("ESCALATION_CHECK_SECONDS", 300)
    # When this worker's app last looked, by project.
    last_check = current_app.extensions.setdefault("gridline_escalation_checks", {})
    moment = time.monotonic()
    due = [p for p in project_ids if moment - last_check.get(p, -1e18) >= every]
    if not due:
        return
    for project_id in due:
        last_check[project_id] = moment
    escalate(due)


@click.command("escalate")
def escalate_command():
    """Record an escalation for every complaint and action now past its deadline (for cron)."""
    click.echo(f"recorded {escalate()} escalations")
