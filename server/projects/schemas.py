"""Wire schemas of the admin endpoints."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..accounts.schemas import NEW_PASSWORD
from ..records import section
from ..records.base import StorableString, Uuid
from ..records.feedback import CATEGORIES
from .models import ROLES

USERNAME = validate.Regexp(r"^[a-z0-9][a-z0-9_.-]{1,63}\Z",
                           error="2–64 lower-case letters, digits, . _ -")


class UserCreate(Schema):
    username = StorableString(required=True, validate=USERNAME)
    name = StorableString(required=True, validate=validate.Length(min=1, max=100))
    password = StorableString(required=True, validate=NEW_PASSWORD)
    phone = StorableString(validate=validate.Length(max=32), allow_none=True)


class UserUpdate(Schema):
    name = StorableString(validate=validate.Length(min=1, max=100))
    password = StorableString(validate=NEW_PASSWORD)
    phone = StorableString(validate=validate.Length(max=32), allow_none=True)
    active = fields.Boolean()


class AdminUserOut(Schema):
    id = fields.String()
    username = fields.String()
    name = fields.String()
    phone = fields.String(allow_none=True)
    active = fields.Boolean()


class ProjectCreate(Schema):
    code = StorableString(required=True, validate=validate.Regexp(r"^[A-Z0-9][A-Z0-9_-]{1,31}\Z",
                                                                 error="2–32 capitals, digits, _ -"))
    name = StorableString(required=True, validate=validate.Length(min=1, max=200))


class ProjectOut(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    settings = fields.Dict()


class ProjectList(Schema):
    projects = fields.List(fields.Nested(ProjectOut))


class RolesUpdate(Schema):
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True,
                        validate=validate.Length(max=len(ROLES)))


class MemberAdd(Schema):
    username = StorableString(required=True, validate=USERNAME)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True,
                        validate=validate.Length(min=1, max=len(ROLES)))
    # Given a password, a new account is made; without one, an existing user is added.
    password = StorableString(validate=NEW_PASSWORD, metadata={
        "description": "makes a new account with this password; leave out to add an existing user"})
    name = StorableString(validate=validate.Length(min=1, max=100))
    phone = StorableString(validate=validate.Length(max=32), allow_none=True)

    @validates_schema
    def _a_new_account_needs_a_name(self, data, **kwargs):
        if "password" in data and "name" not in data:
            raise ValidationError({"name": ["required for a new account"]})


class MemberOut(Schema):
    user_id = fields.String()
    username = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())


class MemberList(Schema):
    members = fields.List(fields.Nested(MemberOut))


class SectionWrite(Schema):
    code = StorableString(validate=section.CODE)
    name = StorableString(validate=validate.Length(min=1, max=200))
    owner_id = Uuid(allow_none=True)
    description = StorableString(validate=validate.Length(max=4000), allow_none=True)


class SectionCreate(SectionWrite):
    """A new section: its code and name are required."""

    code = StorableString(required=True, validate=section.CODE)
    name = StorableString(required=True, validate=validate.Length(min=1, max=200))


class SectionChange(SectionWrite):
    """A change to a section: at least one of its fields."""

    class Meta:
        min_properties = 1


class SectionResult(Schema):
    id = fields.String()
    seq = fields.Integer()
    status = fields.String()


class ProjectSettings(Schema):
    feedback_response_hours = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)),
        values=fields.Integer(strict=True, validate=validate.Range(min=1, max=24 * 30)),
        metadata={"description": "hours to answer resident feedback, per category"})
    resident_data_retention_days = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=36500), metadata={
            "description": "days a closed complaint keeps its resident's name, phone and "
                           "location before `flask anonymise-residents` removes them"})
    satisfaction_target = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=100), metadata={
            "description": "percent of residents satisfied (a score of 4 or 5) the project "
                           "aims at; the dashboard and the weekly report measure against it"})
    work_steps = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        validate=validate.Length(min=1, max=100), metadata={
            "description": "the work step names the app offers, in order (e.g. 沟槽开挖, 管道安装)"})
