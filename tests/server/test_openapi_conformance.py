"""schemathesis against the OpenAPI document, as an admin with a token: every check on,
a bounded number of examples per operation. No server error, no answer outside its
documented schema, no valid-looking request refused."""
from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from .live_server import running_server

# Per operation and phase; the whole run stays well under a minute on a shared machine.
MAX_EXAMPLES = 6
MAX_SECONDS = 55
SEED = 20261204
LOGOUT = "/api/auth/logout"
POSITIVE = ["2xx", "401", "403", "404", "409", "429"]
CHECKS = {
    # A request line past gunicorn's limit (a cursor far over its maxLength) is a 414.
    "negative_data_rejection": {"expected-statuses": [
        "400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422", "428", "429"]},
    "positive_data_acceptance": {"expected-statuses": POSITIVE},
}
# No schema can say "bytes that hash to the name": schema-valid random bytes are a 400.
BLOB_UPLOAD = {"include-name": "PUT /api/blobs/{sha256}",
               "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE, "400"]}}}
# Mids must be distinct within a push, which no JSON schema can say: such a push is a 400.
PUSH = {"include-name": "POST /api/sync/push",
        "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE, "400"]}}}
# A cursor is opaque: any text is schema-valid, and one this server did not make is a 400.
PULL = {"include-name": "GET /api/sync/pull",
        "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE, "400"]}}}
# Where a password is judged (the current one, and the rules for a new one: long enough, hard
# to guess, not the username), no schema can say which are right: a schema-valid one may be a
# 422. These run on their own, with that allowed for them alone, so every other operation keeps
# the strict check.
PASSWORDS = ["/api/me/password", "/api/projects/{project_id}/members"]
# A data request's phone must be a number one can dial, which no schema can say either: a
# schema-valid string of digits may be a 422. It runs on its own too.
DATA_REQUEST = "/api/projects/{project_id}/privacy/resident"
# The allowance goes with the operation, not with the run, so each operation is judged by its own
# rules in whichever run tests it.
JUDGED = [{"include-name": f"{method} {path}",
           "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE, "422"]}}}
          for method, path in [*(("POST", path) for path in PASSWORDS), ("GET", DATA_REQUEST)]]
# What every run is judged by: the checks, and the allowances of the operations above.
JUDGING = {"checks": CHECKS, "operations": [BLOB_UPLOAD, PUSH, PULL, *JUDGED]}


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with two workers on SQLite, the demo loaded."""
    tmp_path = tmp_path_factory.mktemp("openapi-conformance")
    with running_server(f"sqlite:///{tmp_path / 'live.db'}", tmp_path, workers=2) as live:
        yield live


def run_schemathesis(base_url: str, token: str, max_seconds: int = MAX_SECONDS,
                     phases: dict | None = None, paths: str | list[str] | None = None) -> tuple[list[str], list[str]]:
    """Run every phase and check in a process of its own; (failures, engine errors) as text.

    Each run has its own process: on a loaded machine, a run in the same process as earlier ones
    once reported failures of operations it does not test, judged as no check of its own would."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_run_schemathesis, base_url, token, max_seconds, phases, paths).result()


def _run_schemathesis(base_url: str, token: str, max_seconds: int, phases: dict | None,
                      paths: str | list[str] | None) -> tuple[list[str], list[str]]:
    config = SchemathesisConfig.from_dict({
        **JUDGING, "seed": SEED, "max-time": max_seconds, "color": False, "phases": phases or {},
        "cache": {"enabled": False},
        "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
    })
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json", config=config)
    schema = selected(schema, paths)
    failures, errors = [], []
    for event in from_schema(schema).execute():
        if isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            for case_id, checks in recorder.checks.items():
                for result in checks:
                    if result.failure_info is None:
                        continue
                    response = getattr(recorder.interactions.get(case_id), "response", None)
                    answer = (f"[{response.status_code}] {response.content[:200]!r}"
                              if response is not None else "no answer")
                    failures.append(f"{event.phase.name}: {recorder.label}: {result.failure_info.failure.title}: "
                                    f"{answer}\n    {result.failure_info.code_sample[:600]}")
    return failures, errors


def selected(schema, paths: str | list[str] | None):
    """The operations of `paths` (one or a list), or, with none, every operation but those that run
    on their own. Chosen by excluding the others: with operations configured (the allowances above),
    schemathesis adds an include filter that matches every operation, and `include(path=…)` only
    adds another that either may match, so it selected every operation."""
    if paths is None:
        return schema.exclude(path=[LOGOUT, *PASSWORDS, DATA_REQUEST])
    wanted = {paths} if isinstance(paths, str) else set(paths)
    return schema.exclude(func=lambda ctx: ctx.operation.path not in wanted)


def test_the_api_answers_as_its_openapi_document_says(server):
    started = time.monotonic()
    failures, errors = run_schemathesis(server.base_url, server.login("admin1"))
    assert not errors, errors
    assert not failures, "\n".join(sorted(set(failures)))
    assert time.monotonic() - started < MAX_SECONDS + 20


def test_logout_answers_as_documented(server):
    """Logout revokes the token it is sent with: it runs alone, so the others keep theirs."""
    failures, errors = run_schemathesis(server.base_url, server.login("foreman2"), max_seconds=6,
                                        phases={"stateful": {"enabled": False}}, paths=LOGOUT)
    assert not errors, errors
    assert not failures, "\n".join(sorted(set(failures)))


def test_password_rules_answer_as_documented(server):
    """A wrong current password or a weak new one is a 422 with the field named; nothing else
    outside the documented answers."""
    failures, errors = run_schemathesis(server.base_url, server.login("admin1"), max_seconds=12,
                                        paths=PASSWORDS)
    assert not errors, errors
    assert not failures, "\n".join(sorted(set(failures)))


def test_data_requests_answer_as_documented(server):
    """A phone that is no dialable number is a 422 naming `phone`; nothing else outside the
    documented answers."""
    failures, errors = run_schemathesis(server.base_url, server.login("admin1"), max_seconds=6,
                                        paths=DATA_REQUEST)
    assert not errors, errors
    assert not failures, "\n".join(sorted(set(failures)))


@pytest.fixture
def judged_schema(client):
    """The app's OpenAPI document as the runs load it, read in-process."""
    return schemathesis.openapi.from_dict(client.get("/api/openapi.json").get_json(),
                                          config=SchemathesisConfig.from_dict(JUDGING))


def test_each_allowance_is_its_own_operations_alone(judged_schema):
    """An answer allowed beside the strict ones (a 400, a 422) is allowed for the operation it
    names and no other: written as a path and a method, schemathesis takes either as a match, and
    a blob upload's 400 was allowed for every PUT, a push's for every POST, a pull's for every GET."""
    schema = judged_schema
    allowed = {}
    for operation in (result.ok() for result in schema.get_all_operations()):
        for phase in ("examples", "coverage", "fuzzing", "stateful"):
            checks = schema.config.checks_config_for(operation=operation, phase=phase)
            extra = set(checks.positive_data_acceptance.expected_statuses) - set(POSITIVE)
            if extra:
                allowed.setdefault(operation.label, set()).update(extra)
    assert allowed == {"PUT /api/blobs/{sha256}": {"400"}, "POST /api/sync/push": {"400"}, "GET /api/sync/pull": {"400"},
                       "POST /api/me/password": {"422"}, "POST /api/projects/{project_id}/members": {"422"},
                       f"GET {DATA_REQUEST}": {"422"}}


def test_a_run_for_some_paths_tests_those_paths_alone(judged_schema):
    """Logout's run tests logout alone (it revokes the token it is sent with), the passwords' and
    the data request's theirs, and the main run every operation but those."""
    schema = judged_schema
    tested = lambda paths: {result.ok().label for result in selected(schema, paths).get_all_operations()}  # noqa: E731
    every = {result.ok().label for result in schema.get_all_operations()}
    assert tested(LOGOUT) == {f"POST {LOGOUT}"}
    assert tested(PASSWORDS) == {"POST /api/me/password", "GET /api/projects/{project_id}/members",
                                 "POST /api/projects/{project_id}/members"}
    assert tested(DATA_REQUEST) == {f"GET {DATA_REQUEST}"}
    main = tested(None)
    assert main and not main & (tested(LOGOUT) | tested(PASSWORDS) | tested(DATA_REQUEST))
    assert main | tested(LOGOUT) | tested(PASSWORDS) | tested(DATA_REQUEST) == every
