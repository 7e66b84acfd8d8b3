"""The app shell's critical path stays within budget: what a phone downloads before the first
screen shows, as a visitor on a slow site network would, measured gzip -9 file by file."""
from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

PWA = Path(__file__).resolve().parent.parent / "pwa"
BUDGET_KIB = 150  # docs/benchmarks.md, "PWA (Lighthouse)"


def test_the_first_screen_downloads_less_than_the_shell_budget(page, base_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/login")
    expect(page.get_by_test_id("login-submit")).to_be_visible()

    files = []
    for url in requested:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != base_url or parts.path.startswith("/api/"):
            continue
        if parts.path in ("/sw.js", "/shell-manifest.js"):  # the service worker installs after the first screen
            continue
        path = PWA / ("index.html" if parts.path in ("/", "/login") else parts.path.lstrip("/"))
        assert path.is_file(), f"the first screen asked for {parts.path}, which the shell does not have"
        files.append(path)
    assert any(f.suffix == ".js" for f in files) and any(f.suffix == ".css" for f in files)
    size_kib = sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in set(files)) / 1024
    print(f"first screen: {len(set(files))} files, {size_kib:.1f} KiB gzip -9")
    assert size_kib <= BUDGET_KIB, f"first screen: {len(set(files))} files, {size_kib:.1f} KiB gzip"
