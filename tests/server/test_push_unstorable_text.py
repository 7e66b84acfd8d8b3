"""Text no database stores (a lone UTF-16 surrogate on both; NUL on PostgreSQL) anywhere in
a push is answered, never a 500: the push must not hand a client's string to the database
before checking it ("No error is a 500 for bad input"; "Validation is per mutation").
"""
from __future__ import annotations

import json
import uuid
from urllib.parse import quote

import pytest

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite, assert_error

UNSTORABLE = {"lone-surrogate": "\ud800", "low-surrogate": "\udfff", "nul": "\x00",
              "uuid-with-nul": "6f1c2a52-3b7e-4f0e-9d2a-6b1f0c9e8a1\x00"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"unstorable-{request.param}")) as app:
        yield DemoSite(app)


def push(site: DemoSite, device, mutations: list[dict]):
    # json.dumps writes a lone surrogate as \\ud800, as a browser's JSON.stringify does.
    return site.send("POST", "/api/sync/push", json.dumps({
        "client_id": device.client_id, "schema_version": 1, "mutations": mutations}), "foreman1")


def answers(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["results"]


@pytest.mark.parametrize("text", UNSTORABLE.values(), ids=UNSTORABLE.keys())
@pytest.mark.parametrize("op", ["put", "delete"])
def test_an_unstorable_record_id_is_rejected_invalid_and_the_batch_goes_on(site, text, op):
    device = site.device("foreman1")
    bad = (device.put("task", text, {"project_id": PROJECT, "title": "x"}) if op == "put"
           else device.delete("task", text))
    good = device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "y"})
    first, second = answers(push(site, device, [bad, good]))
    assert first["status"] == "rejected" and first["error"]["code"] == "invalid", first
    assert "id" in first["error"]["fields"], first
    assert second["status"] == "applied", second
    rejected = site.client.get("/api/sync/rejected", headers=site.headers("foreman1"))
    assert rejected.status_code == 200
    assert rejected.get_json()["rejected"][0]["mid"] == first["mid"]


@pytest.mark.parametrize("text", UNSTORABLE.values(), ids=UNSTORABLE.keys())
@pytest.mark.parametrize("where", [
    "type", "op", "hlc", "field-name", "field-value", "project_id", "state", "set-element",
])
def test_unstorable_text_elsewhere_in_a_mutation_is_rejected(site, where, text):
    device = site.device("foreman1")
    mutation = device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "x"})
    if where in ("type", "op", "hlc"):
        mutation[where] = text
    elif where == "field-name":
        mutation["fields"][text] = "x"
    elif where == "field-value":
        mutation["fields"]["title"] = text
    elif where == "set-element":
        mutation["fields"]["depends_on"] = {"add": [text]}
    elif where == "state":
        mutation["fields"]["status"] = text
    else:
        mutation["fields"]["project_id"] = text
    good = device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "y"})
    first, second = answers(push(site, device, [mutation, good]))
    assert first["status"] == "rejected", first
    assert second["status"] == "applied", second


@pytest.mark.parametrize("text", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_an_unstorable_client_id_is_refused_before_the_database(site, text):
    device = site.device("foreman1", client_id=text)
    error = assert_error(push(site, device, []), 422, "invalid")
    assert "client_id" in error["fields"], error
    # In a URL, as the bytes a client encoding it without checking would send.
    query = quote(text.encode("utf-8", "surrogatepass"))
    pulled = site.client.get(f"/api/sync/pull?client_id={query}", headers=site.headers("foreman1"))
    assert "client_id" in assert_error(pulled, 422, "invalid")["fields"]
