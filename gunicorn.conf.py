"""Gunicorn settings for Gridline: `gunicorn -c gunicorn.conf.py` from the repository root.

Gunicorn also reads this file by itself when started here, so test servers get it too.
Flags on the command line and in GUNICORN_CMD_ARGS override it (e.g. `--bind 0.0.0.0:8000`).
"""
import os

wsgi_app = "server:create_app()"
bind = ["127.0.0.1:8000"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# Sync workers hold one request each. Photos of up to BLOB_MAX_BYTES arrive over slow site
# networks, so give a request two minutes; a buffering proxy in front is better still.
timeout = 120
graceful_timeout = 30

# Gunicorn's control socket lives at one path per user ($HOME/.gunicorn/gunicorn.ctl), so a
# second server on the machine (a test run beside `make run`) would take it over. Unused here.
control_socket_disable = True

# No access log here, so test servers' logs keep to errors; `make run` and the Docker image
# turn it on with --access-logfile -.

# Errors gunicorn answers itself (a request line over 4094 bytes, headers too large, a
# request it cannot parse) come back in the API's JSON error shape, not as an HTML page.
from server.http_errors import install as _json_errors  # noqa: E402

_json_errors()
