"""The OpenAPI document: the one error body every error has, and path parameters described
as the protocol defines them (ids are UUIDs, blobs are named by their SHA-256)."""
from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from flask_smorest import Api
from flask_smorest.spec.plugins import FlaskPlugin
from marshmallow import Schema, fields, validate

# Path parameters by name, as the wire defines them ("ids and *_id fields are UUID strings").
SHA256 = {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}
UUID = {"type": "string", "format": "uuid",
        "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"}
# Text every database can store (server/records/base.py StorableString): no NUL, and no
# lone UTF-16 surrogate. The pattern says the first; a surrogate range in it makes
# generators (schemathesis) drop the whole pattern, and valid JSON text has no lone
# surrogate to send anyway.
STORABLE_TEXT = r"^[^\u0000]*$"
# Rows numbered by the database: at least 1, at most a signed 64-bit integer.
ROW_ID = {"type": "integer", "minimum": 1, "maximum": 2 ** 63 - 1}


class ErrorDetail(Schema):
    code = fields.String(required=True, metadata={"description": "what went wrong, e.g. invalid"})
    message = fields.String(required=True, metadata={"description": "for people"})
    fields_ = fields.Dict(required=True, data_key="fields",
                          metadata={"description": "messages by field name"})


class ErrorBody(Schema):
    """`{"error": {"code", "message", "fields"}}`, from server/errors.py."""

    error = fields.Nested(ErrorDetail, required=True)


def record_types() -> list[str]:
    from .records import REGISTRY
    return sorted(rtype.name for rtype in REGISTRY)


class PathParameters(FlaskPlugin):
    """flask-smorest's rule reader, giving each path parameter the schema its name means."""

    def rule_to_params(self, rule):
        params = super().rule_to_params(rule)
        for param in params:
            schema = param["schema"]
            name = param["name"]
            if name == "sha256":
                param["schema"] = dict(SHA256)
            elif name == "export_file":
                from .reports.exports import export_files
                param["schema"] = {"type": "string", "enum": export_files()}
            elif name == "type_name":
                param["schema"] = {"type": "string", "enum": record_types()}
            elif name.endswith("_id") and schema.get("type") == "integer":
                param["schema"] = dict(ROW_ID)
            elif name.endswith("_id"):
                param["schema"] = dict(UUID)
        return params


class FieldRules(OpenAPIConverter):
    """apispec's converter, writing what the app's own fields check into their schemas."""

    def schema2jsonschema(self, schema):
        jsonschema = super().schema2jsonschema(schema)
        # A schema whose Meta names `min_properties` refuses an empty object (a PATCH
        # that changes nothing).
        minimum = getattr(getattr(schema, "Meta", None), "min_properties", None)
        if minimum:
            jsonschema["minProperties"] = minimum
        return jsonschema


# One mutation of a push, as the engine checks it before it applies any (sync/engine.py
# check_envelope): an object with a positive integer mid. Everything else in it, its types
# included, is judged per mutation and answered in the 200 (`rejected` with a reason), as
# sync-protocol.md says, so the schema constrains none of it.
MUTATION = {
    "type": "object", "required": ["mid"],
    "properties": {
        "mid": {"type": "integer", "minimum": 1,
                "description": "the device's mutation counter; distinct within a push"},
        "op": {"description": "put or delete"},
        "type": {"description": "a record type, e.g. task"},
        "id": {"description": "the record's UUID"},
        "hlc": {"description": "PPPPPPPPPPPPPPP:CCCCC:<client_id>"},
        "fields": {"description": "for a put, the fields it writes (an object)"},
    },
}


def field_rules(self, field, **kwargs) -> dict:
    """Schema properties of the app's fields: UUIDs, storable text, a push's mutations,
    and objects whose keys must be one of a list (a value per feedback category)."""
    from .records.base import StorableString, Uuid
    from .syncing.schemas import Mutations
    if isinstance(field, Mutations):
        return {"items": MUTATION}
    if isinstance(field, Uuid):
        return {key: value for key, value in UUID.items() if key != "type"}
    if isinstance(field, StorableString) and "pattern" not in kwargs.get("ret", {}):
        return {"pattern": STORABLE_TEXT}
    if isinstance(field, fields.Dict) and field.key_field is not None:
        choices = [v.choices for v in field.key_field.validators if isinstance(v, validate.OneOf)]
        if choices:
            value = self.field2property(field.value_field) if field.value_field else {}
            return {"properties": {key: value for key in choices[0]},
                    "additionalProperties": False}
    return {}


class GridlineApi(Api):
    """flask-smorest's Api documenting Gridline's error body, path parameters and fields."""

    ERROR_SCHEMA = ErrorBody

    def _init_spec(self, *, flask_plugin=None, marshmallow_plugin=None, **kwargs):
        plugin = marshmallow_plugin or MarshmallowPlugin()
        plugin.Converter = FieldRules
        super()._init_spec(flask_plugin=flask_plugin or PathParameters(),
                           marshmallow_plugin=plugin, **kwargs)
        self.ma_plugin.converter.add_attribute_function(field_rules)
