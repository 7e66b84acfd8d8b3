"""What a JSON body must be: `application/json` (a charset may be said), and JSON whose
numbers every client can read back: no NaN or Infinity, no number beyond a double (1e400
parses as Infinity), no integer longer than Python reads (4300 digits). Such a body is a
`400 malformed` on every endpoint, before anything is stored.

Bodies are read two ways, by `request.get_json` and by the webargs parser flask-smorest
uses; both must refuse the same input.
"""
from __future__ import annotations

import hashlib
import io
import json
import uuid

import pytest
from flask import jsonify, request
from PIL import Image

from server.demo import demo_id

from .conftest import DEMO_PASSWORD, demo_app
from .demo_site import PROJECT, DemoSite, assert_error

USER = f"/api/admin/users/{demo_id('foreman2')}"
MEMBER = f"/api/projects/{PROJECT}/members/{demo_id('foreman2')}"

# Numbers JSON.parse would read as something other than what was sent, or not at all.
UNREADABLE = {"1e400": "1e400", "-1e400": "-1e400", "NaN": "NaN", "Infinity": "Infinity",
              "-Infinity": "-Infinity", "long-integer": "9" * 5000,
              "long-negative-integer": "-" + "9" * 5000}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"json-{request.param}")) as app:
        yield DemoSite(app)


def push_text(site: DemoSite, title_json: str, progress_json: str) -> tuple[str, str]:
    """A push of one new task whose progress is `progress_json` as written; its client_id."""
    device = site.device("foreman1")
    mutation = device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "x"})
    text = json.dumps({"client_id": device.client_id, "schema_version": 1,
                       "mutations": [mutation]})
    return text.replace('"title": "x"', f'"title": {title_json}, "progress": {progress_json}'), \
        device.client_id


def inbox(site: DemoSite) -> list:
    response = site.client.get("/api/sync/rejected", headers=site.headers("foreman1"))
    assert response.status_code == 200
    return response.get_json()["rejected"]


@pytest.mark.parametrize("number", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_push_holding_an_unreadable_number_is_400_and_stores_nothing(site, number):
    """On PostgreSQL the kept payload of such a rejection was a 500 on every retry (the
    queue stuck); on SQLite the inbox then answered `Infinity`, which is not JSON."""
    before = inbox(site)
    text, client_id = push_text(site, '"x"', number)
    error = assert_error(site.send("POST", "/api/sync/push", text, "foreman1"), 400, "malformed")
    assert "JSON" in error["message"], error
    assert inbox(site) == before
    status, body = site.transport("GET", f"/api/sync/pull?client_id={client_id}", None,
                                  site.headers("foreman1"))
    assert status == 200 and body["last_mid"] == 0, body


@pytest.mark.parametrize("number", UNREADABLE.values(), ids=UNREADABLE.keys())
@pytest.mark.parametrize("method, path, login", [
    ("POST", "/api/auth/login", False), ("POST", "/api/admin/users", True),
    ("PATCH", USER, True), ("PUT", MEMBER, True),
    ("PATCH", f"/api/projects/{PROJECT}/settings", True),
], ids=["login", "create-user", "update-user", "members", "settings"])
def test_every_json_endpoint_refuses_an_unreadable_number(site, method, path, login, number):
    response = site.send(method, path, '{"username": "admin1", "password": ' + number + "}",
                         "admin1" if login else None)
    assert_error(response, 400, "malformed")


def test_numbers_a_double_holds_are_still_read(site):
    """Finite floats and long (but not over-long) integers parse; the push then judges
    the field, rejecting the mutation alone."""
    for number in ("1e308", "-0.0", "50.5", "1" + "0" * 4000):
        text, _ = push_text(site, '"x"', number)
        response = site.send("POST", "/api/sync/push", text, "foreman1")
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        [result] = response.get_json()["results"]
        assert result["status"] == "rejected" and "progress" in result["error"]["fields"], result
    assert strict_json_of(site.client.get("/api/sync/rejected", headers=site.headers("foreman1")))


def strict_json_of(response):
    """The body parsed as JSON.parse would: NaN and Infinity are not JSON."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(response.get_data(as_text=True), parse_constant=refuse)


def test_a_string_holding_the_words_is_no_number(site):
    text, _ = push_text(site, '"NaN Infinity 1e400"', "50")
    response = site.send("POST", "/api/sync/push", text, "foreman1")
    assert response.get_json()["results"][0]["status"] == "applied", response.get_json()


# -- Content-Type ---------------------------------------------------------------------------

NOT_JSON_TYPES = {"none": None, "text-plain": "text/plain", "form": "application/x-www-form-urlencoded",
                  "octet-stream": "application/octet-stream", "json-typo": "application/jsn"}


@pytest.mark.parametrize("content_type", NOT_JSON_TYPES.values(), ids=NOT_JSON_TYPES.keys())
@pytest.mark.parametrize("method, path, login", [
    ("POST", "/api/sync/push", True), ("POST", "/api/auth/login", False),
    ("POST", "/api/admin/users", True), ("PATCH", USER, True),
], ids=["push", "login", "create-user", "update-user"])
def test_a_json_body_sent_as_another_type_is_400_saying_so(site, method, path, login, content_type):
    """Not a 422 listing every field as missing: the fields were sent, as another type."""
    body = json.dumps({"client_id": str(uuid.uuid4()), "schema_version": 1, "mutations": [],
                       "username": "admin1", "password": DEMO_PASSWORD})
    error = assert_error(site.send(method, path, body, "admin1" if login else None,
                                   content_type=content_type), 400, "malformed")
    assert "application/json" in error["message"], error
    assert error["fields"] == {}, error


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "application/json;charset=UTF-8", "Application/JSON"])
def test_application_json_with_or_without_a_charset_is_json(site, content_type):
    body = json.dumps({"client_id": str(uuid.uuid4()), "schema_version": 1, "mutations": []})
    response = site.send("POST", "/api/sync/push", body, "foreman1", content_type=content_type)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_an_empty_json_body_is_400_not_a_list_of_missing_fields(site):
    error = assert_error(site.send("POST", "/api/sync/push", "", "foreman1"), 400, "malformed")
    assert error["fields"] == {}, error


def test_a_blob_upload_still_takes_raw_bytes_of_any_type(site):
    """PUT /api/blobs/<sha256> takes the bytes, not JSON, whatever Content-Type says."""
    for index, content_type in enumerate((None, "image/png", "application/octet-stream")):
        out = io.BytesIO()
        Image.new("RGB", (4, 4), (index * 40, 10, 10)).save(out, "PNG")
        data = out.getvalue()
        response = site.send("PUT", f"/api/blobs/{hashlib.sha256(data).hexdigest()}", data,
                             "foreman1", content_type=content_type)
        assert response.status_code == 201, response.get_data(as_text=True)[:300]


# -- request.get_json, the other way a body is read ------------------------------------------

@pytest.mark.parametrize("text, status", [
    ('{"a": 1e400}', 400), ('{"a": NaN}', 400), ('{"a": -Infinity}', 400),
    ('{"a": ' + "9" * 5000 + "}", 400), ('{"a": ', 400), ('{"a": 1.5}', 200),
])
def test_request_get_json_refuses_the_same_bodies(app, text, status):
    """A view reading its body with `request.get_json()` answers as the endpoints do."""
    @app.post("/api/test-echo")
    def echo():
        return jsonify(request.get_json())

    client = app.test_client()
    response = client.post("/api/test-echo", data=text, content_type="application/json")
    if status == 400:
        assert_error(response, 400, "malformed")
    else:
        assert response.status_code == 200 and response.get_json() == {"a": 1.5}
    assert_error(client.post("/api/test-echo", data='{"a": 1}', content_type="text/plain"),
                 400, "malformed")
