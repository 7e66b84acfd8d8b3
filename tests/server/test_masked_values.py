"""No push answer depends on a value the caller reads masked: a foreman cannot find a
resident's phone number by pushing candidates for it."""
from __future__ import annotations

import json
import uuid

import pytest

from server.demo import demo_id

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite

PHONE = "13812345678"
NAME = "周女士"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    """The demo on each database, with a complaint whose resident foremen read masked."""
    with demo_app(request.param, tmp_path_factory.mktemp(f"masked-{request.param}")) as app:
        site = DemoSite(app)
        site.feedback_id = str(uuid.uuid4())
        liaison = site.device("liaison1")
        liaison.put("feedback", site.feedback_id, {
            "project_id": PROJECT, "category": "noise", "description": "Piling at night",
            "resident_name": NAME, "resident_phone": PHONE})
        assert liaison.push()[1]["results"][0]["status"] == "applied"
        yield site


def test_a_masked_phone_cannot_be_guessed_by_pushing_candidates(site):
    """Regression: a put repeating the stored (masked) value was dropped as unchanged and
    answered `applied`, any other value `rejected`: 10⁴ candidates in a few pushes found
    the number. Every candidate of the masked form 138****5678 must get the same answer."""
    device = site.device("foreman1")
    candidates = [f"138{n:04d}5678" for n in range(10_000)]
    seen = set()
    for start in range(0, len(candidates), 500):
        for phone in candidates[start:start + 500]:
            device.put("feedback", site.feedback_id, {"resident_phone": phone})
        status, body = device.push()
        assert status == 200, body
        for result in body["results"]:
            seen.add(json.dumps({k: v for k, v in result.items() if k not in ("mid", "seq")},
                                sort_keys=True))
            assert PHONE not in json.dumps(result)
    assert len(seen) == 1, seen
    [answer] = seen
    assert json.loads(answer)["status"] == "rejected"
    assert json.loads(answer)["error"]["code"] == "forbidden"


def test_a_masked_name_cannot_be_guessed_either(site):
    device = site.device("foreman1")
    for guess in (NAME, "王女士", "周先生"):
        device.put("feedback", site.feedback_id, {"resident_name": guess})
    results = device.push()[1]["results"]
    assert {(r["status"], r["error"]["code"]) for r in results} == {("rejected", "forbidden")}


def test_a_whole_record_put_repeating_what_the_caller_reads_leaves_it_as_it_is(site):
    """A client sending back the record as it pulled it (phone and name masked) is not
    refused, and writes nothing."""
    device = site.device("foreman1")
    device.pull_all()
    pulled = device.records[("feedback", site.feedback_id)]
    assert pulled["resident_phone"] == "138****5678" and pulled["resident_name"] == "周**"
    device.put("feedback", site.feedback_id, {
        name: pulled[name] for name in ("project_id", "category", "description",
                                        "resident_name", "resident_phone")})
    [result] = device.push()[1]["results"]
    assert result["status"] == "applied", result
    liaison = site.device("liaison1")
    liaison.pull_all()
    kept = liaison.records[("feedback", site.feedback_id)]
    assert (kept["resident_phone"], kept["resident_name"]) == (PHONE, NAME)
