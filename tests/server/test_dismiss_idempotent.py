"""Dismissing an inbox entry is idempotent ("Retries are free"): a DELETE repeated after its
answer was lost is `204` again for the entry's owner; another user's entry or an unknown
id stays `404`, dismissed or not.
"""
from __future__ import annotations

import pytest

from .conftest import demo_app
from .demo_site import DemoSite, assert_error, conflict_and_rejection


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"dismiss-{request.param}")) as app:
        yield DemoSite(app)


def inbox_entries(site: DemoSite) -> tuple[int, int]:
    """A conflict and a rejection of foreman2's: their ids."""
    conflict, rejected = conflict_and_rejection(site)
    return conflict["id"], rejected["id"]


@pytest.mark.parametrize("inbox", ["conflicts", "rejected"])
def test_dismissing_twice_is_204_both_times_and_the_entry_stays_dismissed(site, inbox):
    ids = dict(zip(("conflicts", "rejected"), inbox_entries(site)))
    path = f"/api/sync/{inbox}/{ids[inbox]}"
    headers = site.headers("foreman2")
    for _ in range(3):
        response = site.client.delete(path, headers=headers)
        assert response.status_code == 204, response.get_data(as_text=True)
    listed = site.client.get(f"/api/sync/{inbox}", headers=headers).get_json()[inbox]
    assert ids[inbox] not in [entry["id"] for entry in listed]


@pytest.mark.parametrize("inbox", ["conflicts", "rejected"])
def test_another_users_entry_is_404_before_and_after_its_owner_dismisses_it(site, inbox):
    ids = dict(zip(("conflicts", "rejected"), inbox_entries(site)))
    path = f"/api/sync/{inbox}/{ids[inbox]}"
    assert_error(site.client.delete(path, headers=site.headers("foreman1")), 404, "not_found")
    assert site.client.delete(path, headers=site.headers("foreman2")).status_code == 204
    assert_error(site.client.delete(path, headers=site.headers("foreman1")), 404, "not_found")


@pytest.mark.parametrize("inbox", ["conflicts", "rejected"])
def test_an_unknown_id_is_404(site, inbox):
    assert_error(site.client.delete(f"/api/sync/{inbox}/987654321",
                                    headers=site.headers("foreman2")), 404, "not_found")
