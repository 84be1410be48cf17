"""The claims section of the workbench in headless Chromium (offline, under the page's own CSP).

The page opens on the claims: one card per claim of GET /api/claims, grouped by commentary; checking a card shows
the API's verdict and robustness; "Show the evidence" lists the settings; ``/?claim=<id>`` (the ClaimReview url)
opens and checks that card; "Open the panel" puts the reach parameters in the URL and the reach panel reads them.
A screenshot of the section goes to ``out/claims.png``.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .conftest import EVIDENCE_DIR, OUT, QUERY_TIMEOUT_MS, poll, serve
from .conftest import open_page as open_offline_page

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def server(geo_ready: None) -> Iterator[str]:
    """Base URL of a uvicorn process serving the app (the evidence data sets when present)."""
    yield from serve(EVIDENCE_DIR if EVIDENCE_DIR.is_dir() else None)


def wait_status(page, *texts: str) -> str:
    """Wait until the reach panel's #status reads one of ``texts`` (fails on "error")."""
    status = str(poll(page, "ts => { const s = document.querySelector('#status').textContent;"
                            " return [...ts, 'error'].includes(s) ? s : ''; }", list(texts)))
    assert status in texts, (status, page.text_content("#error"))
    return status


CLAIM = "no-pakistani-missile-reaches-us"


def open_page(browser, url: str) -> tuple[object, list[str], list[str]]:
    """An offline page at ``url`` under its CSP (conftest.open_page), once the claims section is ready."""
    page, problems, blocked = open_offline_page(browser, url)
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
    # the claim's view ticks the longest-range system on the map
    assert "system=shaheen-3" in page.url
    poll(page, "() => document.querySelector(\"#systems input[value='shaheen-3']\")?.checked === true")
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


def test_reach_hash_ticks_systems(browser, server: str) -> None:
    """`system=ID` (repeated) ticks those systems; with range_km the range stays as given, without it the range is
    the longest ticked system's; a later hash with other systems re-ticks without a new query."""
    page, problems, blocked = open_page(
        browser, f"{server}/#reach?from=PAK&to=IND:andaman-nicobar&range_km=2750&system=shaheen-3&system=ababeel")
    wait_status(page, "ready", "updated")
    ticked = "() => [...document.querySelectorAll('#systems input:checked')].map(i => i.value).sort().join(',')"
    poll(page, f"() => ({ticked})() === 'ababeel,shaheen-3'")
    assert page.text_content("#fig-range").replace("\u202f", " ").startswith("2,750")
    systems = httpx.get(f"{server}/api/reach/systems", params={"from": "PAK", "to": "IND:andaman-nicobar"},
                        timeout=120).json()["systems"]
    high = max(s["range_km"]["high"] for s in systems if s["id"] == "ababeel")
    page.evaluate("() => { location.hash = '#reach?from=PAK&to=IND:andaman-nicobar&system=ababeel'; }")
    poll(page, f"() => ({ticked})() === 'ababeel'")
    poll(page, f"() => document.querySelector('#fig-range').textContent.replace(/[^0-9]/g, '') === '{round(high)}'")
    assert not blocked and not problems, (blocked, problems)
    page.close()
