"""The OpenAPI document describes every API route the app serves, and nothing else."""
from __future__ import annotations

import re

import pytest

from .conftest import make_app

IGNORED = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app and its OpenAPI document."""
    tmp_path = tmp_path_factory.mktemp("openapi")
    app = make_app(f"sqlite:///{tmp_path / 'gridline.db'}", tmp_path)
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    yield app, response.get_json()
    from server.extensions import db
    with app.app_context():
        db.engine.dispose()


def openapi_path(rule: str) -> str:
    """`/api/sync/rejected/<int:rejected_id>` → `/api/sync/rejected/{rejected_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_operations(app) -> set[tuple[str, str]]:
    """(path, method) of every /api rule, HEAD and OPTIONS left out unless a rule
    serves nothing else (such as the blob existence check)."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint.startswith("api-docs."):
            continue
        methods = set(rule.methods) - IGNORED or set(rule.methods) - {"OPTIONS"}
        found |= {(openapi_path(rule.rule), method.lower()) for method in methods}
    return found


def documented(spec) -> set[tuple[str, str]]:
    return {(path, method) for path, item in spec["paths"].items() for method in item
            if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}}


def test_the_document_is_openapi_3(served):
    _, spec = served
    assert re.fullmatch(r"3\.\d+\.\d+", spec["openapi"]), spec["openapi"]
    assert spec["info"]["title"] == "Gridline" and spec["info"]["version"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_api_route_and_method_is_documented(served):
    app, spec = served
    operations = api_operations(app)
    assert ("/api/sync/push", "post") in operations and ("/api/blobs/{sha256}", "head") in operations
    missing = operations - documented(spec)
    assert not missing, f"routes without documentation: {sorted(missing)}"


def test_nothing_is_documented_that_is_not_served(served):
    app, spec = served
    extra = {(p, m) for p, m in documented(spec) if m != "head"} - api_operations(app)
    assert not extra, f"documented but not served: {sorted(extra)}"


def test_every_operation_has_a_summary(served):
    _, spec = served
    for path, method in documented(spec):
        assert spec["paths"][path][method].get("summary"), (path, method)


def test_every_path_parameter_is_declared(served):
    _, spec = served
    for path, item in spec["paths"].items():
        for method in {m for p, m in documented(spec) if p == path}:
            declared = {p["name"] for p in item.get("parameters", []) + item[method].get("parameters", [])
                        if p.get("in") == "path"}
            assert set(re.findall(r"{(\w+)}", path)) <= declared, (path, method, declared)


@pytest.mark.parametrize("path, method", [
    ("/api/auth/login", "post"), ("/api/sync/push", "post"), ("/api/admin/users", "post"),
    ("/api/projects/{project_id}/members/{user_id}", "put"),
    ("/api/projects/{project_id}/sections", "post")])
def test_json_bodies_are_described(served, path, method):
    _, spec = served
    body = spec["paths"][path][method]["requestBody"]
    assert "application/json" in body["content"], body


def test_pull_documents_its_query(served):
    _, spec = served
    names = {p["name"] for p in spec["paths"]["/api/sync/pull"]["get"]["parameters"]
             if p["in"] == "query"}
    assert {"client_id", "cursor", "limit"} <= names


def test_the_coverage_check_notices_a_route_left_out(tmp_path):
    """A plain Flask route under /api (not registered through the Api) would be caught."""
    app = make_app(f"sqlite:///{tmp_path / 'extra.db'}", tmp_path)
    app.add_url_rule("/api/undocumented/<int:n>", "undocumented", lambda n: "", methods=["POST"])
    spec = app.test_client().get("/api/openapi.json").get_json()
    assert api_operations(app) - documented(spec) == {("/api/undocumented/{n}", "post")}
    from server.extensions import db
    with app.app_context():
        db.engine.dispose()


def resolve(spec, node: dict) -> dict:
    """`node`, or what its $ref points to."""
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = spec["components"][kind][name]
    return node


def test_error_answers_are_documented_as_the_server_sends_them(served):
    """`{"error": {"code", "message", "fields"}}`, not flask-smorest's {code, status, message}."""
    app, spec = served
    for path, method in [("/api/sync/push", "post"), ("/api/me", "get"), ("/api/blobs/{sha256}", "put")]:
        for status in ("default", "422"):
            answer = spec["paths"][path][method]["responses"].get(status)
            if answer is None:
                continue
            body = resolve(spec, resolve(spec, answer)["content"]["application/json"]["schema"])
            assert body["required"] == ["error"] and set(body["properties"]) == {"error"}, body
            error = resolve(spec, body["properties"]["error"])
            assert set(error["properties"]) == set(error["required"]) == {"code", "message", "fields"}
    sent = app.test_client().get("/api/me").get_json()
    assert set(sent) == {"error"} and set(sent["error"]) == {"code", "message", "fields"}


def path_parameter(spec, path: str, name: str) -> dict:
    [param] = [p for p in spec["paths"][path].get("parameters", []) if p["name"] == name]
    return param["schema"]


def test_path_parameters_say_what_the_protocol_says(served):
    _, spec = served
    sha = path_parameter(spec, "/api/blobs/{sha256}", "sha256")
    assert re.fullmatch(sha["pattern"], "ab" * 32) and not re.fullmatch(sha["pattern"], "x" * 64)
    record = path_parameter(spec, "/api/records/{type_name}/{record_id}", "record_id")
    assert record["format"] == "uuid"
    assert re.fullmatch(record["pattern"], "8f2c0d0e-0000-4000-8000-000000000000")
    types = path_parameter(spec, "/api/records/{type_name}/{record_id}", "type_name")["enum"]
    assert {"task", "section", "feedback", "safety_check"} <= set(types)
    assert path_parameter(spec, "/api/projects/{project_id}/members/{user_id}", "user_id")["format"] == "uuid"
    assert path_parameter(spec, "/api/sync/rejected/{rejected_id}", "rejected_id")["minimum"] == 1


def test_request_fields_say_what_the_server_checks(served):
    _, spec = served
    schemas = spec["components"]["schemas"]
    assert schemas["PushRequest"]["properties"]["client_id"]["format"] == "uuid"
    assert schemas["PushRequest"]["properties"]["mutations"]["items"]["required"] == ["mid"]
    assert schemas["SectionCreate"]["required"] == ["code", "name"]
    assert schemas["SectionChange"]["minProperties"] == 1
    hours = schemas["ProjectSettings"]["properties"]["feedback_response_hours"]
    assert hours["additionalProperties"] is False and "noise" in hours["properties"]


def test_options_on_an_api_path_names_only_the_api_methods(served):
    """The PWA's GET-any-path rule is not one of the API's methods."""
    app, _ = served
    allow = app.test_client().options("/api/sync/push").headers["Allow"]
    assert {m.strip() for m in allow.split(",")} == {"POST", "OPTIONS"}
