"""Inspections of a work step: self (自检), mutual (互检) and specialist (专检), in that order.

An inspection is evidence: recorded once with its result and never edited. Each level is
inspected in rounds: round 0 first, and after each failure (and the rectification the work
step then goes through) one more. A level's round is the number of its failed inspections,
so two phones that saw the same records name the same round, and the second to arrive is
refused (`invalid_transition`): pushes are applied one at a time under the writers' lock
(see server/syncing/store.py), on SQLite and PostgreSQL alike.
"""
from marshmallow import Schema, fields, validate
from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordState, RecordType, StateMachine
from sync.errors import MutationRejected
from sync.store import Records

from ..extensions import db
from ..permissions import allowed, stand_ins
from .base import IsoDateTime, RecordMixin, RecordSchema, Uuid, integer, one_of, photos, text
from .work_step import AWAITING, LEVELS, RECTIFYING, inspections_of

LWW, SET, MAP = FieldKind.LWW, FieldKind.SET, FieldKind.MAP
ITEM_RESULTS = ("pass", "fail", "na")
# The level below each one, which must have passed first.
BELOW = {"mutual": "self", "specialist": "mutual"}

TYPE = RecordType("inspection", {
    "project_id": LWW, "work_step_id": LWW, "level": LWW, "round": LWW, "checklist": LWW,
    "results": MAP, "measurements": MAP, "photos": SET, "notes": LWW, "inspected_at": LWW,
}, state_field="result", machine=StateMachine("pending", {"pending": ("pass", "fail")}),
    immutable=frozenset({"project_id", "work_step_id", "level", "round"}))


class Inspection(RecordMixin, db.Model):
    __tablename__ = "inspections"
    work_step_id: Mapped[str | None] = mapped_column(String(36), index=True)
    level: Mapped[str | None] = mapped_column(String(16))
    round: Mapped[int | None] = mapped_column(Integer)
    checklist: Mapped[str | None] = mapped_column(String(64))
    # {item code: pass|fail|na} and {item code: {"value": 96.5, "unit": "%"}}.
    results: Mapped[dict] = mapped_column(JSON, default=dict)
    measurements: Mapped[dict] = mapped_column(JSON, default=dict)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    inspected_at: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(String(16), default="pending")


class Measurement(Schema):
    value = fields.Float(required=True, allow_nan=False)
    unit = fields.String(required=True, validate=validate.Length(max=16))


def _item_key() -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=64))


class InspectionFields(RecordSchema):
    required_on_create = ("work_step_id", "level", "round", "result")
    work_step_id = Uuid()
    level = one_of(*LEVELS)
    round = integer(0, 1000)
    checklist = fields.String(validate=validate.Length(min=1, max=64), allow_none=True)
    results = fields.Dict(keys=_item_key(), values=one_of(*ITEM_RESULTS, allow_none=True))
    measurements = fields.Dict(keys=_item_key(), values=fields.Nested(Measurement, allow_none=True))
    photos = photos()
    notes = text(4000, allow_none=True)
    inspected_at = IsoDateTime(allow_none=True)
    result = fields.String()


def recording_guard(source: str, target: str, inspection: RecordState, records: Records,
                    user_id: str, roles: frozenset[str]) -> dict:
    """Recording a result: by whom the level's rule names, in order, once per round.

    Raises `forbidden` for the wrong person and `invalid_transition` for the wrong moment
    (the level below not passed, the step in rectification, the round already recorded)."""
    values = inspection.values
    step = records.load("work_step", values.get("work_step_id") or "")
    if step is None or step.deleted or step.project_id != inspection.project_id:
        return {"work_step_id": ["no such work step in this project"]}
    level = values.get("level")
    if not allowed(roles, "inspection", f"level:{level}", stand_ins=stand_ins(step, user_id)):
        raise MutationRejected("forbidden", f"you may not record the {level} inspection of "
                               f"this work step", {"level": [WHO[level]]})
    state = step.values.get("status")
    if state != AWAITING[level]:
        raise MutationRejected("invalid_transition", _not_now(level, state), {"level": [_not_now(level, state)]})
    done = inspections_of(step, level, records)
    if done and done[-1].values.get("result") == "fail" and _status_seq(step) < done[-1].seq:
        # A failure sends the step to rectification: the level is inspected again only once
        # the step has moved since (to rectifying and back), whichever client recorded it.
        message = f"the {level} inspection failed: the work step is rectified before it is inspected again"
        raise MutationRejected("invalid_transition", message, {"level": [message]})
    expected = sum(1 for record in done if record.values.get("result") == "fail")
    if any(record.values.get("round") == values.get("round") for record in done) \
            or values.get("round") != expected:
        message = f"the {level} inspection of round {values.get('round')} is already recorded"
        raise MutationRejected("invalid_transition", message, {"round": [message]})
    return {}


def _status_seq(step: RecordState) -> int:
    """The seq of the step's last move (0 when it has stayed in its first state)."""
    clock = (step.meta.get("c") or {}).get("status")
    return clock[2] if clock else 0


WHO = {"self": "only the crew's foreman records the self inspection",
       "mutual": "only the next crew's foreman records the mutual inspection",
       "specialist": "only a quality inspector records the specialist inspection"}


def _not_now(level: str, state: str | None) -> str:
    """Why `level` cannot be inspected while its step is in `state`."""
    if state in RECTIFYING.values():
        return "the work step is being rectified; it is inspected again once rectified"
    if state == "planned":
        return "the work step has not started"
    order = list(AWAITING.values()) + ["passed"]
    if level in BELOW and state in order and order.index(state) < order.index(AWAITING[level]):
        return f"the {BELOW[level]} inspection has not passed yet"
    return f"the {level} inspection is already recorded"
