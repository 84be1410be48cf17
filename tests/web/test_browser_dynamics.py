"""The dynamics panel in headless Chromium (offline), on the real data files in ../shared/data/dynamics.

Starts uvicorn with ``EQUILIBRIUM_DATA_DIR`` pointing at the dynamics data folder, presses the panel's load button
and waits for the series chart, the findings table, the backtest table and a fan chart; one number of each table is
compared with the API's answer. A screenshot of the panel goes to ``out/dynamics.png``.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, DYNAMICS_DIR, OUT, offline_route, serve

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

LOAD_TIMEOUT_MS = 240_000
"""The four parts (fit, backtest, alignment, a 2,000-run ensemble with its comparison) on a busy two-core machine."""
DATASET = "Object.assign({}, document.querySelector('#dynamics').dataset)"
"""The panel's data attributes (ready, and the state of each part)."""


@pytest.fixture(scope="module")
def server(geo_ready: None) -> Iterator[str]:
    """Base URL of a uvicorn process serving the app with the dynamics data folder."""
    if not DYNAMICS_DIR.is_dir():
        pytest.skip(f"real dynamics data folder {DYNAMICS_DIR} is absent")
    yield from serve(DYNAMICS_DIR)


def test_dynamics_panel_series_findings_backtest_fans(server: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []
    route = offline_route(blocked)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000}, bypass_csp=True)
        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/")
        # lazy: nothing is asked before the button is pressed
        assert page.text_content("#dynamics-status") == "idle"
        assert page.get_attribute("#dynamics", "data-ready") == "false"
        page.locator("#dynamics").scroll_into_view_if_needed()
        page.click("#dynamics-load")
        try:
            page.wait_for_function("document.querySelector('#dynamics').dataset.ready === 'true'",
                                   timeout=LOAD_TIMEOUT_MS)
        except PlaywrightTimeout:
            pytest.fail(f"the dynamics panel did not load in {LOAD_TIMEOUT_MS / 1000:.0f} s; status "
                        f"{page.text_content('#dynamics-status')!r}, parts {page.evaluate(DATASET)}")
        parts = page.evaluate(DATASET)
        assert {k: parts[k] for k in ("fit", "backtest", "alignment", "run")} == dict.fromkeys(
            ("fit", "backtest", "alignment", "run"), "ready"), parts
        assert page.text_content("#dynamics-status") == "ready"

        # the series chart: three countries' lines on a log axis, the tested break years marked
        fit = httpx.get(f"{server}/api/dynamics/fit", params={"system": "bilateral", "form": "levels"},
                        timeout=120).json()
        n_points = sum(1 for vals in fit["series"]["values"].values() for v in vals if v is not None and v > 0)
        assert int(page.get_attribute("#dynamics-series", "data-rows")) == n_points
        assert page.locator("#dynamics-series svg [aria-label='line'] path").count() == 3
        assert "1971" in page.text_content("#dynamics-series")  # a candidate break year, labelled
        # the fitted responses: Pakistan's reaction to India, as the API gives it
        k = fit["fits"]["fits"]["PAK"]["params"]["k_IND"]
        assert f"{'+' if k >= 0 else '−'}{abs(k):.3f}" in page.text_content("#dynamics-fits tr[data-actor='PAK']")

        # the findings with their verdicts and sources
        assert int(page.get_attribute("#dynamics-findings", "data-rows")) == len(fit["findings"]) >= 5
        for f in fit["findings"]:
            row = page.locator(f"#dynamics-findings tr[data-id='{f['id']}']")
            assert row.get_attribute("data-verdict") == f["verdict"]
            for sid in f["sources"]:
                assert row.locator(f"li[data-source='{sid}']").count() == 1

        # the backtest: MASE per model and horizon, skilful cells highlighted
        bt = httpx.get(f"{server}/api/dynamics/backtest", params={"target": "PAK"}, timeout=120).json()
        assert page.get_attribute("#dynamics-backtest", "data-target") == "PAK"
        s = next(x for x in bt["result"]["scores"] if x["model"] == "arima" and x["horizon"] == 1)
        cell = page.locator("#dynamics-backtest td[data-model='arima'][data-horizon='1']")
        assert cell.text_content() == f"{s['mase']:.2f}"
        n_skilful = sum(v for m, hs in bt["result"]["skill"].items() for v in hs.values())
        assert page.locator("#dynamics-backtest td.skilful").count() == n_skilful

        # alignment lines and the drift summary
        assert int(page.get_attribute("#dynamics-distance", "data-rows")) > 50
        assert "ideal-point distance" in page.text_content("#dynamics-drift")

        # fan charts: the three outputs, the scenario against the baseline, and the paired difference
        assert page.get_attribute("#dynamics-fans", "data-scenario") == "sanctions-intensify"
        assert int(page.get_attribute("#dynamics-fans", "data-charts")) == 3
        assert page.locator("#dynamics-fans .dyn-fan svg [aria-label='area'] path").count() == 6
        assert int(page.get_attribute("#dynamics-diff", "data-rows")) == 3

        assert page.is_hidden("#dynamics-error")
        assert errors == [] and blocked == []
        OUT.mkdir(exist_ok=True)
        page.wait_for_timeout(300)
        page.locator("#dynamics").screenshot(path=str(OUT / "dynamics.png"))
        browser.close()
