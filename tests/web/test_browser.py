"""The workbench in headless Chromium (Debian's /usr/bin/chromium via Python Playwright), offline.

Starts uvicorn on a free localhost port, blocks every request that is not to that server, and checks that the
page loads, that a query draws a reach polygon, and that the figures on the page are the API's. The slider's
redraw time is measured and printed (not asserted); a screenshot goes to ``out/``.
"""

from __future__ import annotations

import os
import socket
import statistics
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
        cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1"})
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


@pytest.fixture(scope="module")
def page_and_blocked(server: str) -> Iterator[tuple[object, list[str], list[str]]]:
    """A Playwright page on the workbench with every non-localhost request aborted (and recorded)."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []

    def route(r) -> None:
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/")
        yield page, blocked, errors
        browser.close()


def wait_status(page, *texts: str) -> str:
    cond = " || ".join(f"document.querySelector('#status').textContent === {t!r}" for t in texts)
    page.wait_for_function(cond, timeout=QUERY_TIMEOUT_MS)
    return page.text_content("#status")


def set_slider(page, km: int) -> None:
    """Move the range slider to ``km`` as a user would (an ``input`` event)."""
    page.eval_on_selector(
        "#range", f"el => {{ el.value = '{km}'; el.dispatchEvent(new Event('input', {{bubbles: true}})); }}")


def test_page_loads_offline(page_and_blocked) -> None:
    page, blocked, errors = page_and_blocked
    assert wait_status(page, "ready", "updated") in ("ready", "updated")
    assert page.title().startswith("Equilibrium")
    assert page.locator("#from option").count() > 100
    assert page.input_value("#from") == "PAK"
    assert page.locator("#map svg path.land").get_attribute("d")
    assert "disputed" in page.text_content("#boundary-note")
    assert not blocked, f"the page tried to reach the network: {blocked}"
    assert not errors, errors


def test_query_draws_reach_and_matches_api(page_and_blocked, server) -> None:
    page, blocked, errors = page_and_blocked
    wait_status(page, "ready", "updated")
    page.select_option("#to", "IND:andaman-nicobar")
    wait_status(page, "updated")
    set_slider(page, 1800)
    assert page.text_content("#status") == "working"
    wait_status(page, "updated")

    d = page.get_attribute("#map svg path.reach", "d")
    assert d and len(d) > 100, "no reach polygon drawn"

    api = httpx.get(f"{server}/api/reach/coverage",
                    params={"from": "PAK", "to": "IND:andaman-nicobar", "range_km": 1800}, timeout=120).json()
    dist = httpx.get(f"{server}/api/reach/distance",
                     params={"from": "PAK", "to": "IND:andaman-nicobar"}, timeout=120).json()
    assert page.text_content("#range-value") == "1,800 km"
    assert page.text_content("#area-fraction") == f"{100 * api['area_fraction']:.1f} %"
    assert page.text_content("#population-fraction") == (
        "—" if api["population_fraction"] is None else f"{100 * api['population_fraction']:.1f} %")
    assert float(page.get_attribute("#area-fraction", "data-value")) == pytest.approx(api["area_fraction"], abs=1e-9)
    assert page.text_content("#nearest-km") == f"{round(dist['nearest_km']):,} km"
    assert page.text_content("#cities-in").startswith(f"{api['cities_in_range']:,} of {api['cities_total']:,}")
    assert not blocked and not errors, (blocked, errors)


def test_system_checkbox_and_redraw_speed(page_and_blocked, server) -> None:
    page, blocked, errors = page_and_blocked
    wait_status(page, "ready", "updated")
    page.select_option("#to", "IND")
    wait_status(page, "updated")
    systems = httpx.get(f"{server}/api/reach/systems", params={"from": "PAK", "to": "IND"}, timeout=120).json()
    longest = max(systems["systems"], key=lambda s: s["range_km"]["high"])
    box = page.locator(f"#systems input[value='{longest['id']}']")
    box.check()
    wait_status(page, "updated")
    assert page.locator("#map svg path.system-reach").count() >= 1
    assert page.text_content("#range-value") == f"{round(longest['range_km']['high']):,} km"
    api = httpx.get(f"{server}/api/reach/coverage",
                    params={"from": "PAK", "to": "IND", "range_km": longest["range_km"]["high"]}, timeout=120).json()
    assert page.text_content("#area-fraction") == f"{100 * api['area_fraction']:.1f} %"

    # Redraw time of the slider: synchronous input handler (contour + path + preview figures), in the page.
    times = page.evaluate("""() => {
        const el = document.querySelector('#range');
        const out = [];
        for (let km = 0; km <= 15000; km += 250) {
            el.value = String(km);
            const t0 = performance.now();
            el.dispatchEvent(new Event('input', {bubbles: true}));
            out.push(performance.now() - t0);
        }
        return out;
    }""")
    print(f"\nslider redraw over {len(times)} positions: median {statistics.median(times):.1f} ms, "
          f"p90 {sorted(times)[int(0.9 * len(times))]:.1f} ms, max {max(times):.1f} ms")
    set_slider(page, 2750)
    wait_status(page, "updated")
    OUT.mkdir(exist_ok=True)
    shot = OUT / "web-reach.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert not blocked and not errors, (blocked, errors)


def test_unknown_target_shows_problem_with_suggestions(page_and_blocked) -> None:
    page, blocked, errors = page_and_blocked
    wait_status(page, "ready", "updated")
    page.fill("#to-custom", "Indai")
    page.click("#to-custom-form button")
    wait_status(page, "error")
    text = page.text_content("#error")
    assert page.is_visible("#error") and "Indai" in text and "Did you mean" in text
    page.select_option("#to", "IND")
    wait_status(page, "updated")
    assert page.is_hidden("#error")
    assert not blocked and not errors, (blocked, errors)
