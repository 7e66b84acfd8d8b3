"""The app offers what the server's permission table allows, author rules included: the table
comes with the user from the server (no copy of it in the app) and holds offline."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from server.demo import demo_id
from server.permissions import permission_table

PERMISSIONS_JS = Path(__file__).resolve().parent.parent / "pwa" / "js" / "sync" / "permissions.js"


def test_the_app_keeps_the_servers_table_with_the_session(phones):
    phone = phones("foreman1")
    phone.login("foreman1")
    user = phone.idb("meta", "user")
    assert user["permissions"] == permission_table()
    source = PERMISSIONS_JS.read_text(encoding="utf-8")
    assert "'supervisor'" not in source and "'foreman'" not in source, "a hand copy of the table"
    phone.assert_no_errors()


def test_a_task_is_deleted_by_its_author_or_a_supervisor_and_no_other_foreman(phones, server_api):
    """demo task t4 was created by foreman1: foreman2 may edit it but not delete it."""
    task = demo_id("t4")
    author = phones("foreman1")
    author.login("foreman1")
    author.page.goto(f"/r/task/{task}/edit")
    expect(author.testid("task-form")).to_be_visible()
    expect(author.testid("task-delete")).to_be_visible()

    other = phones("foreman2")
    other.login("foreman2")
    other.go_offline()  # the table holds offline, with the session
    other.page.goto(f"/r/task/{task}/edit")
    expect(other.testid("task-form")).to_be_visible()
    expect(other.testid("task-delete")).to_have_count(0)

    supervisor = phones("supervisor1")
    supervisor.login("supervisor1")
    supervisor.page.goto(f"/r/task/{task}/edit")
    expect(supervisor.testid("task-form")).to_be_visible()
    expect(supervisor.testid("task-delete")).to_be_visible()
    for phone in (author, other, supervisor):
        phone.assert_no_errors()
