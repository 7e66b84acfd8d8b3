"""Wire schemas of the sync endpoints."""
from marshmallow import Schema, fields, validate

from ..records.base import Uuid


class Mutations(fields.List):
    """A push's mutations, passed on as sent: the engine checks each one and answers per
    mutation, so here only the list itself is checked (not each item again)."""

    def __init__(self, **kwargs):
        super().__init__(fields.Raw(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise self.make_error("invalid")
        return value


class PushRequest(Schema):
    client_id = Uuid(required=True)
    schema_version = fields.Integer(required=True, strict=True, validate=validate.Equal(1))
    mutations = Mutations(required=True)


class MutationResult(Schema):
    mid = fields.Integer()
    status = fields.String(metadata={"enum": ["applied", "merged", "rejected", "gap"]})
    seq = fields.Integer()
    replayed = fields.Boolean()
    conflicts = fields.List(fields.Dict())
    error = fields.Dict()


class PushResponse(Schema):
    results = fields.List(fields.Nested(MutationResult))
    last_mid = fields.Integer()


class PullQuery(Schema):
    client_id = Uuid(required=True)
    cursor = fields.String(validate=validate.Length(max=2000))
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=1000))


class ChangeOut(Schema):
    type = fields.String()
    id = fields.String()
    seq = fields.Integer()
    deleted = fields.Boolean()
    evicted = fields.Boolean()
    data = fields.Dict()
    updated_by = fields.String(allow_none=True)
    updated_at = fields.String(allow_none=True)
    created_by = fields.String(allow_none=True)
    created_at = fields.String(allow_none=True)


class PullResponse(Schema):
    changes = fields.List(fields.Nested(ChangeOut))
    cursor = fields.String()
    has_more = fields.Boolean()
    last_mid = fields.Integer()


class ConflictOut(Schema):
    id = fields.Integer()
    type = fields.String()
    record_id = fields.String()
    field = fields.String()
    yours = fields.Raw(allow_none=True)
    kept = fields.Raw(allow_none=True)
    by = fields.String()
    by_name = fields.String(allow_none=True)
    seq = fields.Integer()
    created_at = fields.DateTime()


class InboxQuery(Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    before = fields.Integer(validate=validate.Range(min=1, max=2 ** 63 - 1),
                            metadata={"description": "the `before` of the previous page"})


class InboxPage(Schema):
    has_more = fields.Boolean()
    before = fields.Integer(allow_none=True,
                            metadata={"description": "ask for the next page with this"})


class ConflictList(InboxPage):
    conflicts = fields.List(fields.Nested(ConflictOut))


class RejectedOut(Schema):
    id = fields.Integer()
    mid = fields.Integer()
    client_id = fields.String()
    type = fields.String()
    record_id = fields.String()
    op = fields.String()
    payload = fields.Dict()
    error = fields.Dict()
    created_at = fields.DateTime()


class RejectedList(InboxPage):
    rejected = fields.List(fields.Nested(RejectedOut))


class HistoryOut(Schema):
    field = fields.String()
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)
    hlc = fields.String()
    original_hlc = fields.String(allow_none=True)
    clamped = fields.Boolean()
    user = fields.String()
    user_name = fields.String(allow_none=True)
    seq = fields.Integer()
    lost = fields.Boolean()


class HistoryList(Schema):
    history = fields.List(fields.Nested(HistoryOut))


class RecordOut(ChangeOut):
    """One record as a pull would carry it."""


class QrQuery(Schema):
    format = fields.String(load_default="svg", validate=validate.OneOf(("svg", "png")))
