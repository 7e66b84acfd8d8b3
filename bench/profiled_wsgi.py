"""The app for gunicorn with every request profiled (cProfile): `bench/request_bench.py --profile`.

    gunicorn -c gunicorn.conf.py --pythonpath bench profiled_wsgi:app

Each worker adds its requests' profiles up and writes them to `$PROFILE_OUT.<pid>` (pstats)
every 20 requests and when it exits, so the whole request is seen: WSGI, Flask, the
authentication, the schema, the engine, the store, SQL and the JSON answer.
"""
from __future__ import annotations

import atexit
import cProfile
import os

from server import create_app

_app = create_app()
_profile = cProfile.Profile()
_requests = 0


def _dump() -> None:
    _profile.dump_stats(f"{os.environ['PROFILE_OUT']}.{os.getpid()}")


atexit.register(_dump)


def app(environ, start_response):
    """The app, profiled from the call until its answer has been read out."""
    global _requests
    _profile.enable()
    try:
        return [b"".join(_app(environ, start_response))]
    finally:
        _profile.disable()
        _requests += 1
        if _requests % 20 == 0:
            _dump()
