"""Where a push's transaction starts: its first statement is the writers' lock, and what the
session held before it (authentication's read, a caller's own writes) is not part of it."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, select, update

from server.accounts.tokens import Caller
from server.demo import demo_id
from server.errors import ApiError
from server.extensions import db
from server.projects.models import Project
from server.syncing.service import write_as

from .conftest import demo_app
from .demo_site import PROJECT, DemoSite


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    with demo_app(request.param, tmp_path_factory.mktemp(f"push-tx-{request.param}")) as app:
        yield DemoSite(app)


def test_a_push_takes_the_writers_lock_with_the_first_statement_of_its_transaction(site):
    """On SQLite a transaction that read first could not take the write lock later: the lock
    must find no transaction open, whatever authentication read before it."""
    if site.app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the lock's row is locked at any point of a transaction there")
    with site.app.app_context():
        engine = db.engine
    open_at_lock: list[bool] = []

    def seen(connection, _cursor, statement, *_args):
        if statement.startswith("UPDATE sync_counter SET seq=sync_counter.seq"):
            open_at_lock.append(connection.connection.dbapi_connection.in_transaction)

    device = site.device("foreman1")
    device.put("task", str(uuid.uuid4()), {"project_id": PROJECT, "title": "Shore the trench"})
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert device.push()[1]["results"][0]["status"] == "applied"
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert open_at_lock == [False]


@pytest.mark.parametrize("how", ["orm", "core"])
def test_what_a_caller_wrote_before_a_rejected_write_as_is_kept(site, how):
    """write_as answers a rejected mutation with an error and writes nothing of it; what its
    caller wrote in the session before it was ended (committed) before the push began."""
    code = f"T{uuid.uuid4().hex[:8]}"
    admin = Caller(demo_id("admin1"), "admin1", "admin1", str(uuid.uuid4()),
                   {PROJECT: frozenset({"admin"})})
    with site.app.test_request_context():
        if how == "orm":
            db.session.add(Project(code=code, name="Written before the push"))
        else:
            db.session.execute(update(Project).where(Project.id == PROJECT).values(code=code))
        with pytest.raises(ApiError):
            write_as(admin, "section", str(uuid.uuid4()), {"project_id": PROJECT})
        db.session.rollback()
        db.session.remove()
    with site.app.app_context():
        assert db.session.execute(select(Project.id).where(Project.code == code)).first()
        if how == "core":
            db.session.execute(update(Project).where(Project.id == PROJECT).values(code="DEMO"))
            db.session.commit()
