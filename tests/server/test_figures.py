"""The site's figures against the hand-computed fixture the phone's figures are checked on too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.reports import figures

CASES = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "figures_cases.json")
                   .read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dashboard():
    return figures.dashboard(CASES["records"], CASES["today"], CASES["now"],
                             CASES["satisfaction_target"])


@pytest.mark.parametrize("name", sorted(CASES["expected"]))
def test_figure_matches_hand_computed(dashboard, name):
    """Each dashboard figure equals what was worked out by hand for the fixture."""
    assert dashboard[name] == CASES["expected"][name]


@pytest.mark.parametrize("case", CASES["critical_path_cases"], ids=lambda case: case["about"])
def test_critical_path_cases(case):
    """Cycles, ties and unplanned tasks give the path worked out by hand."""
    assert figures.critical_path(case["tasks"]) == case["expected"]


def test_rounding_is_half_up_as_on_the_phone():
    """2.5 rounds to 3 and 46.5 % to 47, as JavaScript's Math.round does (not to even)."""
    assert figures.round_half_up(2.5) == 3
    assert figures.section_progress([{"fields": {"progress": 46}}, {"fields": {"progress": 47}}]) == 47


def test_finished_task_is_full_progress_and_never_overdue():
    """Done work counts 100 % whatever was reported, and is not overdue past its due date."""
    task = {"fields": {"status": "done", "progress": 10, "due_date": "2026-01-01"}}
    assert figures.task_progress(task["fields"]) == 100
    assert not figures.is_overdue(task, "2026-11-20")
    assert figures.is_overdue({"fields": {"status": "doing", "due_date": "2026-11-19"}}, "2026-11-20")


def test_no_records_give_empty_figures():
    """A project with nothing yet has no rates, not zeros that look like failures."""
    empty = figures.dashboard({}, "2026-11-20", "2026-11-20T00:00:00Z")
    assert empty["residents"]["satisfaction"] is None
    assert empty["residents"]["satisfaction_target"] == figures.DEFAULT_SATISFACTION_TARGET
    assert empty["actions"] == {"open": 0, "overdue": 0, "median_days_to_verify": None}
    assert empty["critical_path"] == {"ids": [], "days": 0}
    assert [row["rate"] for row in empty["quality"]["first_pass"]] == [None, None, None]


def test_a_pending_inspection_is_not_a_first_attempt():
    """Only a recorded pass or fail counts: a step whose only self inspection is pending has
    not been judged at that level."""
    steps = [{"id": "w", "fields": {"status": "in_progress"}}]
    pending = [{"id": "i", "fields": {"work_step_id": "w", "level": "self", "round": 0, "result": "pending"}}]
    assert figures.first_pass_by_level(steps, pending)[0] == {"level": "self", "steps": 0, "first_pass": 0, "rate": None}
