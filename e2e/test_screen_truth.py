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


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_task_and_its_section_show_one_progress_in_the_list_on_its_page_and_on_the_section(phones, server_api, locale):
    admin = server_api("admin1")
    section_id = str(uuid.uuid4())
    code = "P1" if locale == "en" else "P2"
    admin.put("section", section_id, project_id=admin.project_id, code=code, name=f"进度 {code}")
    task_id = admin.create_task(f"{code} 管道试压", section_id=section_id, progress=60)
    admin.put("task", task_id, status="doing")
    admin.put("task", task_id, status="done")
    phone = phones("admin1")
    phone.login("admin1")
    page = phone.page
    # The one definition, called in the page itself, is what every screen must show.
    expected = page.evaluate("""() => import('/js/sync/progress.js').then((m) =>
        [m.taskProgress({status: 'done', progress: 60}), m.taskProgress({status: 'doing', progress: 60}),
         m.sectionProgress([{fields: {status: 'done', progress: 60}}, {fields: {progress: 40}}]), m.sectionProgress([])])""")
    assert expected == [100, 60, 70, None]
    shown = f"{expected[0]}%"

    phone.goto("/tasks?state=all")
    item = page.locator(f'[data-testid="record-item"][data-id="{task_id}"]')
    expect(item.locator(".progress-line")).to_have_text(shown)
    phone.open_record("task", task_id)
    expect(phone.testid("record-field-progress")).to_have_text(shown)
    phone.goto("/sections")
    section = page.locator(f'[data-testid="section-item"][data-id="{section_id}"]')
    expect(section.get_by_test_id("section-progress")).to_have_attribute("data-progress", str(expected[0]))
    phone.assert_no_errors()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_link_to_another_record_in_a_field_is_a_44px_target(phones, server_api, locale):
    admin = server_api("admin1")
    section_id = str(uuid.uuid4())
    code = "L1" if locale == "en" else "L2"
    admin.put("section", section_id, project_id=admin.project_id, code=code, name=f"链接 {code}")
    task_id = admin.create_task(f"{code} 井盖更换", section_id=section_id)
    phone = phones("admin1")
    phone.login("admin1")
    phone.open_record("task", task_id)
    link = phone.testid("record-field-section_id").locator("a")
    expect(link).to_be_visible()
    assert link.bounding_box()["height"] >= 44
    phone.assert_no_errors()


def test_one_chinese_term_for_the_response_deadline():
    """答复期限 everywhere: the field, the countdown's deadline and the intake hint (not also 答复时限)."""
    import json
    from pathlib import Path
    strings = json.loads((Path(__file__).resolve().parent.parent / "pwa" / "i18n" / "zh-CN.json").read_text(encoding="utf-8"))
    assert "答复期限" in strings["field.response_due"]
    assert [key for key, text in strings.items() if "答复时限" in text] == []
