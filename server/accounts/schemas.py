"""Wire schemas of the account endpoints."""
from marshmallow import Schema, fields, validate

from ..records.base import StorableString
from .passwords import MAX_LENGTH, MIN_LENGTH

NEW_PASSWORD = validate.Length(min=MIN_LENGTH, max=MAX_LENGTH)


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
    stand_ins = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "stand-in (e.g. @crew_foreman) -> the record field holding the user it "
                       "stands for (e.g. a work step's foreman_id)"})
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
    server_admin = fields.Boolean(metadata={
        "description": "manages accounts and creates projects (granted from the command line)"})
    permissions = fields.Nested(PermissionTable, metadata={
        "description": "who may do what, as the server enforces it (server/permissions.py)"})


class LoginResponse(Schema):
    token = fields.String()
    expires_at = fields.DateTime()
    user = fields.Nested(UserOut)


class MeResponse(Schema):
    user = fields.Nested(UserOut)


class PasswordChange(Schema):
    current_password = StorableString(required=True, validate=validate.Length(min=1, max=256))
    new_password = StorableString(required=True, validate=NEW_PASSWORD)


class SessionOut(Schema):
    id = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    address = fields.String(allow_none=True, metadata={"description": "where the login came from"})
    current = fields.Boolean(metadata={"description": "the session of this request"})


class SessionList(Schema):
    sessions = fields.List(fields.Nested(SessionOut))
