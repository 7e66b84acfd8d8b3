"""The app shell on a phone: it loads, offers login in the phone's language, and installs offline."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

LOGIN_LABELS = {
    "zh-CN": {"name": "网格通", "username": "用户名", "password": "密码", "submit": "登录"},
    "en": {"name": "Gridline", "username": "Username", "password": "Password", "submit": "Log in"},
}


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_app_shell_loads_on_a_phone_with_login_in_its_language(
        page, locale, console_errors, wait_for_service_worker, screenshot):
    labels = LOGIN_LABELS[locale]
    page.goto("/")

    expect(page).to_have_title(re.compile("Gridline|网格通"))
    expect(page.locator('link[rel="manifest"]')).to_have_attribute("href", "/manifest.webmanifest")
    expect(page.locator("main#main")).to_be_attached()

    # Not logged in: the shell sends the phone to the login screen, in the phone's language.
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator("html")).to_have_attribute("lang", locale)
    expect(page.get_by_role("heading", level=1)).to_have_text(labels["name"])
    expect(page.get_by_label(labels["username"])).to_be_visible()
    expect(page.get_by_label(labels["password"], exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=labels["submit"])).to_be_visible()

    # Fits the phone: nothing wider than the screen, no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    wait_for_service_worker(page)
    screenshot(page, f"login-{locale}")
    assert console_errors == []


def test_manifest_names_the_app_and_its_icons(page):
    response = page.request.get("/manifest.webmanifest")
    assert response.ok
    manifest = response.json()
    assert "Gridline" in manifest["name"]
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
