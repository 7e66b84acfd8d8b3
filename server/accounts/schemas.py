"""Wire schemas of the account endpoints."""
from marshmallow import Schema, fields, validate

from ..records.base import StorableString


class LoginRequest(Schema):
    username = StorableString(required=True, validate=validate.Length(min=1, max=64))
    password = StorableString(required=True, validate=validate.Length(min=1, max=256))


class MembershipOut(Schema):
    project_id = fields.String()
    project_code = fields.String()
    project_name = fields.String()
    roles = fields.List(fields.String())


class PermissionTable(Schema):
    author = fields.String(metadata={"description": "the role name standing for a record's creator"})
    rules = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.List(fields.String())), metadata={
        "description": "record type -> action (create, edit, edit:<field>, delete, "
                       "status:<from>-><to>) -> roles granted it"})
    unmasked = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.List(fields.String())), metadata={
        "description": "record type -> field -> roles that read it unmasked"})


class UserOut(Schema):
    id = fields.String()
    username = fields.String()
    name = fields.String()
    roles = fields.List(fields.String(), metadata={"description": "roles held in any project"})
    memberships = fields.List(fields.Nested(MembershipOut))
    permissions = fields.Nested(PermissionTable, metadata={
        "description": "who may do what, as the server enforces it (server/permissions.py)"})


class LoginResponse(Schema):
    token = fields.String()
    expires_at = fields.DateTime()
    user = fields.Nested(UserOut)


class MeResponse(Schema):
    user = fields.Nested(UserOut)
