"""Work steps (工序): one step of a section's work by one crew, inspected three times.

The state follows the three-level inspection (自检 → 互检 → 专检); a failed level sends the
step to rectification for that level, and once rectified it waits for the same level again:

    planned → in_progress ─self pass→ self_passed ─mutual pass→ mutual_passed ─specialist pass→ passed
                  │  ↑                    │  ↑                      │  ↑
             self fail  rectified    mutual fail  rectified   specialist fail  rectified
                  ↓  │                    ↓  │                      ↓  │
           rectifying_self        rectifying_mutual        rectifying_specialist

A pass or fail move needs the inspection of that level that says so (see `moving_guard`);
starting before the step it depends on has passed is allowed but recorded (`early_start`).
"""
import datetime as dt

from marshmallow import fields
from sqlalchemy import Boolean, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordState, RecordType, StateMachine
from sync.store import Records

from ..extensions import db
from .base import IsoDate, RecordMixin, RecordSchema, Uuid, name, text

LWW = FieldKind.LWW
LEVELS = ("self", "mutual", "specialist")
# The state in which a step waits for each level's inspection, and where each result sends it.
AWAITING = {"self": "in_progress", "mutual": "self_passed", "specialist": "mutual_passed"}
PASSED = {"self": "self_passed", "mutual": "mutual_passed", "specialist": "passed"}
RECTIFYING = {level: f"rectifying_{level}" for level in LEVELS}
# The step names a project offers when its settings name none.
DEFAULT_STEPS = ("沟槽开挖", "管道安装", "回填", "基层", "面层摊铺")

TYPE = RecordType("work_step", {
    "project_id": LWW, "section_id": LWW, "step": LWW, "crew": LWW, "foreman_id": LWW,
    "next_foreman_id": LWW, "planned_start": LWW, "planned_end": LWW, "actual_start": LWW,
    "actual_end": LWW, "depends_on": LWW, "early_start": LWW, "notes": LWW,
}, state_field="status", machine=StateMachine("planned", {
    "planned": ("in_progress",),
    "in_progress": ("self_passed", "rectifying_self"),
    "rectifying_self": ("in_progress",),
    "self_passed": ("mutual_passed", "rectifying_mutual"),
    "rectifying_mutual": ("self_passed",),
    "mutual_passed": ("passed", "rectifying_specialist"),
    "rectifying_specialist": ("mutual_passed",),
}), immutable=frozenset({"project_id", "section_id"}))


class WorkStep(RecordMixin, db.Model):
    __tablename__ = "work_steps"
    section_id: Mapped[str | None] = mapped_column(String(36), index=True)
    step: Mapped[str | None] = mapped_column(String(100))
    crew: Mapped[str | None] = mapped_column(String(50))
    foreman_id: Mapped[str | None] = mapped_column(String(36))
    next_foreman_id: Mapped[str | None] = mapped_column(String(36))
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    depends_on: Mapped[str | None] = mapped_column(String(36))
    # Started while the step it depends on had not passed its specialist inspection.
    early_start: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default="planned")


class WorkStepFields(RecordSchema):
    required_on_create = ("section_id", "step")
    section_id = Uuid()
    step = name(100)
    crew = text(50, allow_none=True)
    foreman_id = Uuid(allow_none=True)
    next_foreman_id = Uuid(allow_none=True)
    planned_start = IsoDate(allow_none=True)
    planned_end = IsoDate(allow_none=True)
    actual_start = IsoDate(allow_none=True)
    actual_end = IsoDate(allow_none=True)
    depends_on = Uuid(allow_none=True)
    early_start = fields.Boolean(allow_none=True)
    notes = text(4000, allow_none=True)
    status = fields.String()


def level_moved(source: str, target: str) -> tuple[str, str] | None:
    """(level, "pass" or "fail") when `source -> target` records an inspection's result."""
    for level in LEVELS:
        if source == AWAITING[level] and target == PASSED[level]:
            return level, "pass"
        if source == AWAITING[level] and target == RECTIFYING[level]:
            return level, "fail"
    return None


def inspections_of(step: RecordState, level: str, records: Records) -> list[RecordState]:
    """The step's live inspections of one level, oldest round first."""
    found = [record for record in records.find("inspection", "work_step_id", step.id)
             if not record.deleted and record.project_id == step.project_id
             and record.values.get("level") == level]
    return sorted(found, key=lambda record: record.values.get("round") or 0)


def moving_guard(source: str, target: str, step: RecordState, records: Records) -> dict:
    """A pass or fail move needs this round's inspection of that level with that result;
    a start before the step depended on has passed must say so in `early_start`."""
    if source == "planned" and target == "in_progress":
        return _start_errors(step, records)
    moved = level_moved(source, target)
    if moved is None:
        return {}
    level, result = moved
    latest = (inspections_of(step, level, records) or [None])[-1]
    if latest is None or latest.values.get("result") != result:
        return {"status": [f"needs a {level} inspection that recorded {result} first"]}
    return {}


def predecessor_passed(step: RecordState, records: Records) -> bool:
    """Whether the step this one depends on (if any) has passed its specialist inspection."""
    before = step.values.get("depends_on")
    if not before:
        return True
    record = records.load("work_step", before)
    return record is None or record.deleted or record.values.get("status") == "passed"


def _start_errors(step: RecordState, records: Records) -> dict:
    if predecessor_passed(step, records) or step.values.get("early_start") is True:
        return {}
    return {"early_start": ["the step this one depends on has not passed its specialist "
                            "inspection: a start now must set early_start"]}
