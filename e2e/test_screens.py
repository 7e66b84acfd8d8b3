"""Every core screen on a phone (390×844 and 360×800), in Chinese and in English, screenshotted
for review.

The tour puts real data behind each screen (a conflict, a refused change, a queued edit) and
audits it with layout_audit.py (the field screens' tour uses the same audit): sideways scrolling,
controls too small for gloves, text cut off, text too faint to read in sunlight (WCAG AA contrast),
and (in Chinese) interface words left in English. Screenshots go to
e2e/screenshots/<screen>-<locale>.png (and -360.png); the best ones are copied to docs/screenshots/
by hand.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from layout_audit import Tour, assert_no_problems, dismiss_storage_warning


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_core_screen_fits_a_phone_in_both_languages(locale, phones, server_api, screenshot):
    admin = server_api("admin1")
    valve = {"zh-CN": "B01 阀门井 V3 回填", "en": "B01 阀门井 V4 回填"}[locale]  # one per tour
    retitled = admin.create_task("B02 检查井 W13 砌筑", description="砖砌检查井，井深 3.2 m", progress=20)
    reopened = admin.create_task(valve)
    admin.put("task", reopened, status="doing")
    admin.put("task", reopened, status="done")

    foreman = phones("foreman2")
    foreman.login("foreman2")
    dismiss_storage_warning(foreman.page)  # reviewed on the liaison's phone below
    tour = Tour(foreman.page, locale, screenshot)
    tour.visit("home-foreman", "/", "home-today-tasks")

    # Offline: one edit that will lose to a newer one, one status move that will be refused.
    foreman.go_offline()
    foreman.edit_task(retitled, title="B02 检查井 W13 砌筑（已复测）")
    foreman.move_status(reopened, "doing")
    tour.visit("task-offline", None, "record-pending")
    admin.put("task", retitled, title="B02 检查井 W13 砌筑及抹面")
    admin.put("task", reopened, status="accepted")
    foreman.go_online()

    tour.visit("tasks", "/tasks", "record-item")
    page = foreman.page
    page.goto("/tasks/new")
    foreman.testid("task-title").fill("C01 旧路面铣刨 K0+500–K0+650")
    foreman.testid("task-description").fill("夜间施工，22:00 前完成围挡")
    tour.visit("task-form", None, "task-form", full_page=True)
    tour.visit("task-edit", f"/r/task/{retitled}/edit", "task-form", full_page=True)
    page.goto(f"/r/task/{retitled}")
    expect(foreman.testid("record-history").locator("li").first).to_be_visible()
    tour.visit("task-detail", None, "record-detail", full_page=True)

    tour.visit("attention", "/attention", "attention-item")
    item = foreman.testid("attention-item").filter(has_text=valve)
    item.get_by_test_id("attention-edit").click()
    tour.visit("attention-edit", None, "attention-editor")
    foreman.testid("attention-cancel").click()

    tour.visit("conflicts", "/conflicts", "conflict-item")
    since = foreman.now()
    tour.visit("more", "/more", "transfer-status", full_page=True)
    foreman.wait_synced(since)  # the sync every page load starts, done before the inboxes are touched

    # Leave the inboxes as found, for the other language's tour. In-page navigation (no reload, so
    # no sync), and the two-tap discard first, while nothing else can redraw the list between taps.
    foreman.testid("nav-attention").click()
    item = foreman.testid("attention-item").filter(has_text=valve)
    item.get_by_test_id("attention-discard").click()
    with page.expect_response(re.compile(r"/api/sync/rejected/\d+$")):
        item.get_by_test_id("attention-discard").click()
    foreman.testid("nav-conflicts").click()
    conflict = page.locator(f'[data-testid=conflict-item]:has(a[href="/r/task/{retitled}"])')
    with page.expect_response(re.compile(r"/api/sync/conflicts/\d+$")):
        conflict.get_by_test_id("keep-theirs").click()
    expect(conflict).to_have_count(0)
    foreman.assert_no_errors()

    liaison = phones("liaison1")
    liaison.login("liaison1")
    liaison_tour = Tour(liaison.page, locale, screenshot, who="liaison")
    liaison_tour.visit("home-liaison", "/", "home-open-feedback")
    liaison.assert_no_errors()

    assert_no_problems(tour, liaison_tour)
