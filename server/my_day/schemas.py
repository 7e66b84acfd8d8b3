"""Wire schemas of my day."""
from marshmallow import Schema, fields, validate


class MyDayQuery(Schema):
    today = fields.Date(metadata={"description": "the user's date (default: today where the user is)"})
    utc_offset = fields.Integer(load_default=0, validate=validate.Range(min=-720, max=840), metadata={
        "description": "minutes the user's clock is ahead of UTC (480 in China); their day ends "
                       "at their midnight"})


class MyDayEntry(Schema):
    type = fields.String(metadata={"description": "the record's type"})
    id = fields.String()
    due = fields.String(allow_none=True, metadata={
        "description": "due date, deadline or response deadline"})
    kind = fields.String(allow_none=True, metadata={"description": "an approval's kind"})
    at = fields.String(allow_none=True, metadata={"description": "when the decision was made"})
    reason = fields.String(metadata={"description": "response_overdue or action_overdue"})
    escalated_at = fields.String(allow_none=True)


def _bucket(description: str) -> fields.List:
    return fields.List(fields.Nested(MyDayEntry), metadata={"description": description})


class MyDayBuckets(Schema):
    overdue = _bucket("open work of mine past its due date")
    due_today = _bucket("open work of mine due by the end of today")
    to_decide = _bucket("pending approvals my role decides")
    sent_back = _bucket("the latest decision on what I asked for, when it was a rejection")
    accepted = _bucket("decisions approving what I asked for, of the last three days")
    escalated = _bucket("complaints and actions past their deadline (supervisors, admins)")


class MyDay(Schema):
    today = fields.String()
    now = fields.String()
    day_end = fields.String()
    buckets = fields.Nested(MyDayBuckets)
