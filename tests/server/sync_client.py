"""A minimal protocol client for tests: a device with its mids, hlc clock and cursor."""
from __future__ import annotations

import http.client
import json
import time
import uuid

from ..outbox import Outbox


class FlaskTransport:
    """Requests through the Flask test client."""

    def __init__(self, client):
        self.client = client

    def __call__(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
        response = self.client.open(path, method=method, json=body, headers=headers or {})
        return response.status_code, response.get_json(silent=True)


class HttpTransport:
    """Requests over a real socket to a running server."""

    def __init__(self, host: str, port: int, timeout: float = 30):
        self.host, self.port, self.timeout = host, port, timeout

    def __call__(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            payload = json.dumps(body).encode() if body is not None else None
            all_headers = {"Content-Type": "application/json", **(headers or {})}
            conn.request(method, path, body=payload, headers=all_headers)
            response = conn.getresponse()
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None)
        finally:
            conn.close()


class Device(Outbox):
    """One installed client: makes mutations offline, pushes and pulls them."""

    def __init__(self, transport, token: str, client_id: str | None = None, clock_offset_ms: int = 0):
        super().__init__()
        self.send = transport
        self.token = token
        self.client_id = client_id or str(uuid.uuid4())
        self.clock_offset_ms = clock_offset_ms
        self.cursor: str | None = None
        self.records: dict[tuple[str, str], dict] = {}
        self._last = (0, 0)

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def hlc(self) -> str:
        """The next hybrid logical clock value of this device."""
        now = int(time.time() * 1000) + self.clock_offset_ms
        physical, counter = self._last
        self._last = (now, 0) if now > physical else (physical, counter + 1)
        return f"{self._last[0]:015d}:{self._last[1]:05d}:{self.client_id}"

    def push(self, mutations: list[dict] | None = None) -> tuple[int, dict]:
        """Push the outbox (or the given mutations); answered mids leave the outbox."""
        batch = self.outbox if mutations is None else mutations
        status, body = self.send("POST", "/api/sync/push", {
            "client_id": self.client_id, "schema_version": 1, "mutations": batch},
            self.headers)
        if status == 200:
            done = {r["mid"] for r in body["results"] if r["status"] != "gap"}
            self.outbox = [m for m in self.outbox if m["mid"] not in done]
        return status, body

    def pull_all(self, limit: int = 500) -> list[dict]:
        """Pull every page; returns the changes received."""
        received = []
        while True:
            path = f"/api/sync/pull?client_id={self.client_id}&limit={limit}"
            if self.cursor:
                path += f"&cursor={self.cursor}"
            status, body = self.send("GET", path, None, self.headers)
            assert status == 200, body
            for change in body["changes"]:
                key = (change["type"], change["id"])
                if change["deleted"]:
                    self.records.pop(key, None)
                else:
                    self.records[key] = change["data"]
            received.extend(body["changes"])
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return received
