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
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DEMO_PASSWORD = "demo-pass-1"
DEMO_USERS = ("foreman1", "foreman2", "liaison1", "supervisor1", "safety1", "admin1")
# Real Argon2id, with argon2-cffi's parameters for tests, in every server the tests start: a
# login costs about a millisecond, not a third of a second (server/accounts/passwords.py).
os.environ.setdefault("PASSWORD_HASH_PROFILE", "CHEAPEST")

# The stores of the app's IndexedDB schema, version 1 (pwa/js/db/database.js): JavaScript that
# creates them on `db` in an upgrade, for tests that make a phone's database as an older app left it.
SCHEMA_1_STORES = """
    db.createObjectStore('records', { keyPath: ['type', 'id'] }).createIndex('by_type', 'type');
    db.createObjectStore('outbox', { keyPath: 'mid' }).createIndex('by_record', ['type', 'id']);
    db.createObjectStore('meta');
    db.createObjectStore('pending_blobs', { keyPath: 'sha256' });
    db.createObjectStore('rejected', { keyPath: 'key' });
    db.createObjectStore('conflicts', { keyPath: 'key' });
    db.createObjectStore('imported', { keyPath: ['source_client_id', 'source_mid'] });
"""
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google's services, which a
# closed network refuses; --no-sandbox because tests may run as root. The fake media device
# gives getUserMedia Chromium's own test-pattern camera (the scan screen's camera is tested on it).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--use-fake-device-for-media-stream",
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


def demo_server_env(tmp_path_factory, name: str = "gridline") -> dict:
    """The environment of a server: a fresh SQLite database and blob folder of its own."""
    data = tmp_path_factory.mktemp(name)
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data / 'gridline.db'}",
        "BLOB_DIR": str(data / "blobs"),
        "SECRET_KEY": "e2e-secret-key",
        # Tests log in often from one address; the limit itself is tested in tests/server.
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict:
    return demo_server_env(tmp_path_factory)


@pytest.fixture(scope="session")
def live_server(server_env, tmp_path_factory):
    """The base URL of gunicorn serving Gridline with the demo project loaded, shared by the
    session's tests (each adds records of its own beside the demo's)."""
    with serving_demo(server_env, tmp_path_factory) as url:
        yield url


@contextmanager
def serving_demo(server_env: dict, tmp_path_factory):
    """Gunicorn serving a freshly loaded demo from `server_env`'s database; yields its URL."""
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


# Reports every Content-Security-Policy violation of a page to the test (see `new_context`).
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`);
}, true);
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """Content-Security-Policy violations of the test's pages; none may be left at its end."""
    violations: list[str] = []
    yield violations
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def new_context(new_context, csp_violations):
    """pytest-playwright's `new_context` (so also `context` and `page`), its pages reporting
    every Content-Security-Policy violation to `csp_violations`."""
    def _new_context(**kwargs):
        context = new_context(**kwargs)
        context.expose_binding(
            "__reportCspViolation",
            lambda source, text: csp_violations.append(f"{text} (page {source['page'].url})"))
        context.add_init_script(CSP_LISTENER)
        return context

    return _new_context


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
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


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


# ---------------------------------------------------------------------------------------------
# Offline-core helpers: the server's API as a plain HTTP client (the office PC, or a second
# device), and a phone (one browser context = one installed app) driven through data-testids.
# ---------------------------------------------------------------------------------------------
import json  # noqa: E402
import re  # noqa: E402
import uuid  # noqa: E402
from functools import lru_cache  # noqa: E402

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

# Chromium logs every failed request as a console error ("Failed to load resource"); a phone
# checks the responses themselves instead (see Phone._on_response), so these are left out.
NETWORK_CONSOLE_ERROR = "Failed to load resource"
# Error answers the app expects and handles: a token refused (it asks for a login), and an inbox
# entry already dismissed elsewhere (it forgets it). Any other 4xx/5xx fails the test.
EXPECTED_ERROR_RESPONSES = (
    (401, "", re.compile(r"/api/")),
    (404, "DELETE", re.compile(r"/api/sync/(rejected|conflicts)/\d+$")),
)



def scroll_into_view(locator, attempts: int = 5) -> None:
    """Scrolls `locator` into view. A redraw may replace the element between Playwright finding
    it and scrolling to it ("not attached to the DOM"); the locator then finds the new one."""
    for attempt in range(attempts):
        try:
            locator.scroll_into_view_if_needed()
            return
        except PlaywrightError as error:
            if "not attached" not in str(error) or attempt == attempts - 1:
                raise


class ServerApi:
    """One user on the live server over plain HTTP, outside any browser."""

    def __init__(self, base_url: str, username: str, password: str = DEMO_PASSWORD):
        self.base_url = base_url
        self.client_id = str(uuid.uuid4())
        self.mid = 0
        status, body = self.request("POST", "/api/auth/login",
                                    {"username": username, "password": password}, token=None)
        assert status == 200, f"login of {username}: {status} {body}"
        self.token = body["token"]
        self.user = body["user"]
        self.project_id = self.user["memberships"][0]["project_id"]

    def request(self, method: str, path: str, body=None, token: str | None = "") -> tuple[int, object]:
        """Sends one request; returns (status, parsed JSON or None). `token=None` sends none."""
        token = self.token if token == "" else token
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=15) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def get(self, path: str):
        status, body = self.request("GET", path)
        assert status == 200, f"GET {path}: {status} {body}"
        return body

    def record(self, type_name: str, record_id: str) -> dict:
        """The record as the server holds it now: `{type, id, seq, deleted, data, …}`."""
        return self.get(f"/api/records/{type_name}/{record_id}")

    def history(self, type_name: str, record_id: str) -> list[dict]:
        return self.get(f"/api/records/{type_name}/{record_id}/history")["history"]

    def rejected(self) -> list[dict]:
        return self.get("/api/sync/rejected")["rejected"]

    def conflicts(self) -> list[dict]:
        return self.get("/api/sync/conflicts")["conflicts"]

    def hlc(self, ahead_ms: int = 0) -> str:
        return f"{int(time.time() * 1000) + ahead_ms:015d}:00000:{self.client_id}"

    def push(self, *drafts: dict) -> list[dict]:
        """Pushes `{op, type, id, fields?}` drafts with this client's next mids; returns the results."""
        mutations = []
        for draft in drafts:
            self.mid += 1
            mutations.append({"mid": self.mid, "hlc": self.hlc(), **draft})
        status, body = self.request("POST", "/api/sync/push", {
            "client_id": self.client_id, "schema_version": 1, "mutations": mutations})
        assert status == 200, f"push: {status} {body}"
        return body["results"]

    def put(self, type_name: str, record_id: str, **fields) -> dict:
        """One put; asserts it was applied and returns its result."""
        [result] = self.push({"op": "put", "type": type_name, "id": record_id, "fields": fields})
        assert result["status"] == "applied", result
        return result

    def create_task(self, title: str, **fields) -> str:
        """A new task in the user's project (applied on the server); returns its id."""
        task_id = str(uuid.uuid4())
        self.put("task", task_id, project_id=self.project_id, title=title, **fields)
        return task_id

    def revoke(self, token: str) -> None:
        """Logs the session of `token` out on the server (as if it had expired)."""
        status, body = self.request("POST", "/api/auth/logout", token=token)
        assert status == 204, f"logout: {status} {body}"


def confirm_move(page, reason: str = "复测不合格，返工") -> bool:
    """After a tap on a decision (accept, approve, reject, verify, close), confirms it, writing
    `reason` where the app asks why (then True); a plain move has nothing to confirm."""
    asked = False
    if page.get_by_test_id("status-confirm").count():
        asked = page.get_by_test_id("status-reason").count() > 0
        if asked:
            page.get_by_test_id("status-reason").fill(reason)
        page.get_by_test_id("status-confirm").click()
    return asked


class Phone:
    """One phone with the app installed: a browser context of its own, driven like a user would."""

    def __init__(self, context, name: str = "phone"):
        self.context = context
        self.name = name
        self.page = context.new_page()
        self.errors: list[str] = []
        self.pushes: list[dict] = []  # bodies of every POST /api/sync/push this phone sent
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)
        self.allow_401 = False  # set by a test that makes the server refuse the token
        self.offline = False

    def _on_console(self, message) -> None:
        if message.type == "error" and NETWORK_CONSOLE_ERROR not in message.text:
            self.errors.append(f"console: {message.text} (page {self.page.url})")

    def _on_response(self, response) -> None:
        if response.status < 400:
            return
        method = response.request.method
        for status, expected_method, url in EXPECTED_ERROR_RESPONSES:
            if response.status == status and method.startswith(expected_method) and url.search(response.url):
                if status != 401 or self.allow_401:
                    return
        self.errors.append(f"HTTP {response.status} for {method} {response.url} (page {self.page.url})")

    def _on_request(self, request) -> None:
        if request.method == "POST" and request.url.endswith("/api/sync/push"):
            self.pushes.append(request.post_data_json)

    # --- reading state -------------------------------------------------------------------
    def testid(self, name: str):
        return self.page.get_by_test_id(name)

    def idb(self, store: str, key=None):
        """A value (or with key=None every value) of an IndexedDB store of the app."""
        return self.page.evaluate("""([store, key]) => new Promise((resolve, reject) => {
            const open = indexedDB.open('gridline');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const objects = open.result.transaction(store).objectStore(store);
              const request = key === null ? objects.getAll() : objects.get(key);
              request.onsuccess = () => { open.result.close(); resolve(request.result ?? null); };
              request.onerror = () => reject(request.error);
            };
        })""", [store, key])

    def outbox(self) -> list[dict]:
        return self.idb("outbox")

    def now(self) -> str:
        """The phone's clock as the status bar writes it (ISO), to wait for a later sync."""
        return self.page.evaluate("new Date().toISOString()")

    def expect_pending(self, count: int, timeout: float = 15_000) -> None:
        expect(self.testid("pending-count")).to_have_attribute("data-count", str(count), timeout=timeout)

    def wait_synced(self, since: str, timeout: float = 20_000) -> None:
        """Waits for a sync cycle that finished after `since` with nothing left to push (a
        photo's time-and-place record, which the count leaves out, included)."""
        try:
            self.page.wait_for_function("""(since) => {
                const bar = document.querySelector('[data-testid=status-bar]');
                const last = document.querySelector('[data-testid=last-sync]');
                const pending = document.querySelector('[data-testid=pending-count]');
                return bar?.dataset.phase === 'idle' && (last?.dataset.time ?? '') > since
                  && pending?.dataset.count === '0' && pending?.dataset.queued === '0';
            }""", arg=since, timeout=timeout)
        except PlaywrightTimeoutError:
            bar = self.page.evaluate("""() => {
                const bar = document.querySelector('[data-testid=status-bar]');
                const last = document.querySelector('[data-testid=last-sync]');
                return {...bar?.dataset, last: last?.dataset.time, text: bar?.innerText};
            }""")
            raise AssertionError(f"{self.name} did not finish a sync after {since}: {bar}, "
                                 f"url {self.page.url}, errors {self.errors}") from None

    def sent_mutations(self) -> list[dict]:
        """Every mutation this phone put on the wire, in order (retries included)."""
        return [mutation for body in self.pushes for mutation in body["mutations"]]

    # --- doing things ----------------------------------------------------------------------
    def goto(self, path: str) -> None:
        self.page.goto(path)

    def submit_login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Opens the login screen and submits it, waiting for nothing after."""
        self.page.goto("/login")
        self.testid("login-username").fill(username)
        self.testid("login-password").fill(password)
        self.testid("login-submit").click()

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Logs in from a fresh install and waits until the app works offline and has synced."""
        since = "0"
        self.submit_login(username, password)
        expect(self.page).not_to_have_url(re.compile(r"/login"))
        _wait_for_service_worker(self.page)
        self.wait_synced(since)

    def sync_now(self) -> None:
        since = self.now()
        self.testid("sync-now").click()
        self.wait_synced(since)

    def go_offline(self) -> None:
        self.offline = True
        self.context.set_offline(True)
        # The browser's offline event can lag on a loaded machine.
        expect(self.testid("status-bar")).to_have_attribute("data-online", "false", timeout=15_000)

    def go_online(self, wait: bool = True) -> None:
        """Reconnects; with `wait`, returns once the queue is pushed and a pull has finished."""
        since = self.now()
        self.offline = False
        self.context.set_offline(False)
        if wait:
            self.wait_synced(since)

    def open_record(self, type_name: str, record_id: str) -> None:
        self.page.goto(f"/r/{type_name}/{record_id}")
        expect(self.testid("record-detail")).to_be_visible()

    def _expect_queued(self, before: int, count: int = 1) -> None:
        """Offline, the `count` changes wait in the outbox (online they may already be gone: not checked)."""
        if self.offline:
            self.expect_pending(before + count)

    def create_task(self, title: str, description: str | None = None) -> str:
        """Fills the new-task form and saves; returns the new task's id."""
        pending = int(self.testid("pending-count").get_attribute("data-count"))
        self.page.goto("/tasks/new")
        self.testid("task-title").fill(title)
        if description is not None:
            self.testid("task-description").fill(description)
        self.testid("task-save").click()
        expect(self.page).to_have_url(re.compile(r"/r/task/[0-9a-f-]{36}$"))
        self._expect_queued(pending)
        return self.page.url.rsplit("/", 1)[1]

    def edit_task(self, task_id: str, **fields) -> None:
        """Opens the task's form, types `fields` (title=…, description=…, progress=…) and saves."""
        pending = int(self.testid("pending-count").get_attribute("data-count"))
        self.page.goto(f"/r/task/{task_id}/edit")
        expect(self.testid("task-form")).to_be_visible()
        for name, value in fields.items():
            self.testid(f"task-{name.replace('_', '-')}").fill(str(value))
        self.testid("task-save").click()
        expect(self.page).to_have_url(re.compile(rf"/r/task/{task_id}$"))
        self._expect_queued(pending)

    def move_status(self, task_id: str, state: str, reason: str = "复测不合格，返工") -> None:
        """On the task's page, taps "move to <state>" (a decision: confirms it, giving `reason`
        where one is asked) and waits until it is queued and shown."""
        if not self.page.url.endswith(f"/r/task/{task_id}"):
            self.open_record("task", task_id)
        pending = int(self.testid("pending-count").get_attribute("data-count"))
        # Accepting, and sending a done task back, are decisions the app asks to confirm.
        button = self.testid(f"status-to-{state}")
        expect(button).to_be_visible()
        shown = self.testid("record-status")  # absent while a new task has no state yet
        decision = state == "accepted" or (
            state == "doing" and shown.count() > 0 and shown.inner_text() == self.text("state.done"))
        button.click()
        if decision:
            expect(self.testid("status-confirm")).to_be_visible()
        # A reason given goes with the move as a comment: two changes queued.
        self._expect_queued(pending, 2 if confirm_move(self.page, reason) else 1)
        expect(self.testid("record-status")).to_have_text(self.text(f"state.{state}"))

    def text(self, key: str) -> str:
        """The app's string `key` in the language the page shows."""
        return ui_text(self.page.evaluate("document.documentElement.lang"), key)

    def assert_no_errors(self) -> None:
        assert self.errors == [], f"{self.name}: {self.errors}"


@lru_cache(maxsize=None)
def _ui_strings(locale: str) -> dict:
    return json.loads((ROOT / "pwa" / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))


def ui_text(locale: str, key: str) -> str:
    """The app's string `key` in `locale` ("zh-CN" or "en"), as pwa/i18n/ has it."""
    return _ui_strings(locale)[key]


@pytest.fixture(scope="session")
def server_api(live_server):
    """`server_api(username)`: that demo user on the live server over plain HTTP (one per user)."""
    clients: dict[str, ServerApi] = {}

    def _client(username: str) -> ServerApi:
        if username not in clients:
            clients[username] = ServerApi(live_server, username)
        return clients[username]
    return _client


@pytest.fixture
def phones(new_context):
    """`phones(name=…, locale=…)`: a new phone (browser context) with the app; all closed after the test."""
    def _phone(name: str = "phone", **context_args) -> Phone:
        return Phone(new_context(**context_args), name)
    return _phone
