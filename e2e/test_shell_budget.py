"""The app shell's critical path stays within budget: what a phone downloads before the first
screen shows, as a visitor on a slow site network would, measured gzip -9 file by file."""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

PWA = Path(__file__).resolve().parent.parent / "pwa"
BUDGET_KIB = 150  # docs/benchmarks.md, "PWA (Lighthouse)"
# `import … from '…'`, `export … from '…'` and `import '…'`; not `import('…')`, which loads later.
STATIC_IMPORT = re.compile(r"^\s*(?:import|export)\s+(?:[^'\";]*?\sfrom\s+)?['\"]([^'\"]+)['\"]", re.M)


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


def _static_imports(entry: Path) -> set[str]:
    """The URL paths of every module `entry` imports, directly or through others, before it runs."""
    found: set[Path] = set()
    todo = [entry]
    while todo:
        module = todo.pop()
        for spec in STATIC_IMPORT.findall(module.read_text(encoding="utf-8")):
            imported = (module.parent / spec).resolve()
            assert imported.is_file(), f"{module} imports {spec}, which is not there"
            if imported not in found:
                found.add(imported)
                todo.append(imported)
    return {"/" + path.relative_to(PWA.resolve()).as_posix() for path in found}


def test_the_page_asks_for_every_module_of_the_shell_at_once():
    """index.html names each module main.js needs before it runs, so the browser fetches them
    together instead of one level of imports after another; and names no other."""
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', (PWA / "index.html").read_text(encoding="utf-8"))
    shell = _static_imports(PWA / "js" / "main.js")
    assert len(shell) > 20  # the app, the database, the sync engine, the router, the shell's components
    assert sorted(preloaded) == sorted(shell)
