"""What the screens show must be right: multi-line text keeps its lines on a phone, in Chinese and English.

Records are written over the server's API as another device would, then read on a phone.
"""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

KEY_TASKS = "1. 沟槽开挖 B01\n2. 管道铺设 B01\n3. 回填压实"
RISK_POINTS = "1. 沟槽边坡坍塌\n2. 吊装区域禁止站人"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_submitted_briefing_keeps_the_line_breaks_of_its_key_tasks_and_risks(phones, server_api, locale, screenshot):
    foreman = server_api("foreman1")
    briefing_id = str(uuid.uuid4())
    foreman.put("briefing", briefing_id, project_id=foreman.project_id,
                date="2020-01-02" if locale == "en" else "2020-01-01",
                key_tasks=KEY_TASKS, risk_points=RISK_POINTS)
    foreman.put("briefing", briefing_id, status="submitted")
    phone = phones("foreman1")
    phone.login("foreman1")
    phone.open_record("briefing", briefing_id)
    for field, text in (("key_tasks", KEY_TASKS), ("risk_points", RISK_POINTS)):
        shown = phone.testid(f"record-field-{field}")
        expect(shown).to_be_visible()
        # innerText follows the CSS: with the line breaks collapsed the items run together on one line.
        assert shown.evaluate("el => el.innerText").strip() == text
    screenshot(phone.page, f"truth-briefing-lines-{locale}")
    phone.assert_no_errors()
