"""Flask extensions, created unbound and attached in create_app."""
from flask_migrate import Migrate
import flask_smorest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase
from webargs.flaskparser import FlaskParser

from .openapi import GridlineApi


class Base(DeclarativeBase):
    """Declarative base of every model."""


class JsonBodyParser(FlaskParser):
    """webargs' parser, reading JSON arguments with `request.get_json`: the app's JSON
    provider and request class (server/json_body.py) decide what a body is, for every
    endpoint alike, and a body is parsed once. webargs' own reading took a body sent as
    another type for an empty one (a 422 naming every field missing) and answered what
    its parser raised besides a syntax error (too many digits) with a 500."""

    def _raw_load_json(self, req):
        return req.get_json()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = GridlineApi()


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint, reading arguments with `JsonBodyParser`; every API module
    makes its blueprint from this one."""

    ARGUMENTS_PARSER = JsonBodyParser()
