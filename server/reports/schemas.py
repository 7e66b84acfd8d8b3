"""Query strings of the report and export endpoints."""
from __future__ import annotations

import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .labels import LANGUAGES


class ReportQuery(Schema):
    date = fields.Date(load_default=None, metadata={"description": "YYYY-MM-DD; today in the project's zone by default"})
    format = fields.String(load_default="pdf", validate=validate.OneOf(("pdf", "html")))
    period = fields.String(load_default="day", validate=validate.OneOf(("day", "week")),
                           metadata={"description": "day, or week: Monday to Sunday with the dashboard's figures"})
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES),
                         metadata={"description": "zh-CN or en; Accept-Language when not given"})


class ExportQuery(Schema):
    from_ = fields.Date(load_default=None, data_key="from",
                        metadata={"description": "first day (YYYY-MM-DD): records whose activity "
                                                    "(creation day and own dates) reaches it or later"})
    to = fields.Date(load_default=None, metadata={"description": "last day, included: records whose "
                                                  "activity starts on it or earlier"})
    section_id = fields.UUID(load_default=None)
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES))

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError("must not be after `to`", "from")
        for name in ("from_", "to"):
            if data.get(name) and not dt.date(1900, 1, 1) <= data[name] <= dt.date(9000, 1, 1):
                raise ValidationError("must be a date between 1900 and 9000", name.rstrip("_"))
