"""Every record type the server syncs, each declared in its own module."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sync import RecordType, Registry

from . import action, approval, briefing, checklist, comment, feedback, safety_check, section, task
from .base import RecordSchema


@dataclass(frozen=True)
class RecordKind:
    """A record type with its table and the schema that validates its fields."""

    type: RecordType
    model: type
    schema: RecordSchema
    guard: Callable[[str, str, dict], dict] | None = None

    @property
    def name(self) -> str:
        return self.type.name


KINDS: dict[str, RecordKind] = {kind.name: kind for kind in (
    RecordKind(section.TYPE, section.Section, section.SectionFields()),
    RecordKind(briefing.TYPE, briefing.Briefing, briefing.BriefingFields()),
    RecordKind(task.TYPE, task.Task, task.TaskFields()),
    RecordKind(safety_check.TYPE, safety_check.SafetyCheck, safety_check.SafetyCheckFields()),
    RecordKind(action.TYPE, action.Action, action.ActionFields()),
    RecordKind(feedback.TYPE, feedback.Feedback, feedback.FeedbackFields(), feedback.closing_guard),
    RecordKind(approval.TYPE, approval.Approval, approval.ApprovalFields()),
    RecordKind(comment.TYPE, comment.Comment, comment.CommentFields()),
    RecordKind(checklist.TYPE, checklist.Checklist, checklist.ChecklistFields()),
)}

REGISTRY = Registry([kind.type for kind in KINDS.values()])
