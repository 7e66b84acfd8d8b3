"""An app update never costs what was typed: a draft written by the running version is given
back by the next one, after the update banner's reload."""
from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from conftest import ROOT, demo_server_env, serving_demo
from test_drafts import _wait_for_draft


@pytest.fixture(scope="module")
def updatable_app(tmp_path_factory):
    """A demo server whose PWA folder is a copy the test may change (a new release), and that folder."""
    pwa = tmp_path_factory.mktemp("release") / "pwa"
    shutil.copytree(ROOT / "pwa", pwa)
    env = {**demo_server_env(tmp_path_factory, "update"), "PWA_DIR": str(pwa)}
    with serving_demo(env, tmp_path_factory) as url:
        yield url, pwa


@pytest.fixture
def browser_context_args(browser_context_args, updatable_app) -> dict:
    return {**browser_context_args, "base_url": updatable_app[0]}


def _shell_caches(page) -> list[str]:
    return sorted(page.evaluate("caches.keys()"))


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_draft_typed_before_an_app_update_comes_back_after_it(phones, updatable_app, wait_for_service_worker, locale):
    _, pwa = updatable_app
    phone = phones("foreman")
    phone.login("foreman1")
    page = phone.page
    wait_for_service_worker(page)
    before = _shell_caches(page)
    phone.goto("/tasks/new")
    phone.testid("task-title").fill(f"{locale} 更新前的草稿 W22 井")
    phone.testid("task-description").fill("先别保存")
    _wait_for_draft(phone, "/tasks/new", "更新前的草稿")

    # A new release is published (one shell file changes); the phone finds it and offers a reload.
    css = pwa / "css" / "app.css"
    css.write_text(css.read_text(encoding="utf-8") + f"\n/* release {locale} */\n", encoding="utf-8")
    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    expect(phone.testid("update-banner")).to_be_visible(timeout=30_000)
    with page.expect_navigation():
        phone.testid("update-reload").click()

    # The new version runs, and the form is as it was typed.
    expect(page).to_have_url(re.compile(r"/tasks/new$"))
    expect(phone.testid("draft-banner")).to_be_visible()
    expect(phone.testid("task-title")).to_have_value(f"{locale} 更新前的草稿 W22 井")
    expect(phone.testid("task-description")).to_have_value("先别保存")
    shells = lambda names: {name for name in names if name.startswith("gridline-shell-")}  # noqa: E731
    after = _shell_caches(page)
    assert len(shells(before)) == 1 and shells(after) - shells(before), (before, after)
    phone.assert_no_errors()
