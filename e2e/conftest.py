"""End-to-end fixtures: a real gunicorn server with the demo loaded, and Chromium as a phone.

pytest-playwright provides `page`; these fixtures point it at the server (`page.goto("/")`
works), launch Debian's /usr/bin/chromium and give every page a phone's screen and language.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DEMO_PASSWORD = "demo-pass-1"
DEMO_USERS = ("foreman1", "foreman2", "liaison1", "supervisor1", "safety1", "admin1")

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google's services, which a
# closed network refuses; --no-sandbox because tests may run as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

# A phone about the size of those on site (iPhone 12–15 class).
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}

SERVER_START_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict, *args: str) -> None:
    """Run `flask --app server <args>`; fail with its output if it fails."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "server", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} exited with {done.returncode}:\n{done.stdout}{done.stderr}")


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    """Return once `url` answers 200; fail with the server's log if it dies or never does."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer {url} within {SERVER_START_SECONDS}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict:
    """The environment of the server: a fresh SQLite database and blob folder of its own."""
    data = tmp_path_factory.mktemp("gridline")
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data / 'gridline.db'}",
        "BLOB_DIR": str(data / "blobs"),
        "SECRET_KEY": "e2e-secret-key",
        # Tests log in often from one address; the limit itself is tested in tests/server.
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture(scope="session")
def live_server(server_env, tmp_path_factory):
    """The base URL of gunicorn serving Gridline with the demo project loaded."""
    _flask(server_env, "init-db")
    _flask(server_env, "seed-demo", "--password", DEMO_PASSWORD)
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT, env=server_env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(f"{url}/api/health", process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs in `page.goto()` go to the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """Debian's Chromium, quiet on the network; pytest-playwright's --headed etc. still apply."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def locale(request) -> str:
    """The browser's language: zh-CN unless a test parametrizes `locale` (e.g. "en")."""
    return getattr(request, "param", "zh-CN")


@pytest.fixture
def browser_context_args(browser_context_args, locale) -> dict:
    """Every page is a phone in `locale`."""
    return {**browser_context_args, **PHONE, "locale": locale}


@pytest.fixture
def console_errors(page) -> list[str]:
    """Errors the page logs or throws; a test asserts the list is empty when it is done."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _wait_for_service_worker(page) -> None:
    """Wait until the service worker is active and controls `page` (so it works offline)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def _screenshot(page, name: str) -> Path:
    """Save what `page` shows to e2e/screenshots/<name>.png and return the path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture
def wait_for_service_worker():
    """`wait_for_service_worker(page)`: returns once the service worker controls the page."""
    return _wait_for_service_worker


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: saves the page to e2e/screenshots/<name>.png (not committed)."""
    return _screenshot
