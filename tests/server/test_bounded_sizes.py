"""Hostile sizes are bounded: a set or map holds at most its declared number of items,
and the inboxes answer a page at a time with each rejected payload given once."""
from __future__ import annotations

import uuid

import pytest

from server.records import REGISTRY

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"sizes-{request.param}")) as app:
        yield DemoSite(app)


def ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def new_task(site: DemoSite) -> str:
    device = site.device("foreman1")
    task_id = str(uuid.uuid4())
    device.put("task", task_id, {"project_id": PROJECT, "title": "Backfill"})
    assert device.push()[1]["results"][0]["status"] == "applied"
    return task_id


def test_a_set_holds_at_most_its_declared_number_of_elements(site):
    """Regression: 200,000 `depends_on` ids were accepted, and the record then went to
    every member's device."""
    limit = REGISTRY.get("task").limit("depends_on")
    task_id = new_task(site)
    device = site.device("foreman1")
    device.put("task", task_id, {"depends_on": {"add": ids(limit + 1)}})
    [result] = device.push()[1]["results"]
    assert result["status"] == "rejected" and result["error"]["code"] == "invalid", result
    assert result["error"]["fields"]["depends_on"] == [f"may hold at most {limit} elements"]

    # Nor by adding a part at a time.
    device.put("task", task_id, {"depends_on": {"add": ids(limit - 10)}})
    device.put("task", task_id, {"depends_on": {"add": ids(20)}})
    first, second = device.push()[1]["results"]
    assert first["status"] == "applied", first
    assert second["status"] == "rejected" and "depends_on" in second["error"]["fields"], second
    data = site.client.get(f"/api/records/task/{task_id}",
                           headers=site.headers("foreman1")).get_json()["data"]
    assert len(data["depends_on"]) == limit - 10


def test_a_map_holds_at_most_its_declared_number_of_keys(site):
    limit = REGISTRY.get("safety_check").limit("results")
    device = site.device("foreman1")
    check_id = str(uuid.uuid4())
    device.put("safety_check", check_id, {"project_id": PROJECT, "date": "2026-11-24",
                                          "results": {f"K{n}": "pass" for n in range(limit)}})
    device.put("safety_check", check_id, {"results": {"ONE-MORE": "fail"}})
    first, second = device.push()[1]["results"]
    assert first["status"] == "applied", first
    assert second["status"] == "rejected" and "results" in second["error"]["fields"], second


def rejections(site: DemoSite, count: int, description: str = "x" * 4001) -> None:
    """`count` rejected puts of foreman1 (a description over its 4,000 characters)."""
    task_id = new_task(site)
    device = site.device("foreman1")
    for _ in range(count):
        device.put("task", task_id, {"description": description})
    assert {r["status"] for r in device.push()[1]["results"]} == {"rejected"}


def all_pages(site: DemoSite, path: str, key: str, limit: int) -> list[list[dict]]:
    pages, before = [], None
    while True:
        query = f"?limit={limit}" + (f"&before={before}" if before else "")
        response = site.client.get(path + query, headers=site.headers("foreman1"))
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        pages.append(body[key])
        if not body["has_more"]:
            assert body["before"] is None
            return pages
        before = body["before"]


def test_the_rejected_inbox_gives_each_payload_once_a_page_at_a_time(site):
    """Regression: each entry carried its payload twice (`fields` and `payload`), and the
    whole inbox came in one answer (60 entries: 228 MB)."""
    rejections(site, 7)
    pages = all_pages(site, "/api/sync/rejected", "rejected", 3)
    entries = [entry for page in pages for entry in page]
    assert [len(page) for page in pages[:2]] == [3, 3]
    assert len(entries) == len({entry["id"] for entry in entries}) >= 7
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True)
    assert all("fields" not in entry for entry in entries)
    assert sum("description" in entry["payload"]["fields"] for entry in entries) >= 7


def test_a_page_of_rejections_stops_at_its_size_budget(site):
    rejections(site, 3, description="y" * 600_000)
    response = site.client.get("/api/sync/rejected", headers=site.headers("foreman1"))
    body = response.get_json()
    assert body["has_more"] and len(body["rejected"]) == 2
    assert len(response.get_data()) < 1_500_000
    rest = all_pages(site, "/api/sync/rejected", "rejected", 100)
    assert sum(len(page) for page in rest) > 2


def test_the_conflict_inbox_comes_a_page_at_a_time(site):
    task_id = new_task(site)
    winner = site.device("foreman2", clock_offset_ms=60_000)
    winner.put("task", task_id, {"title": "kept"})
    assert winner.push()[0] == 200
    loser = site.device("foreman1", clock_offset_ms=-60_000)
    for n in range(5):
        loser.put("task", task_id, {"title": f"lost {n}"})
    assert {r["status"] for r in loser.push()[1]["results"]} == {"merged"}
    pages = all_pages(site, "/api/sync/conflicts", "conflicts", 2)
    entries = [entry for page in pages for entry in page]
    assert len(pages) >= 3 and all(len(page) <= 2 for page in pages)
    assert len({entry["id"] for entry in entries}) == len(entries) >= 5
    assert {entry["yours"] for entry in entries} >= {f"lost {n}" for n in range(5)}
