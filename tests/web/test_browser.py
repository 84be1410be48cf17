"""The workbench in headless Chromium (Debian's /usr/bin/chromium via Python Playwright), offline.

Starts uvicorn on a free localhost port, blocks every request that is not to that server, and checks that the
page loads, that a query draws a reach polygon, and that the figures on the page are the API's. The slider's
redraw time is measured and printed (not asserted); a screenshot goes to ``out/``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator

import httpx
import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, EVIDENCE_DIR, OUT, QUERY_TIMEOUT_MS, offline_route, serve

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def server(geo_ready: None) -> Iterator[str]:
    """Base URL of a uvicorn process serving the app (the evidence data sets when present)."""
    yield from serve(EVIDENCE_DIR if EVIDENCE_DIR.is_dir() else None)


@pytest.fixture(scope="module")
def page_and_blocked(server: str) -> Iterator[tuple[object, list[str], list[str]]]:
    """A Playwright page on the workbench with every non-localhost request aborted (and recorded)."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []
    route = offline_route(blocked)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        # bypass_csp: Playwright's own polling (wait_for_function) evaluates strings, which the page's
        # Content-Security-Policy (no 'unsafe-eval') forbids; the page itself is checked under its CSP below.
        page = browser.new_page(viewport={"width": 1500, "height": 1000}, bypass_csp=True)
        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/")
        yield page, blocked, errors
        browser.close()


def test_page_works_under_its_content_security_policy(server: str) -> None:
    """The workbench under its own CSP (scripts and styles from itself only, no eval): the opening map draws and the
    browser reports no CSP violation."""
    from playwright.sync_api import sync_playwright

    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        resp = page.goto(server + "/")
        assert resp is not None and "script-src 'self'" in (resp.headers.get("content-security-policy") or "")
        page.wait_for_selector("#map svg path", timeout=QUERY_TIMEOUT_MS)
        page.wait_for_timeout(1500)
        browser.close()
    assert violations == []


def wait_status(page, *texts: str) -> str:
    """Wait until #status reads one of ``texts``; fail at once (with the page's error box) if it reads "error"
    unexpectedly, and with the current status and error box on a timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    stop = [*texts, *(() if "error" in texts else ("error",))]
    cond = " || ".join(f"document.querySelector('#status').textContent === {t!r}" for t in stop)
    try:
        page.wait_for_function(cond, timeout=QUERY_TIMEOUT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"#status still reads {page.text_content('#status')!r} after {QUERY_TIMEOUT_MS / 1000:.0f} s "
                    f"(waiting for {texts}); #error: {page.text_content('#error')!r}")
    status = page.text_content("#status")
    if status not in texts:
        pytest.fail(f"#status reads {status!r} (waiting for {texts}); #error: {page.text_content('#error')!r}")
    return status


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


def wait_traj(page) -> str:
    """Wait until the trajectory panel is no longer working; its final status ("done" or "error")."""
    page.wait_for_function("['done', 'error'].includes(document.querySelector('#traj-status').textContent)",
                           timeout=QUERY_TIMEOUT_MS)
    return page.text_content("#traj-status")


@pytest.mark.slow
def test_trajectory_panel_max_range_and_physics_reach(page_and_blocked, server) -> None:
    page, blocked, errors = page_and_blocked
    wait_status(page, "ready", "updated")
    system = "shaheen-2"  # catalogue launch mass published: the vehicle needs no range calibration (fast)
    assert page.locator("#traj-system option").count() > 10
    classes = set(page.eval_on_selector_all("#traj-system option", "os => os.map((o) => o.dataset.class)"))
    assert classes <= {"SRBM", "MRBM", "IRBM", "ICBM", "SLBM"}, classes
    page.select_option("#traj-system", system)
    page.fill("#traj-lat", "30")
    page.fill("#traj-lon", "70")
    page.fill("#traj-az", "120")
    page.click("#traj-max")
    assert page.is_visible("#traj-busy") and page.text_content("#traj-status") == "working"
    assert wait_traj(page) == "done", page.text_content("#traj-error")
    assert page.is_hidden("#traj-busy") and page.is_hidden("#traj-error")

    api = httpx.post(f"{server}/api/trajectory/max-range", timeout=120, json={
        "system": system, "launch": {"lat_deg": 30, "lon_deg": 70, "azimuth_deg": 120}, "history": True}).json()
    assert page.text_content("#traj-range") == f"{round(api['range_km']):,} km"
    assert float(page.get_attribute("#traj-range", "data-value")) == pytest.approx(api["range_km"], abs=1e-9)
    assert page.text_content("#traj-apogee") == f"{round(api['apogee_km']):,} km"
    assert page.text_content("#traj-bo-speed") == f"{round(api['burnout']['speed_m_s']):,} m/s"
    assert api["system"]["calibration"] in page.text_content("#traj-calibration")
    assert page.locator("#traj-sources li").count() == len(api["system"]["sources"])
    assert page.locator("#traj-chart svg").count() >= 1
    assert page.locator("#traj-chart svg path").count() >= 2, "no altitude profile drawn"
    assert "burnout" in page.text_content("#traj-chart svg")

    # Reach from the physics for the page's FROM -> TO: a polygon on the map and a legend entry.
    frm, to = page.input_value("#from"), page.input_value("#to")
    page.click("#traj-reach")
    assert wait_traj(page) == "done", page.text_content("#traj-error")
    reach = httpx.get(f"{server}/api/trajectory/reach", params={"from": frm, "to": to, "system": system},
                      timeout=120).json()
    d = page.get_attribute("#map svg path.physics-reach", "d")
    assert d and len(d) > 100, "no physics reach polygon drawn"
    assert "reach from physics" in page.text_content("#legend")
    assert page.text_content("#phys-area") == f"{100 * reach['area_fraction']:.1f} %"
    assert page.text_content("#phys-reaches") == ("yes" if reach["reaches_nearest"] else "no")

    # Lofted test -> standard range (the form's example: Hwasong-14, 28 July 2017).
    page.wait_for_function("document.querySelectorAll('#loft-template option').length >= 4")
    page.select_option("#loft-template", "liquid-2stage")
    page.click("#loft-go")
    assert wait_traj(page) == "done", page.text_content("#traj-error")
    loft = httpx.post(f"{server}/api/trajectory/loft", timeout=120, json={
        "apogee_km": 2802, "range_km": 933, "time_s": 2280, "template": "liquid-2stage"}).json()
    assert page.text_content("#loft-standard") == f"{round(loft['standard_range_km']):,} km"
    assert "Burnout at 250 km" in page.text_content("#loft-residuals")
    assert "km" in page.text_content("#loft-template-band")

    # The screenshot: from the top of the page (map with the polygon) to the bottom of the trajectory panel.
    bottom = page.evaluate("() => document.querySelector('#trajectory').getBoundingClientRect().bottom + scrollY")
    OUT.mkdir(exist_ok=True)
    shot = OUT / "trajectory.png"
    page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": 1500, "height": bottom + 16})
    print(f"screenshot: {shot}")
    assert not blocked and not errors, (blocked, errors)


def wait_sanctions(page, country: str, *texts: str) -> None:
    """Wait until the sanctions panel has drawn ``country`` and its status is one of ``texts``."""
    page.wait_for_function(
        "([c, ts]) => { const r = document.querySelector('#sanctions');"
        " return r && r.dataset.ready === 'true' && r.dataset.country === c &&"
        " ts.includes(document.querySelector('#sanctions-status').textContent); }",
        arg=[country, list(texts)], timeout=QUERY_TIMEOUT_MS)


def test_sanctions_panel_timeline_network_asymmetry(page_and_blocked, server) -> None:
    page, blocked, errors = page_and_blocked
    wait_sanctions(page, "PAK", "ready", "updated")
    assert page.input_value("#sanctions-country") == "PAK"
    assert {"IND", "CHN"} <= set(page.eval_on_selector_all("#sanctions-country option", "os => os.map(o => o.value)"))
    net = httpx.get(f"{server}/api/sanctions/network", params={"country": "PAK"}, timeout=60).json()
    n_actions = sum(1 for n in net["nodes"] if n["group"] == "action")

    # Timeline: one mark per action (circles and diamonds drawn by Plot's dot mark).
    marks = page.locator("#sanctions-timeline svg [aria-label='dot'] :is(path, circle)").count()
    assert marks >= 5 and marks == n_actions == int(page.get_attribute("#sanctions-timeline", "data-marks"))
    # Network: cytoscape holds the API's nodes and edges.
    assert int(page.get_attribute("#sanctions-network", "data-nodes")) == net["counts"]["nodes"]
    assert page.evaluate("() => window.equilibriumSanctions.cy.nodes().length") == net["counts"]["nodes"]
    assert page.evaluate("() => window.equilibriumSanctions.cy.edges().length") == net["counts"]["edges"]
    assert page.locator("#sanctions-network canvas").count() >= 1
    # Asymmetry table: one row per year with an action on India or Pakistan.
    assert page.locator("#sanctions-asymmetry tbody tr").count() >= 5
    assert "India" in page.text_content("#sanctions-asymmetry thead")

    # A click on a node shows its details and sources.
    page.evaluate("() => window.equilibriumSanctions.cy.getElementById('action:us-2024-12-18-ndc-sdn').emit('tap')")
    details = page.text_content("#sanctions-details")
    assert "National Development Complex" in details and "E.O. 13382" in details
    assert page.locator("#sanctions-details .sources-list li").count() >= 2

    # Screening: candidates, or the note saying which command loads a list.
    page.fill("#sanctions-screen-q", "National Development Complex")
    page.click("#sanctions-screen-go")
    page.wait_for_function("['note', 'done'].includes(document.querySelector('#sanctions-screen-results')"
                           ".dataset.state)", timeout=QUERY_TIMEOUT_MS)
    if page.get_attribute("#sanctions-screen-results", "data-state") == "note":
        assert "sanctions ingest" in page.text_content("#sanctions-screen-results")

    page.locator("#sanctions").scroll_into_view_if_needed()
    OUT.mkdir(exist_ok=True)
    shot = OUT / "sanctions.png"
    page.locator("#sanctions").screenshot(path=str(shot))
    print(f"screenshot: {shot}")

    # Switching the country redraws the timeline and the network.
    page.select_option("#sanctions-country", "IND")
    wait_sanctions(page, "IND", "updated")
    ind = httpx.get(f"{server}/api/sanctions/network", params={"country": "IND"}, timeout=60).json()
    assert int(page.get_attribute("#sanctions-network", "data-nodes")) == ind["counts"]["nodes"]
    assert page.locator("#sanctions-timeline svg [aria-label='dot'] :is(path, circle)").count() == sum(
        1 for n in ind["nodes"] if n["group"] == "action")
    assert page.is_hidden("#sanctions-error")
    assert not blocked and not errors, (blocked, errors)


def wait_evidence(page, dataset: str, *texts: str) -> None:
    """Wait until the evidence panel has drawn ``dataset`` with its status one of ``texts`` (failing at once, with
    the panel's message, on "error" or "missing")."""
    page.wait_for_function(
        "([d, ts]) => { const r = document.querySelector('#evidence');"
        " const s = document.querySelector('#evidence-status').textContent;"
        " return ['error', 'missing'].includes(s) ||"
        " (r && r.dataset.ready === 'true' && r.dataset.dataset === d && ts.includes(s)); }",
        arg=[dataset, list(texts)], timeout=QUERY_TIMEOUT_MS)
    status = page.text_content("#evidence-status")
    assert status in texts, (status, page.text_content("#evidence-error"), page.text_content("#evidence-missing"))


@pytest.mark.realdata
def test_evidence_panel_intervals_findings_cases(page_and_blocked, server) -> None:
    if not EVIDENCE_DIR.is_dir():
        pytest.skip(f"real evidence data folder {EVIDENCE_DIR} is absent")
    page, blocked, errors = page_and_blocked
    wait_evidence(page, "gsdb", "ready", "updated")
    assert page.input_value("#evidence-by") == "objective"
    api = httpx.get(f"{server}/api/evidence/base-rate", params={"dataset": "gsdb", "by": "objective"},
                    timeout=60).json()
    # Interval bars: one row per objective, plus the "All" row; a dot per share with n > 0.
    rows = int(page.get_attribute("#evidence-intervals", "data-rows"))
    assert rows >= 5 and rows == len(api["groups"])
    measure = page.get_attribute("#evidence", "data-measure")
    assert measure == api["headline"]
    drawn = sum(1 for g in [api["rates"], *(g["rates"] for g in api["groups"])] if g[measure]["n"])
    assert page.locator("#evidence-intervals svg [aria-label='dot'] circle").count() == drawn
    head = api["rates"][measure]
    assert f"{100 * head['share']:.1f} %" in page.text_content("#evidence-summary")
    # Published findings beside our figures; unverified ones marked.
    page.wait_for_function("Number(document.querySelector('#evidence-findings').dataset.rows) >= 10",
                           timeout=QUERY_TIMEOUT_MS)
    assert page.locator("#evidence-findings tbody tr").count() >= 10
    assert page.locator("#evidence-findings tbody tr.unverified").count() >= 1
    assert "eusanct/hse-9" in page.text_content("#evidence-findings")
    assert int(page.get_attribute("#evidence-findings-plot", "data-rows")) >= 5
    # South Asia episodes: Pakistan first.
    page.wait_for_function("document.querySelector('#evidence-cases').dataset.country === 'PAK'",
                           timeout=QUERY_TIMEOUT_MS)
    assert page.locator("#evidence-cases tbody tr").count() >= 5
    assert page.is_hidden("#evidence-missing") and page.is_hidden("#evidence-error")

    page.locator("#evidence").scroll_into_view_if_needed()
    OUT.mkdir(exist_ok=True)
    shot = OUT / "evidence.png"
    page.locator("#evidence").screenshot(path=str(shot))
    print(f"screenshot: {shot}")

    # Switching the data set to TIES redraws the intervals by issue.
    page.select_option("#evidence-dataset", "ties")
    wait_evidence(page, "ties", "updated")
    assert page.input_value("#evidence-by") == "issue"
    ties = httpx.get(f"{server}/api/evidence/base-rate", params={"dataset": "ties", "by": "issue"}, timeout=60).json()
    assert int(page.get_attribute("#evidence-intervals", "data-rows")) == min(len(ties["groups"]), 30)
    assert page.get_attribute("#evidence", "data-measure") == ties["headline"]
    assert "TIES" in page.text_content("#evidence-rates-title")
    # India's episodes.
    page.select_option("#evidence-cases-country", "IND")
    page.wait_for_function("document.querySelector('#evidence-cases').dataset.country === 'IND'",
                           timeout=QUERY_TIMEOUT_MS)
    assert page.locator("#evidence-cases tbody tr").count() >= 1
    assert not blocked and not errors, (blocked, errors)
