"""JSON request bodies: which bodies the API reads, and the one answer to those it cannot.

A body is read by `request.get_json` (the webargs parser flask-smorest uses reads through
it too, see `extensions.JsonBodyParser`), so every endpoint parses a body once, with the
app's provider below, and refuses the same bodies: `400 malformed`, saying why.
"""
from __future__ import annotations

import json
import math

import orjson
from flask import Request, Response, current_app, jsonify
from flask.json.provider import DefaultJSONProvider

from .errors import ApiError


class UnreadableNumber(ValueError):
    """A number no client reads back as sent: NaN, Infinity, or one beyond a double."""


def finite_float(text: str) -> float:
    """A JSON number with a fraction or exponent, refused when beyond a double (`1e400`
    is valid JSON but parses as Infinity, which no JSON writer can give back)."""
    value = float(text)
    if math.isinf(value):  # float() of a JSON number is never NaN
        raise UnreadableNumber("a number is beyond the range of a double")
    return value


def no_constant(name: str):
    """`NaN`, `Infinity` and `-Infinity`: Python's parser takes them, JSON has none."""
    raise UnreadableNumber(f"{name} is not a JSON number")


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's provider, reading only JSON that every client reads back the same.

    The hooks see number tokens with a fraction or exponent and the NaN/Infinity words
    only; strings, integers and the rest stay on the C scanner's fast path. An integer of
    more than 4300 digits is refused by Python itself (a ValueError, answered alike)."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_float", finite_float)
        kwargs.setdefault("parse_constant", no_constant)
        return json.loads(s, **kwargs)


def wire_json(payload) -> Response:
    """An answer already in the wire's shape (a pull page, a push's results), written by orjson:
    a page of 1,000 records is encoded several times faster than by the standard library, and
    its keys are left in the order they were made rather than sorted. What orjson refuses (an
    integer beyond 64 bits, which a record's JSON field may hold) is written by Flask's provider."""
    try:
        body = orjson.dumps(payload)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return jsonify(payload)
    return current_app.response_class(body, mimetype="application/json")


class JsonRequest(Request):
    """Flask's request, answering a body it cannot read as JSON with `400 malformed`."""

    def on_json_loading_failed(self, e: ValueError | None):
        if e is None:
            raise ApiError(400, "the body must be JSON, sent with Content-Type: application/json",
                           "malformed")
        raise ApiError(400, f"the body is not valid JSON: {_reason(e)}", "malformed")


def _reason(error: ValueError) -> str:
    if isinstance(error, UnreadableNumber):
        return f"{error} (numbers must be finite and fit a double)"
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno} column {error.colno}"
    if isinstance(error, UnicodeDecodeError):
        return "it is not UTF-8"
    # What else json.loads raises: Python's limit on the digits of an integer.
    return "a number has more digits than can be read"
