#!/usr/bin/env python
"""Lighthouse on the PWA, run by hand (not part of the test suite).

    .venv/bin/python bench/lighthouse.py [--runs 3] [--no-write]

1. Installs Lighthouse 12 into bench/.lighthouse/ with npm when it is not there yet.
2. Starts gunicorn with a fresh SQLite database and the demo project, as e2e/conftest.py does.
3. Runs Lighthouse with /usr/bin/chromium (headless) in its default mobile emulation (a
   mid-range phone: simulated slow 4G, 4x CPU slowdown) on /login and on / (which sends a
   visitor without a session to /login), `--runs` times each, and keeps the median run.
4. Measures the app shell's critical path: index.html, the stylesheet, the manifest, the
   Chinese strings and every module main.js imports statically, each gzip -9.
5. Prints it all and writes it into docs/benchmarks.md under "## PWA (Lighthouse)" (only that
   section; `--no-write` leaves the file alone).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The folder the server serves (PWA_DIR, as server/config.py reads it), so both measure the same files.
PWA = Path(os.environ.get("PWA_DIR") or ROOT / "pwa")
CACHE = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = CACHE / "node_modules" / ".bin" / "lighthouse"
BENCHMARKS = ROOT / "docs" / "benchmarks.md"
SECTION = "## PWA (Lighthouse)"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
PASSWORD = "bench-pass-1"
PAGES = ("/login", "/")
TARGET_PERFORMANCE = 95
BUDGET_KIB = 150
COMMAND = ".venv/bin/python bench/lighthouse.py"

# Lighthouse audit id -> (label, how to show its numericValue)
METRICS = {
    "first-contentful-paint": ("FCP", lambda v: f"{v / 1000:.1f} s"),
    "largest-contentful-paint": ("LCP", lambda v: f"{v / 1000:.1f} s"),
    "total-blocking-time": ("TBT", lambda v: f"{v:.0f} ms"),
    "cumulative-layout-shift": ("CLS", lambda v: f"{v:.3f}"),
    "speed-index": ("Speed Index", lambda v: f"{v / 1000:.1f} s"),
    "total-byte-weight": ("total bytes", lambda v: f"{v / 1024:.0f} KiB"),
}


# --- Lighthouse -------------------------------------------------------------------------------

def ensure_lighthouse() -> str:
    """Installs Lighthouse 12 into bench/.lighthouse/ once; returns its version."""
    if not LIGHTHOUSE.exists():
        print("installing Lighthouse 12 into bench/.lighthouse/ …", flush=True)
        subprocess.run(["npm", "install", "--prefix", str(CACHE), "lighthouse@12",
                        "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    package = json.loads((CACHE / "node_modules" / "lighthouse" / "package.json").read_text())
    return package["version"]


def categories(version: str) -> list[str]:
    """Lighthouse 12 dropped the PWA category; older versions still have it."""
    wanted = ["performance", "accessibility", "best-practices"]
    return wanted + (["pwa"] if int(version.split(".")[0]) < 12 else [])


def run_lighthouse(url: str, wanted: list[str], out: Path) -> dict:
    """One Lighthouse run; returns its report (LHR)."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--only-categories={','.join(wanted)}", f"--chrome-flags={CHROME_FLAGS}"],
        env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.exists():
        sys.exit(f"lighthouse failed on {url} ({done.returncode}):\n{done.stdout}{done.stderr}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        sys.exit(f"lighthouse could not load {url}: {report['runtimeError']}")
    return report


def summarize(report: dict) -> dict:
    audits = report["audits"]
    scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()
              if cat.get("score") is not None}
    metrics = {key: audits[key]["numericValue"] for key in METRICS}
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    chains = audits.get("critical-request-chains", {}).get("details", {}).get("longestChain", {})
    failed = sorted({f"{cat}: {audits[ref['id']]['title']}"
                     for cat, body in report["categories"].items()
                     for ref in body["auditRefs"]
                     if ref.get("weight") and audits[ref["id"]].get("score") not in (None, 1)
                     and audits[ref["id"]].get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
                     and cat != "performance"})
    return {
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
        "scores": scores, "metrics": metrics, "requests": len(requests),
        "render_blocking": [item.get("url") for item in blocking],
        "longest_chain": chains, "other_findings": failed,
        "chromium": report.get("environment", {}).get("hostUserAgent", ""),
        "form_factor": report.get("configSettings", {}).get("formFactor"),
        "throttling": report.get("configSettings", {}).get("throttlingMethod"),
    }


# --- the server -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with a fresh SQLite database and the demo project, as the e2e tests start it."""

    def __init__(self):
        self.data = Path(tempfile.mkdtemp(prefix="gridline-lighthouse-"))
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.data / 'gridline.db'}",
                    "BLOB_DIR": str(self.data / "blobs"), "SECRET_KEY": "lighthouse-secret-key"}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        for args in (["init-db"], ["seed-demo", "--password", PASSWORD]):
            subprocess.run([sys.executable, "-m", "flask", "--app", "server", *args], cwd=ROOT,
                           env=self.env, check=True, capture_output=True, timeout=120)
        self.log = (self.data / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited:\n{(self.data / 'gunicorn.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        sys.exit("gunicorn did not start within 30 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


# --- the critical path ------------------------------------------------------------------------

# `import … from '…'`, `export … from '…'` and `import '…'`; dynamic `import('…')` is not followed.
IMPORT = re.compile(r"""(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]"""
                    r"""|(?:^|[;\s])import\s*['"]([^'"]+)['"]""", re.M)


def static_imports(entry: Path) -> tuple[list[Path], int]:
    """Every module `entry` imports statically (itself included), and the depth of the chain."""
    seen: dict[Path, int] = {}
    queue = [(entry.resolve(), 1)]
    while queue:
        module, depth = queue.pop(0)
        if module in seen:
            continue
        seen[module] = depth
        for match in IMPORT.finditer(module.read_text(encoding="utf-8")):
            target = match.group(1) or match.group(2)
            if target.startswith("."):
                queue.append(((module.parent / target).resolve(), depth + 1))
    return sorted(seen), max(seen.values())


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def critical_path() -> dict:
    """What the first screen needs: the page, its stylesheet and manifest, the strings, the module graph."""
    html = (PWA / "index.html").read_text(encoding="utf-8")
    entry = re.search(r'<script type="module" src="/([^"]+)"', html).group(1)
    styles = re.findall(r'<link rel="stylesheet" href="/([^"]+)"', html)
    modules, depth = static_imports(PWA / entry)
    files = [PWA / "index.html", PWA / "manifest.webmanifest", PWA / "i18n" / "zh-CN.json",
             *(PWA / s for s in styles), *modules]
    shell = [PWA / "index.html", PWA / "manifest.webmanifest", *sorted((PWA / "css").rglob("*.css")),
             *sorted((PWA / "i18n").glob("*.json")), *sorted((PWA / "js").rglob("*.js"))]
    preloaded = re.findall(r'<link rel="modulepreload" href="/([^"]+)"', html)
    return {
        "modules": len(modules), "depth": depth, "preloaded": len(preloaded),
        "kib": sum(map(gzip_size, files)) / 1024,
        "raw_kib": sum(f.stat().st_size for f in files) / 1024,
        "shell_files": len(shell), "shell_kib": sum(map(gzip_size, shell)) / 1024,
    }


# --- report -----------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
        memory = f", {mem:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        memory = ""
    return f"{cpu}, {os.cpu_count()} vCPU{memory}, {platform.system()} {platform.release()}"


def section(results: dict, path: dict, version: str, runs: int, wanted: list[str], load: str) -> str:
    any_result = next(iter(results.values()))
    chromium = re.search(r"(?:HeadlessChrome|Chrome)/([\d.]+)", any_result["chromium"])
    head = ["page", "performance", "accessibility", "best practices", *(["PWA"] if "pwa" in wanted else []),
            *(label for label, _ in METRICS.values()), "requests"]
    rows = []
    for page, result in results.items():
        scores = result["scores"]
        final_path = urllib.parse.urlsplit(result["final_url"]).path
        shown = page if final_path == page else f"{page} → {final_path}"
        rows.append([f"`{shown}`", *(str(scores.get(c, "–")) for c in wanted),
                     *(fmt(result["metrics"][key]) for key, (_, fmt) in METRICS.items()),
                     str(result["requests"])])
    table = "\n".join("| " + " | ".join(row) + " |" for row in [head, ["---"] * len(head), *rows])
    worst = min(r["scores"]["performance"] for r in results.values())
    verdict = "met" if worst >= TARGET_PERFORMANCE else "**not met**"
    findings = sorted({f for r in results.values() for f in r["other_findings"]})
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} with `{COMMAND}` (median of {runs} runs per page, by "
        "performance score) on the demo project served by `gunicorn -w 2`, SQLite, on one machine:",
        f"{machine()}. Lighthouse {version}, Chromium {chromium.group(1) if chromium else '?'} headless, "
        f"default mobile emulation ({any_result['form_factor']}, {any_result['throttling']} throttling: "
        "slow 4G, 4x CPU slowdown), a fresh profile per run (no service worker, nothing cached). "
        f"Load average at start and end: {load} (simulated metrics still depend on the CPU time observed).",
        "",
        table,
        "",
        f"- Target: performance ≥ {TARGET_PERFORMANCE} on mobile emulation: {verdict} (lowest {worst}).",
        "- `/` has no session, so the app routes it to `/login` in the page (no server redirect).",
        "- PWA category: " + ("measured above." if "pwa" in wanted else
                              "not available in Lighthouse 12 (removed upstream); installability and "
                              "offline start are proven by the e2e tests (`e2e/test_app_shell.py`, "
                              "`e2e/test_offline_core.py`)."),
        f"- App shell critical path (what the first screen needs before it can render): index.html, "
        f"css, manifest, zh-CN strings and the {path['modules']} modules `js/main.js` imports "
        f"statically (import chain {path['depth']} deep, {path['preloaded']} announced with "
        f"`modulepreload`): **{path['kib']:.1f} KiB gzip -9** ({path['raw_kib']:.0f} KiB raw, icons not counted), "
        f"budget {BUDGET_KIB} KiB: {'within' if path['kib'] <= BUDGET_KIB else '**over**'}. "
        f"The whole precached shell without icons ({path['shell_files']} files): "
        f"{path['shell_kib']:.1f} KiB gzip.",
    ]
    if findings:
        lines.append("- Audits not passed outside performance: " + "; ".join(findings) + ".")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Replaces (or adds) the "## PWA (Lighthouse)" section of docs/benchmarks.md, nothing else.
    Its "### Findings" part, written by hand, is kept."""
    if BENCHMARKS.exists():
        current = BENCHMARKS.read_text(encoding="utf-8")
    else:
        current = "# Benchmarks\n"
    start = current.find(SECTION + "\n")
    if start == -1:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        following = re.search(r"^## ", current[start + len(SECTION):], re.M)
        end = start + len(SECTION) + following.start() if following else len(current)
        findings = re.search(r"^### Findings", current[start:end], re.M)
        kept = "\n" + current[start + findings.start():end].rstrip("\n") + "\n" if findings else ""
        updated = current[:start] + text + kept + ("\n" + current[end:] if following else "")
    BENCHMARKS.parent.mkdir(exist_ok=True)
    BENCHMARKS.write_text(updated, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is kept")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md alone")
    args = parser.parse_args()

    load_start = os.getloadavg()[0]
    version = ensure_lighthouse()
    wanted = categories(version)
    results = {}
    with Server() as server, tempfile.TemporaryDirectory() as out:
        print(f"Lighthouse {version} on {server.url}, {args.runs} runs per page", flush=True)
        for page in PAGES:
            runs = []
            for i in range(args.runs):
                runs.append(summarize(run_lighthouse(server.url + page, wanted, Path(out) / f"{i}.json")))
                print(f"  {page} run {i + 1}: {runs[-1]['scores']}", flush=True)
            median = statistics.median_low(r["scores"]["performance"] for r in runs)
            results[page] = next(r for r in runs if r["scores"]["performance"] == median)

    path = critical_path()
    load = f"{load_start:.2f} / {os.getloadavg()[0]:.2f}"
    text = section(results, path, version, args.runs, wanted, load)
    print()
    print(text)
    for page, result in results.items():
        if result["render_blocking"]:
            print(f"{page}: render-blocking: {', '.join(result['render_blocking'])}")
        if result["longest_chain"]:
            print(f"{page}: longest request chain: {result['longest_chain']}")
    if not args.no_write:
        write_section(text)
        print(f"written to {BENCHMARKS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
