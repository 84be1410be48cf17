"""The claims section of the workbench in headless Chromium (offline, under the page's own CSP).

The page opens on the claims: one card per claim of GET /api/claims, grouped by commentary; checking a card shows
the API's verdict and robustness; "Show the evidence" lists the settings; ``/?claim=<id>`` (the ClaimReview url)
opens and checks that card; "Open the panel" puts the reach parameters in the URL and the reach panel reads them.
A screenshot of the section goes to ``out/claims.png``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
STATIC_INDEX = REPO / "src" / "equilibrium" / "web" / "static" / "index.html"
OUT = REPO / "out"
EVIDENCE_DIR = REPO.parent / "shared" / "data" / "evidence"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
QUERY_TIMEOUT_MS = 180_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(geo_ready: None) -> Iterator[str]:
    """Base URL of a uvicorn process serving the app (with the built front-end)."""
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
                       **({"EQUILIBRIUM_DATA_DIR": str(EVIDENCE_DIR)} if EVIDENCE_DIR.is_dir() else {})})
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


def poll(page, fn: str, arg: object = None, timeout_ms: int = QUERY_TIMEOUT_MS) -> object:
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


def wait_status(page, *texts: str) -> str:
    """Wait until the reach panel's #status reads one of ``texts`` (fails on "error")."""
    status = str(poll(page, "ts => { const s = document.querySelector('#status').textContent;"
                            " return [...ts, 'error'].includes(s) ? s : ''; }", list(texts)))
    assert status in texts, (status, page.text_content("#error"))
    return status


CLAIM = "no-pakistani-missile-reaches-us"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, url: str) -> tuple[object, list[str], list[str]]:
    """A page at ``url`` under its CSP, non-localhost requests aborted; (page, problems, blocked)."""
    problems: list[str] = []
    blocked: list[str] = []

    def route(r) -> None:
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.route("**/*", route)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    # A 503 is a data set that is not shipped (problem+json, shown in its panel); any other error counts.
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if (m.type == "error" and "status of 503" not in m.text) or "Content Security Policy" in m.text else None)
    page.goto(url)
    page.wait_for_selector("#claims[data-ready='true']", timeout=QUERY_TIMEOUT_MS)
    return page, problems, blocked


def wait_verdict(page, claim_id: str) -> None:
    poll(page, "id => { const c = document.querySelector(`.claim-card[data-claim='${id}']`);"
               " return !!(c && c.dataset.verdict); }", claim_id)


def test_page_opens_on_the_claims_and_checks_one(browser, server: str) -> None:
    page, problems, blocked = open_page(browser, server + "/")
    listing = httpx.get(f"{server}/api/claims", timeout=60).json()

    # The claims section comes first: before the map, every card of the API, grouped by commentary.
    order = page.evaluate("() => [...document.querySelectorAll('body > section, body > main')].map((e) => e.id)")
    assert order[0] == "claims", order
    assert order.index("claims") < order.index("reach")
    ids = page.eval_on_selector_all(".claim-card", "cs => cs.map((c) => c.dataset.claim)")
    assert sorted(ids) == sorted(c["id"] for c in listing["claims"])
    assert page.locator(".claims-group").count() == len(listing["commentaries"])
    assert page.text_content("#claims-status") == "ready"
    for c in listing["claims"]:
        if not c["checkable"]:
            card = page.locator(f".claim-card[data-claim='{c['id']}']")
            assert card.get_attribute("data-verdict") == "not checkable"
            assert "not checkable" in card.text_content()

    # Check the claim: the card shows the API's verdict and robustness.
    card = page.locator(f".claim-card[data-claim='{CLAIM}']")
    card.locator(".cc-check").click()
    wait_verdict(page, CLAIM)
    api = httpx.get(f"{server}/api/claims/check", params={"id": CLAIM}, timeout=120).json()["verdicts"][0]
    assert card.get_attribute("data-verdict") == api["verdict"]
    assert float(card.get_attribute("data-robustness")) == pytest.approx(api["robustness"], abs=1e-9)
    assert card.locator(".cc-verdict").text_content() == api["verdict"]
    assert card.locator(".cc-pct").text_content() == f"{round(100 * api['robustness'])} %"

    # Show the evidence: one row per setting, the URL carries the claim.
    card.locator(".cc-show").click()
    assert card.locator(".cc-table tbody tr").count() == len(api["settings"]) > 0
    assert f"claim={CLAIM}" in page.url
    assert "holds" in card.locator(".cc-table").text_content()

    # Check all: progress reaches every checkable claim (shared server cache; seconds).
    page.click("#claims-check-all")
    n = sum(c["checkable"] for c in listing["claims"])
    poll(page, "n => document.querySelector('#claims-progress').textContent.startsWith(`${n} of ${n}`)", n)
    assert page.locator(".claim-card[data-verdict='']").count() == 0
    assert page.locator(".claim-card[data-verdict='error']").count() == 0, page.text_content("#claims-groups")

    OUT.mkdir(exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    bottom = page.evaluate("() => document.querySelector('#claims').getBoundingClientRect().bottom + scrollY")
    page.screenshot(path=str(OUT / "claims.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1500, "height": min(bottom + 16, 4000)})

    # Open the panel: the reach panel takes the claim's parameters, from the URL.
    card.locator(".cc-open").click()
    assert "#reach?from=PAK&to=USA%3Aconus" in page.url or "#reach?from=PAK&to=USA:conus" in page.url
    poll(page, "() => document.querySelector('#to').value === 'USA:conus'")
    wait_status(page, "ready", "updated")
    assert page.input_value("#from") == "PAK"
    assert not blocked, blocked
    assert not problems, problems
    page.close()


def test_claim_url_opens_and_checks_that_card(browser, server: str) -> None:
    claim = "pakistan-fifth-most-populous"
    page, problems, blocked = open_page(browser, f"{server}/?claim={claim}")
    card = page.locator(f".claim-card[data-claim='{claim}']")
    wait_verdict(page, claim)
    api = httpx.get(f"{server}/api/claims/check", params={"id": claim}, timeout=120).json()["verdicts"][0]
    assert "highlight" in (card.get_attribute("class") or "")
    assert card.get_attribute("data-verdict") == api["verdict"]
    assert card.locator(".cc-evidence").is_visible()
    assert card.locator(".cc-table tbody tr").count() == len(api["settings"])
    top = page.evaluate("id => document.querySelector(`.claim-card[data-claim='${id}']`).getBoundingClientRect().top",
                        claim)
    assert 0 <= top < 1000, "the card is not scrolled into view"
    assert not blocked and not problems, (blocked, problems)
    page.close()


def test_reach_hash_sets_the_reach_panel(browser, server: str) -> None:
    page, problems, blocked = open_page(browser, f"{server}/#reach?from=PAK&to=USA:conus")
    wait_status(page, "ready", "updated")
    assert page.input_value("#from") == "PAK" and page.input_value("#to") == "USA:conus"
    assert "United States" in page.text_content("#map-title") or "USA" in page.text_content("#map-title")
    assert not blocked and not problems, (blocked, problems)
    page.close()
