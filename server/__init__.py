"""Gridline's sync server: `create_app()` composes it from small register steps."""
from __future__ import annotations

from flask import Flask, request
from flask.sessions import SessionInterface

from . import config as config_module
from .database import engine_options, init_app as init_database
from .errors import api_methods, register_error_handlers
from .extensions import api, db, migrate
from .json_body import JsonRequest, StrictJSONProvider
from .security_headers import register_security_headers


class NoCookieSessions(SessionInterface):
    """No cookie session: callers are known by their bearer token alone. Flask's signed
    cookie session built a signer and parsed the cookies on every request, for a session
    nothing reads; `flask.session` is now the null session, which refuses writes."""

    def open_session(self, app, request):
        return self.make_null_session(app)

    def save_session(self, app, session, response):
        pass


class GridlineFlask(Flask):
    """Flask, answering OPTIONS on an API path with the API's methods alone: the PWA's
    catch-all GET rule matches every path, but the API serves no GET there."""

    session_interface = NoCookieSessions()

    def make_default_options_response(self):
        response = super().make_default_options_response()
        if request.path.startswith("/api/"):
            methods = api_methods(request.path)
            if methods:
                response.allow.clear()
                response.allow.update(methods)
        return response


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides settings read from the environment."""
    app = GridlineFlask(__name__, instance_relative_config=True, static_folder=None)
    register_config(app, config)
    register_json(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_commands(app)
    register_proxy(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind PROXY_COUNT proxies, trust their X-Forwarded-* headers (client address for
    login rate limits, https for links in QR codes)."""
    count = app.config["PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_config(app: Flask, overrides: dict | None) -> None:
    app.config.update(config_module.from_environment(app.instance_path, overrides))
    app.config.update({
        "API_TITLE": "Gridline", "API_VERSION": "1", "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api", "OPENAPI_JSON_PATH": "openapi.json",
        # Every operation needs a bearer token unless it says otherwise (login, health).
        "API_SPEC_OPTIONS": {"security": [{"bearerAuth": []}]},
        "JSON_SORT_KEYS": False,
    })
    app.config.update(overrides or {})
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                          engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    # A limit or a hash profile that does not parse stops the app here, not at every login.
    from .accounts.passwords import hasher
    from .accounts.throttle import parse_limit
    parse_limit(app.config["LOGIN_RATE_LIMIT"])
    hasher(app.config["PASSWORD_HASH_PROFILE"])


def register_json(app: Flask) -> None:
    """Read request bodies strictly (server/json_body.py); write answers as UTF-8."""
    app.request_class = JsonRequest
    app.json = StrictJSONProvider(app)
    app.json.ensure_ascii = False


def register_extensions(app: Flask) -> None:
    from .database import _migrations_dir
    init_database(app)
    migrate.init_app(app, db, directory=_migrations_dir(), render_as_batch=True)
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "token from /api/auth/login"})


def register_blueprints(app: Flask) -> None:
    from .accounts.routes import bp as auth_bp
    from .blobs.routes import bp as blobs_bp
    from .health import bp as health_bp
    from .labels.routes import bp as labels_bp
    from .my_day.routes import bp as my_day_bp
    from .projects.routes import bp as admin_bp
    from .privacy.routes import bp as privacy_bp
    from .pwa import bp as pwa_bp
    from .reports.routes import bp as reports_bp
    from .syncing.routes import bp as sync_bp
    for blueprint in (auth_bp, admin_bp, sync_bp, blobs_bp, privacy_bp, my_day_bp, reports_bp,
                      labels_bp, health_bp):
        api.register_blueprint(blueprint)
    app.register_blueprint(pwa_bp)


def register_commands(app: Flask) -> None:
    from .accounts.cli import create_admin_command
    from .approvals.escalations import escalate_command
    from .demo import seed_demo_command
    from .privacy.retention import anonymise_residents_command
    from .syncing.maintenance import prune_tombstones_command
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(prune_tombstones_command)
    app.cli.add_command(anonymise_residents_command)
    app.cli.add_command(escalate_command)
