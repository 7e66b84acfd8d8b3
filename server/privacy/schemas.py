"""Wire schemas of the privacy endpoints."""
from marshmallow import Schema, fields, validate

from ..records.feedback import PhoneNumber
from ..syncing.schemas import HistoryOut, InboxQuery, RecordOut


class AccessLogQuery(InboxQuery):
    """A page of the access log: `limit` entries before `before`."""


class AccessOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    user_id = fields.String()
    user_name = fields.String(allow_none=True)
    type = fields.String(allow_none=True, metadata={"description": "the record's type"})
    record_id = fields.String(allow_none=True,
                              metadata={"description": "none for a data request that found nothing"})
    endpoint = fields.String(metadata={"description": "method and URL rule"})


class AccessLog(Schema):
    entries = fields.List(fields.Nested(AccessOut))
    has_more = fields.Boolean()
    before = fields.Integer(allow_none=True,
                            metadata={"description": "ask for the next page with this"})


class ResidentQuery(Schema):
    phone = PhoneNumber(required=True, validate=validate.Regexp(
        r"^[0-9+() -]{3,40}$", error="must be a phone number"), metadata={
        "description": "the resident's number; spaces, dashes and a +86 prefix are ignored"})


class ComplaintOut(Schema):
    record = fields.Nested(RecordOut)
    history = fields.List(fields.Nested(HistoryOut))


class ResidentExport(Schema):
    phone = fields.String(metadata={"description": "the number searched for, normalised"})
    complaints = fields.List(fields.Nested(ComplaintOut))
