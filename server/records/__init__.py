"""Every record type the server syncs, each declared in its own module."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sync import RecordState, RecordType, Registry
from sync.store import Records

from . import (action, approval, briefing, checklist, comment, document, escalation, feedback,
               inspection, photo_meta, pin, safety_check, section, task, work_step, worker)
from .base import RecordSchema

# A transition guard: (source, target, the record, other records as the push sees them) →
# field errors that forbid the move (empty when it may go ahead).
Guard = Callable[[str, str, RecordState, Records], dict]
# A guard that also asks who moves it: (…, the caller's user id, their roles in the project);
# it raises MutationRejected to refuse with a code of its own (`forbidden`, say).
ActorGuard = Callable[[str, str, RecordState, Records, str, frozenset], dict]


def on_own_values(guard: Callable[[str, str, dict], dict]) -> Guard:
    """A guard that judges the record's own values alone, as a Guard."""
    return lambda source, target, record, records: guard(source, target, record.values)


@dataclass(frozen=True)
class RecordKind:
    """A record type with its table and the schema that validates its fields."""

    type: RecordType
    model: type
    schema: RecordSchema
    guard: Guard | None = None
    actor_guard: ActorGuard | None = None

    @property
    def name(self) -> str:
        return self.type.name


KINDS: dict[str, RecordKind] = {kind.name: kind for kind in (
    RecordKind(section.TYPE, section.Section, section.SectionFields()),
    RecordKind(briefing.TYPE, briefing.Briefing, briefing.BriefingFields()),
    RecordKind(task.TYPE, task.Task, task.TaskFields()),
    RecordKind(safety_check.TYPE, safety_check.SafetyCheck, safety_check.SafetyCheckFields(),
               safety_check.verifying_guard),
    RecordKind(action.TYPE, action.Action, action.ActionFields()),
    RecordKind(feedback.TYPE, feedback.Feedback, feedback.FeedbackFields(),
               on_own_values(feedback.closing_guard)),
    RecordKind(approval.TYPE, approval.Approval, approval.ApprovalFields()),
    RecordKind(comment.TYPE, comment.Comment, comment.CommentFields()),
    RecordKind(checklist.TYPE, checklist.Checklist, checklist.ChecklistFields()),
    RecordKind(worker.TYPE, worker.Worker, worker.WorkerFields()),
    RecordKind(escalation.TYPE, escalation.Escalation, escalation.EscalationFields()),
    RecordKind(work_step.TYPE, work_step.WorkStep, work_step.WorkStepFields(),
               work_step.moving_guard),
    RecordKind(inspection.TYPE, inspection.Inspection, inspection.InspectionFields(),
               actor_guard=inspection.recording_guard),
    RecordKind(photo_meta.TYPE, photo_meta.PhotoMeta, photo_meta.PhotoMetaFields()),
    RecordKind(document.TYPE, document.Document, document.DocumentFields()),
    RecordKind(document.VERSION_TYPE, document.DocumentVersion, document.DocumentVersionFields()),
    RecordKind(pin.TYPE, pin.Pin, pin.PinFields()),
)}

REGISTRY = Registry([kind.type for kind in KINDS.values()])
