"""The raw-SQL floor of a push behind the same HTTP server: `bench/request_bench.py`.

    gunicorn --pythonpath bench raw_push_wsgi:app     (RAW_DB = a SQLite file with the schema)

Takes a push body, parses it and writes the rows a push writes with plain SQL
(`sync_bench.RawWriter`: no ORM, no engine, no authentication), and answers one result per
mutation as JSON. What a push costs above this is what the app adds.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3

from sync_bench import RawWriter

_writers: dict[str, RawWriter] = {}
_conn = None


def app(environ, start_response):
    """One push body in, the rows written, `{"results": [...]}` out."""
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(os.environ["RAW_DB"], timeout=30, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            _conn.execute(f"PRAGMA {pragma}")
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = json.loads(environ["wsgi.input"].read(size))
    client_id = body["client_id"]
    writer = _writers.get(client_id)
    if writer is None:
        writer = _writers[client_id] = RawWriter(_conn, "sqlite", os.environ["RAW_USER"], client_id)
    writer.write(body["mutations"], dt.datetime.now(dt.timezone.utc).isoformat())
    answer = json.dumps({"results": [{"mid": m["mid"], "status": "applied"} for m in body["mutations"]]}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))])
    return [answer]
