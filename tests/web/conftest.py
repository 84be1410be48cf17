"""Fixtures of the web tests: the app on the real library, skipped with a reason when boundaries are absent; and
what the browser tests share (a uvicorn server, an offline page under the page's CSP, polling)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from equilibrium.errors import MissingDependency


@pytest.fixture(scope="session")
def geo_ready() -> None:
    """Skip when the geo library or the boundary files (``make setup``) are missing."""
    try:
        from equilibrium.geo.regions import resolve_region

        resolve_region("PAK")
    except ImportError as exc:  # pragma: no cover - only before the geo package exists
        pytest.skip(f"equilibrium.geo is not importable: {exc}")
    except MissingDependency as exc:
        pytest.skip(f"boundary files missing (run make setup): {exc}")


@pytest.fixture(scope="session")
def app(geo_ready: None):
    from equilibrium.web.app import create_app

    return create_app()


@pytest.fixture(scope="session")
def client(app) -> TestClient:
    """A TestClient that answers 500s as responses (so tests can assert on them) instead of raising."""
    return TestClient(app, raise_server_exceptions=False)


# ------------------------------------------------------------------------------------------- browser tests (shared)

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
STATIC_INDEX = REPO / "src" / "equilibrium" / "web" / "static" / "index.html"
OUT = REPO / "out"
EVIDENCE_DIR = REPO.parent / "shared" / "data" / "evidence"
"""The evidence data sets (not shipped); a browser test's server gets it as EQUILIBRIUM_DATA_DIR when present."""
DYNAMICS_DIR = REPO.parent / "shared" / "data" / "dynamics"
"""The dynamics data sets (not shipped)."""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
QUERY_TIMEOUT_MS = 180_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(data_dir: Path | None) -> Iterator[str]:
    """Base URL of a uvicorn process serving the app with the built front-end (``data_dir`` as
    EQUILIBRIUM_DATA_DIR when given); skips with a reason without Chromium, the built front-end or Playwright.
    A generator: a module-scoped fixture yields from it."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)")
    if not STATIC_INDEX.is_file():
        pytest.skip("front-end not built: run `cd web && npm ci && npm run build` (or make setup)")
    pytest.importorskip("playwright.sync_api")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "equilibrium.web.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1",
                       **({"EQUILIBRIUM_DATA_DIR": str(data_dir)} if data_dir is not None else {})})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                pytest.fail(f"uvicorn exited with {proc.returncode}")
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("uvicorn did not answer /api/health within 30 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def offline_route(blocked: list[str]) -> Callable[[Any], None]:
    """A Playwright route handler letting localhost and ``data:`` through and aborting (and recording in
    ``blocked``) every other request: the page must work offline."""

    def route(r: Any) -> None:
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    return route


def open_page(browser: Any, url: str) -> tuple[Any, list[str], list[str]]:
    """A page at ``url`` under its CSP, non-localhost requests aborted; (page, problems, blocked). Problems are page
    errors, CSP violations and console errors other than a 503 (a data set that is not shipped: problem+json,
    shown in its panel)."""
    problems: list[str] = []
    blocked: list[str] = []
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.route("**/*", offline_route(blocked))
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if (m.type == "error" and "status of 503" not in m.text) or "Content Security Policy" in m.text else None)
    page.goto(url)
    return page, problems, blocked


def poll(page: Any, fn: str, arg: object = None, timeout_ms: int = QUERY_TIMEOUT_MS) -> object:
    """Poll ``fn`` (a JS function of ``arg``) until truthy. Not ``wait_for_function``: Playwright's polling
    evaluates a string in the page, which the page's CSP (no 'unsafe-eval') refuses; ``evaluate`` goes through
    the debugging protocol and is not subject to it."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(fn, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {fn} ({arg!r})")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's) through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
