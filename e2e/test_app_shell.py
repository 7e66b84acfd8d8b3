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


# Records each time nodes of the bottom navigation are replaced: the path shown and what it drew.
NAV_DRAWS = """
window.navDraws = [];
document.addEventListener('DOMContentLoaded', () => {
  const nav = document.getElementById('nav-bar');
  new MutationObserver((records) => {
    if (records.some((record) => record.removedNodes.length > 0 || record.addedNodes.length > 0)) {
      window.navDraws.push({ path: location.pathname, html: nav.innerHTML });
    }
  }).observe(nav, { childList: true, subtree: true });
});
"""
SETTLE_MS = 500  # longer than anything the app does right after the profile comes back


def test_the_nav_bar_is_not_redrawn_when_nothing_it_shows_changes(phones):
    # Regression: the profile refreshed after login (GET /api/me) redrew the whole nav bar, a
    # visible flicker, though nothing on it had changed; so did opening a screen under the same entry.
    phone = phones("foreman1")
    page = phone.page
    page.add_init_script(NAV_DRAWS)
    # The profile is held on its way until the home screen has drawn the bar, as on a slow network.
    held = []
    page.route("**/api/me", lambda route: held.append(route))
    phone.login("foreman1")
    expect(phone.testid("nav-home")).to_have_attribute("aria-current", "page")
    assert held, "no profile refresh after login"
    with page.expect_response(lambda response: response.url.endswith("/api/me")) as profile:
        held[0].fallback()
    assert profile.value.json()["user"]["username"] == "foreman1"  # the same profile as at login
    page.unroute("**/api/me")
    page.wait_for_timeout(SETTLE_MS)

    # Another entry becoming current redraws it; a screen under the same entry does not.
    phone.testid("nav-tasks").click()
    expect(phone.testid("nav-tasks")).to_have_attribute("aria-current", "page")
    expect(phone.testid("nav-home")).not_to_have_attribute("aria-current", "page")
    phone.testid("new-task").click()
    expect(phone.testid("task-form")).to_be_visible()
    page.wait_for_timeout(SETTLE_MS)

    # Every draw after the login screen showed something new (a badge count may legitimately change).
    draws = page.evaluate("window.navDraws.filter((draw) => draw.path !== '/login')")
    assert [draw["path"] for draw in draws][:1] == ["/"] and "/tasks" in [draw["path"] for draw in draws], draws
    same = [later["path"] for earlier, later in zip(draws, draws[1:]) if later["html"] == earlier["html"]]
    assert same == [], f"the nav bar was redrawn unchanged on {same}"
    phone.assert_no_errors()


def test_the_page_runs_under_a_csp_that_refuses_inline_code(page, csp_violations):
    """The server's policy is in force (inline script and style refused) and the check that
    every e2e page keeps to it sees a violation when one happens."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    assert csp_violations == []
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.body.append(script);
        const box = document.createElement('div');
        box.setAttribute('style', 'color: red');
        document.body.append(box);
    }""")
    # The violation events are dispatched asynchronously.
    page.wait_for_function("() => document.readyState === 'complete'")
    page.wait_for_timeout(300)
    assert page.evaluate("window.inlineRan === undefined")
    directives = sorted(v.split()[0] for v in csp_violations)
    assert directives == ["script-src-elem", "style-src-attr"], csp_violations
    csp_violations.clear()
