"""Every record type the server syncs, each declared in its own module."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sync import RecordState, RecordType, Registry
from sync.store import Records

from . import (action, approval, briefing, checklist, comment, document, feedback, pin, safety_check,
               section, task, worker)
from .base import RecordSchema

# A transition guard: (source, target, the record, other records as the push sees them) →
# field errors that forbid the move (empty when it may go ahead).
Guard = Callable[[str, str, RecordState, Records], dict]


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
    RecordKind(document.TYPE, document.Document, document.DocumentFields()),
    RecordKind(document.VERSION_TYPE, document.DocumentVersion, document.DocumentVersionFields()),
    RecordKind(pin.TYPE, pin.Pin, pin.PinFields()),
)}

REGISTRY = Registry([kind.type for kind in KINDS.values()])
