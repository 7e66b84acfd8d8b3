"""Every answer carries the security headers: the app shell, API answers, error answers."""
from __future__ import annotations

import pytest

from .conftest import demo_app
from .demo_site import DemoSite


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with demo_app("sqlite", tmp_path_factory.mktemp("headers")) as app:
        yield DemoSite(app)


def assert_security_headers(response) -> None:
    response.close()  # a file served is streamed: close it
    csp = {part.split()[0]: part.split()[1:]
           for part in response.headers["Content-Security-Policy"].split("; ")}
    assert csp["default-src"] == ["'self'"], csp
    assert csp["frame-ancestors"] == ["'none'"], csp
    # Nothing inline may run or style the page, whatever directive a browser falls back to.
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in csp.get(directive, []), csp
        assert "'unsafe-eval'" not in csp.get(directive, []), csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer",
                                                   "strict-origin-when-cross-origin"}


def test_the_app_shell_has_the_security_headers(site):
    response = site.client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert_security_headers(response)


def test_an_in_app_route_and_the_service_worker_have_them(site):
    for path in ("/r/task/8f2c0d0e-0000-4000-8000-000000000000", "/sw.js", "/shell-manifest.js"):
        response = site.client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_an_api_answer_has_the_security_headers(site):
    response = site.client.get("/api/me", headers=site.headers("foreman1"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/me", 401), ("GET", "/api/nowhere", 404), ("DELETE", "/api/sync/push", 405),
    ("GET", "/missing.js", 404)])
def test_an_error_answer_has_the_security_headers(site, method, path, status):
    response = site.client.open(path, method=method)
    assert response.status_code == status
    assert_security_headers(response)


def test_hsts_only_over_tls(site):
    plain = site.client.get("/")
    plain.close()
    assert "Strict-Transport-Security" not in plain.headers
    secure = site.client.get("/", base_url="https://gridline.example")
    secure.close()
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(secure.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 15552000


def test_hsts_honours_the_proxy_only_when_one_is_configured(tmp_path):
    """X-Forwarded-Proto counts only behind PROXY_COUNT proxies."""
    from .conftest import make_app
    for count, expected in ((0, False), (1, True)):
        app = make_app(f"sqlite:///{tmp_path / f'p{count}.db'}", tmp_path, PROXY_COUNT=count)
        response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https",
                                                       "X-Forwarded-For": "203.0.113.5"})
        response.close()
        assert ("Strict-Transport-Security" in response.headers) is expected, count
        from server.extensions import db
        with app.app_context():
            db.engine.dispose()


def test_a_header_a_route_set_is_kept(tmp_path):
    """A route's own header (a blob's sandboxing CSP) is not replaced by the default."""
    from flask import Response

    from server.extensions import db

    from .conftest import make_app
    app = make_app(f"sqlite:///{tmp_path / 'own.db'}", tmp_path)

    @app.get("/test-own-csp")
    def own_csp():
        """A route with its own policy."""
        return Response("x", headers={"Content-Security-Policy": "sandbox"})

    response = app.test_client().get("/test-own-csp")
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    with app.app_context():
        db.engine.dispose()
