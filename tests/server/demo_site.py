"""The demo project on one app, for test modules that share it: tokens issued directly
(no Argon2 per user), raw requests for bodies the test client cannot write."""
from __future__ import annotations

import uuid

from server.accounts.models import User
from server.accounts.tokens import issue_token
from server.demo import demo_id
from server.extensions import db

from .sync_client import Device, FlaskTransport

PROJECT = demo_id("project")


class DemoSite:
    """The demo on one app, with its test client."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.transport = FlaskTransport(self.client)
        self._tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self._tokens:
            with self.app.app_context():
                token, _ = issue_token(db.session.get(User, demo_id(username)))
                db.session.commit()
            self._tokens[username] = token
        return self._tokens[username]

    def headers(self, username: str) -> dict:
        return {"Authorization": f"Bearer {self.token(username)}"}

    def device(self, username: str, **kwargs) -> Device:
        return Device(self.transport, self.token(username), **kwargs)

    def send(self, method: str, path: str, text: str | bytes, username: str | None = "admin1",
             content_type: str | None = "application/json"):
        """A request whose body is `text` as given, with `content_type` (None: no header)."""
        headers = self.headers(username) if username else {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        return self.client.open(path, method=method, data=text, headers=headers)

    @property
    def dialect(self) -> str:
        with self.app.app_context():
            return db.engine.dialect.name


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The contract's error shape with `status` (and `code`); its error object."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


def conflict_and_rejection(site: DemoSite) -> tuple[dict, dict]:
    """A conflict and a rejection of foreman2's, as the inboxes list them: foreman2's
    title loses to foreman1's newer one, and foreman2 may not accept the task."""
    winner = site.device("foreman1")
    loser = site.device("foreman2", clock_offset_ms=-60_000)
    task_id = str(uuid.uuid4())
    winner.put("task", task_id, {"project_id": PROJECT, "title": "kept"})
    assert winner.push()[0] == 200
    loser.put("task", task_id, {"title": "lost"})
    loser.put("task", task_id, {"status": "accepted"})  # a foreman may not accept
    status, body = loser.push()
    assert [r["status"] for r in body["results"]] == ["merged", "rejected"], body
    headers = site.headers("foreman2")
    conflict = site.client.get("/api/sync/conflicts", headers=headers).get_json()["conflicts"][0]
    rejected = site.client.get("/api/sync/rejected", headers=headers).get_json()["rejected"][0]
    return conflict, rejected
