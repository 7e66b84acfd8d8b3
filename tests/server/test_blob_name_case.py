"""Photo names are sha256 hex strings in either case ("photos are sha256 hex strings"): a
client that writes upper-case hex (.NET's Convert.ToHexString) is understood, and every
name is kept and answered in lower case, so one photo has one name.
"""
from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from PIL import Image

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite, assert_error


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"blob-case-{request.param}")) as app:
        yield DemoSite(app)


def png(colour: tuple[int, int, int]) -> tuple[bytes, str]:
    out = io.BytesIO()
    Image.new("RGB", (12, 9), colour).save(out, "PNG")
    data = out.getvalue()
    return data, hashlib.sha256(data).hexdigest()


def record(site: DemoSite, type_name: str, record_id: str) -> dict:
    response = site.client.get(f"/api/records/{type_name}/{record_id}",
                               headers=site.headers("foreman1"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def test_upper_case_blob_names_are_stored_served_and_checked_as_lower_case(site):
    data, name = png((10, 200, 30))
    upper = name.upper()
    headers = site.headers("foreman1")
    assert site.client.head(f"/api/blobs/{upper}", headers=headers).status_code == 404
    uploaded = site.client.put(f"/api/blobs/{upper}", data=data, headers=headers)
    assert uploaded.status_code == 201, uploaded.get_json()
    assert uploaded.get_json()["sha256"] == name
    again = site.client.put(f"/api/blobs/{name}", data=data, headers=headers)
    assert again.status_code == 200 and again.get_json()["sha256"] == name
    for spelling in (name, upper, name[:32] + upper[32:]):
        assert site.client.head(f"/api/blobs/{spelling}", headers=headers).status_code == 200
        served = site.client.get(f"/api/blobs/{spelling}?variant=original", headers=headers)
        assert served.status_code == 200 and served.data == data


def test_an_upper_case_name_is_checked_against_the_bytes(site):
    data, name = png((10, 200, 31))
    _, other = png((10, 200, 32))
    response = site.client.put(f"/api/blobs/{other.upper()}", data=data,
                               headers=site.headers("foreman1"))
    assert_error(response, 400, "hash_mismatch")


@pytest.mark.parametrize("name", ["g" * 64, "G" * 64, "A" * 63, "A" * 65, "A" * 64 + "%0A"])
def test_a_name_that_is_no_sha256_in_any_case_is_still_400(site, name):
    headers = site.headers("foreman1")
    assert_error(site.client.put(f"/api/blobs/{name}", data=b"x", headers=headers), 400)
    assert_error(site.client.get(f"/api/blobs/{name}", headers=headers), 400)
    assert site.client.head(f"/api/blobs/{name}", headers=headers).status_code == 404


def test_upper_case_photo_names_in_a_put_are_kept_in_lower_case(site):
    _, name = png((10, 200, 33))
    _, second = png((10, 200, 34))
    device = site.device("foreman1")
    task_id, check_id = str(uuid.uuid4()), str(uuid.uuid4())
    device.put("task", task_id, {"project_id": PROJECT, "title": "upper-case photo",
                                 "photos": {"add": [name.upper(), second]}})
    device.put("safety_check", check_id, {"project_id": PROJECT, "date": "2026-11-24",
                                          "photos": {"add": [name.upper()]},
                                          "item_photos": {"EX01": [second.upper()]}})
    status, body = device.push()
    assert [r["status"] for r in body["results"]] == ["applied", "applied"], body
    assert record(site, "task", task_id)["photos"] == sorted([name, second])
    check = record(site, "safety_check", check_id)
    assert (check["photos"], check["item_photos"]) == ([name], {"EX01": [second]})

    # The same photo named in either case is one element: removing it by either name works.
    device.put("task", task_id, {"photos": {"remove": [second.upper()], "add": [name]}})
    status, body = device.push()
    assert body["results"][0]["status"] == "applied", body
    assert record(site, "task", task_id)["photos"] == [name]


def test_the_same_photo_in_both_cases_in_one_list_is_one_photo(site):
    _, name = png((10, 200, 35))
    device = site.device("foreman1")
    check_id = str(uuid.uuid4())
    device.put("safety_check", check_id, {"project_id": PROJECT, "date": "2026-11-24",
                                          "item_photos": {"EX01": [name, name.upper()]}})
    status, body = device.push()
    assert body["results"][0]["status"] == "applied", body
    assert record(site, "safety_check", check_id)["item_photos"] == {"EX01": [name]}
