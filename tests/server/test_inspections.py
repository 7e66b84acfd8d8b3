"""Work steps and their three-level inspection: order, who records each level, a failure
sent back and inspected again, and two phones inspecting one level at once."""
from __future__ import annotations

import uuid

import pytest

from server.demo import demo_id

from .demo_site import DemoSite

PROJECT = demo_id("project")
F1, F2 = demo_id("foreman1"), demo_id("foreman2")


def push(site: DemoSite, username: str, *mutations: tuple[str, str, dict], device=None) -> list[dict]:
    """Push (type, id, fields) puts from one user's device; the results in order."""
    device = device or site.device(username)
    for type_name, record_id, fields in mutations:
        device.put(type_name, record_id, fields)
    status, body = device.push()
    assert status == 200, body
    return body["results"]


def new_step(site: DemoSite, **fields) -> str:
    """A started work step in B01 by foreman1's crew, checked next by foreman2's."""
    step_id = str(uuid.uuid4())
    results = push(site, "supervisor1", ("work_step", step_id, {
        "project_id": PROJECT, "section_id": demo_id("B01"), "step": "管道安装", "crew": "管道二班",
        "foreman_id": F1, "next_foreman_id": F2, **fields}))
    assert results[0]["status"] == "applied", results
    return step_id


def start(site: DemoSite, step_id: str) -> None:
    assert push(site, "foreman1", ("work_step", step_id, {"status": "in_progress"}))[0]["status"] == "applied"


def inspect(site: DemoSite, username: str, step_id: str, level: str, result: str, round_: int = 0,
            device=None, move: str | None = None) -> list[dict]:
    """Record an inspection and, when `move` is given, the step's move it leads to, in one push."""
    mutations = [("inspection", str(uuid.uuid4()), {
        "project_id": PROJECT, "work_step_id": step_id, "level": level, "round": round_,
        "result": result, "checklist": "excavation", "results": {"EX01": result},
        "measurements": {"EX01": {"value": 96.5, "unit": "%"}},
        "inspected_at": "2026-12-04T08:00:00Z"})]
    if move:
        mutations.append(("work_step", step_id, {"status": move}))
    return push(site, username, *mutations, device=device)


def status_of(site: DemoSite, step_id: str) -> str:
    response = site.client.get(f"/api/records/work_step/{step_id}", headers=site.headers("admin1"))
    return response.get_json()["data"]["status"]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_levels_go_in_order_self_mutual_specialist(app, demo):
    """A level cannot be recorded before the one below it has passed."""
    site = DemoSite(app)
    step = new_step(site)
    early = inspect(site, "foreman1", step, "self", "pass")[0]
    assert early["error"]["code"] == "invalid_transition" and "not started" in early["error"]["message"]
    start(site, step)
    mutual = inspect(site, "foreman2", step, "mutual", "pass")[0]
    assert mutual["error"]["code"] == "invalid_transition"
    assert "self inspection has not passed" in mutual["error"]["message"]
    assert [r["status"] for r in inspect(site, "foreman1", step, "self", "pass", move="self_passed")] == ["applied"] * 2
    specialist = inspect(site, "quality1", step, "specialist", "pass")[0]
    assert "mutual inspection has not passed" in specialist["error"]["message"]
    assert [r["status"] for r in inspect(site, "foreman2", step, "mutual", "pass", move="mutual_passed")] == ["applied"] * 2
    assert [r["status"] for r in inspect(site, "quality1", step, "specialist", "pass", move="passed")] == ["applied"] * 2
    assert status_of(site, step) == "passed"


@pytest.mark.parametrize("level,state,allowed,refused", [
    ("self", "in_progress", "foreman1", ("foreman2", "quality1", "supervisor1", "liaison1")),
    ("mutual", "self_passed", "foreman2", ("foreman1", "quality1", "supervisor1", "safety1")),
    ("specialist", "mutual_passed", "quality1", ("foreman1", "foreman2", "safety1", "supervisor1")),
])
def test_each_level_is_recorded_by_whom_the_permission_table_names(app, demo, level, state, allowed, refused):
    """Self by the crew's foreman, mutual by the next crew's foreman, specialist by quality
    (and an admin, who may do everything, for any)."""
    site = DemoSite(app)
    step = new_step(site)
    start(site, step)
    for below, move, who in (("self", "self_passed", "foreman1"), ("mutual", "mutual_passed", "foreman2")):
        if status_of(site, step) == state:
            break
        inspect(site, who, step, below, "pass", move=move)
    assert status_of(site, step) == state
    for username in refused:
        result = inspect(site, username, step, level, "pass")[0]
        assert (result["status"], result["error"]["code"]) == ("rejected", "forbidden"), (username, result)
        moved = push(site, username, ("work_step", step, {"status": "rectifying_" + level}))[0]
        assert moved["status"] == "rejected", (username, moved)
    assert [r["status"] for r in inspect(site, allowed, step, level, "pass")] == ["applied"]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_failed_level_is_rectified_and_must_pass_the_same_level_again(app, demo):
    """Mutual fails: the step is rectified, the next mutual round passes, nothing skipped."""
    site = DemoSite(app)
    step = new_step(site)
    start(site, step)
    inspect(site, "foreman1", step, "self", "pass", move="self_passed")
    failed = inspect(site, "foreman2", step, "mutual", "fail", move="rectifying_mutual")
    assert [r["status"] for r in failed] == ["applied"] * 2 and status_of(site, step) == "rectifying_mutual"
    while_rectifying = inspect(site, "foreman2", step, "mutual", "pass", round_=1)[0]
    assert "being rectified" in while_rectifying["error"]["message"]
    skipped = push(site, "quality1", ("work_step", step, {"status": "passed"}))[0]
    assert skipped["error"]["code"] == "invalid_transition"
    assert push(site, "foreman1", ("work_step", step, {"status": "self_passed"}))[0]["status"] == "applied"
    stale = inspect(site, "foreman2", step, "mutual", "pass", round_=0)[0]
    assert stale["error"]["code"] == "invalid_transition" and "round" in stale["error"]["fields"]
    passed = inspect(site, "foreman2", step, "mutual", "pass", round_=1, move="mutual_passed")
    assert [r["status"] for r in passed] == ["applied"] * 2 and status_of(site, step) == "mutual_passed"


def test_a_pass_move_needs_the_inspection_that_says_so(app, demo):
    """The step's state cannot claim a result no inspection recorded."""
    site = DemoSite(app)
    step = new_step(site)
    start(site, step)
    bare = push(site, "foreman1", ("work_step", step, {"status": "self_passed"}))[0]
    assert bare["status"] == "rejected" and "status" in bare["error"]["fields"]
    inspect(site, "foreman1", step, "self", "fail")
    contrary = push(site, "foreman1", ("work_step", step, {"status": "self_passed"}))[0]
    assert contrary["status"] == "rejected"


def test_an_inspection_is_recorded_once_and_never_edited(app, demo):
    """Evidence stays as recorded: no field edit, no second result."""
    site = DemoSite(app)
    step = new_step(site)
    start(site, step)
    device = site.device("foreman1")
    inspection_id = str(uuid.uuid4())
    push(site, "foreman1", ("inspection", inspection_id, {
        "project_id": PROJECT, "work_step_id": step, "level": "self", "round": 0, "result": "pass"}),
        device=device)
    assert push(site, "foreman1", ("inspection", inspection_id, {"notes": "改一下"}), device=device)[0]["error"]["code"] == "forbidden"
    flipped = push(site, "foreman1", ("inspection", inspection_id, {"result": "fail"}), device=device)[0]
    assert flipped["error"]["code"] == "invalid_transition"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_two_phones_inspecting_one_level_the_second_is_rejected_and_kept(app, demo):
    """Both phones saw the step waiting for its self inspection; the later push loses,
    with its payload kept for its author, whatever the result each recorded."""
    site = DemoSite(app)
    step = new_step(site)
    start(site, step)
    first, second = site.device("foreman1"), site.device("foreman1")
    # Both record offline, then push one after the other.
    first_results = inspect(site, "foreman1", step, "self", "fail", device=first, move="rectifying_self")
    second_results = inspect(site, "foreman1", step, "self", "pass", device=second, move="self_passed")
    assert [r["status"] for r in first_results] == ["applied", "applied"]
    assert second_results[0]["status"] == "rejected"
    assert second_results[0]["error"]["code"] == "invalid_transition"
    assert second_results[1]["status"] == "rejected"
    assert status_of(site, step) == "rectifying_self"
    rejected = site.client.get("/api/sync/rejected", headers=site.headers("foreman1")).get_json()
    kept = [entry for entry in rejected["rejected"] if entry["type"] == "inspection"]
    assert kept and kept[0]["payload"]["fields"]["result"] == "pass"


def test_starting_before_the_predecessor_passed_is_allowed_but_flagged(app, demo):
    """A start must say it came early when the step it depends on has not passed."""
    site = DemoSite(app)
    before = new_step(site)
    after = new_step(site, depends_on=before)
    unflagged = push(site, "foreman1", ("work_step", after, {"status": "in_progress"}))[0]
    assert unflagged["status"] == "rejected" and "early_start" in unflagged["error"]["fields"]
    flagged = push(site, "foreman1", ("work_step", after, {"status": "in_progress", "early_start": True}))[0]
    assert flagged["status"] == "applied"


def test_the_demo_has_work_steps_through_every_level(app, demo):
    """B02's trench passed all three levels after a failed mutual round; the pipe awaits mutual."""
    site = DemoSite(app)
    assert status_of(site, demo_id("ws1")) == "passed"
    assert status_of(site, demo_id("ws2")) == "self_passed"
    assert status_of(site, demo_id("ws3")) == "planned"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_failed_level_is_not_inspected_again_until_the_step_was_rectified(app, demo):
    """A client that records a failure without moving the step cannot skip rectification:
    the level's next round waits until the step has moved to rectifying and back."""
    site = DemoSite(app)
    step = new_step(site)
    start(site, step)
    assert inspect(site, "foreman1", step, "self", "fail")[0]["status"] == "applied"
    assert status_of(site, step) == "in_progress"
    again = inspect(site, "foreman1", step, "self", "pass", round_=1, move="self_passed")
    assert again[0]["status"] == "rejected" and again[0]["error"]["code"] == "invalid_transition"
    assert "rectified" in again[0]["error"]["message"]
    assert status_of(site, step) == "in_progress"
    # The step goes to rectification and back: round 1 is recorded and passes.
    assert push(site, "foreman1", ("work_step", step, {"status": "rectifying_self"}))[0]["status"] == "applied"
    assert push(site, "foreman1", ("work_step", step, {"status": "in_progress"}))[0]["status"] == "applied"
    passed = inspect(site, "foreman1", step, "self", "pass", round_=1, move="self_passed")
    assert [r["status"] for r in passed] == ["applied"] * 2 and status_of(site, step) == "self_passed"
