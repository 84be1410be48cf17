"""The brief's evidence section: registered after the sanctions section; with the shared data sets its numbers equal
``base_rates`` for the chosen goal codes and every citation resolves; with an empty data directory it still renders
the published findings and how to obtain each data set."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from equilibrium.report.brief import SECTION_BUILDERS, render_brief

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "evidence"


def _section(page: str) -> str:
    m = re.search(r'<section id="evidence">(.*?)</section>\s*<section id="references">', page, flags=re.S)
    assert m, "no evidence section"
    return m.group(1)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _refs(page: str) -> list[str]:
    return re.findall(r'<li id="ref-(\d+)"', page)


def _render(monkeypatch: pytest.MonkeyPatch, data_dir: Path, figures: bool = False) -> str:
    from equilibrium.report.evidence_section import evidence_section as _evidence_builder

    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(data_dir))
    return render_brief(sections=[_evidence_builder], generated="2025-01-01", figures=figures)


def _check_citations(page: str) -> None:
    assert "\u27e6cite:" not in page, "a citation placeholder was left unnumbered"
    assert "Unresolved source id" not in page
    cited = {int(n) for n in re.findall(r'href="#ref-(\d+)"', page)}
    assert cited, "the section cites nothing"
    listed = re.findall(r'<ol class="refs">(.*?)</ol>', page, flags=re.S)
    assert listed
    n_refs = len(re.findall(r"<li", listed[0]))
    assert cited <= set(range(1, n_refs + 1))


def test_registered_after_sanctions() -> None:
    from equilibrium.report.evidence_section import evidence_section as _evidence_builder
    from equilibrium.report.sanctions_section import sanctions_section as _sanctions_builder

    assert SECTION_BUILDERS.index(_evidence_builder) == SECTION_BUILDERS.index(_sanctions_builder) + 1


def test_empty_data_dir_renders_findings_and_obtain_notes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from equilibrium.evidence import DATASETS, codebook
    from equilibrium.evidence.findings import findings

    page = _render(monkeypatch, tmp_path)
    sec = _section(page)
    assert "could not be built" not in sec
    missing = re.search(r'<ul id="evidence-missing">(.*?)</ul>', sec, flags=re.S)
    assert missing, "no list of missing data sets"
    for ds in DATASETS:
        cb = codebook(ds)
        item = re.search(rf'<li data-dataset="{ds}">(.*?)</li>', missing.group(1), flags=re.S)
        assert item, ds
        text = _text(item.group(1))
        assert cb.publisher in text and cb.obtain in text, ds
    assert 'id="evidence-no-data"' in sec and 'id="evidence-base-rates"' not in sec
    for f in findings():
        assert f'data-finding="{f.id}"' in sec, f.id
    n_unverified = sum(1 for f in findings() if f.unverified)
    assert sec.count('data-unverified="true"') == n_unverified
    _check_citations(page)


# ------------------------------------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def real_page() -> str:
    if not SHARED.is_dir() or not any(SHARED.iterdir()):
        pytest.skip(f"evidence data absent from {SHARED}")
    from equilibrium.report.evidence_section import evidence_section as _evidence_builder

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EQUILIBRIUM_DATA_DIR", str(SHARED))
        return render_brief(sections=[_evidence_builder], generated="2025-01-01", figures=True)


def _goal_frame(ds: str, codes: tuple[str, ...]) -> object:
    """The tidy table restricted to rows with one of ``codes`` among their issues (written here, not imported)."""
    from equilibrium.evidence import load

    df = load(ds, SHARED)
    return df[df["issues"].map(lambda t: any(c in t for c in codes))]


EXPECTED_CODES = {"gsdb": ("prevent_war",), "ties": ("end_proliferation", "deny_strategic_materials"),
                  "eusanct": ("end_proliferation", "deny_strategic_materials"),
                  "china-ties": ("end_proliferation", "deny_strategic_materials")}


@pytest.mark.realdata
def test_codes_are_stated(real_page: str) -> None:
    from equilibrium.report.evidence_section import goal_codes

    assert {ds: goal_codes(ds) for ds in EXPECTED_CODES} == EXPECTED_CODES
    sec = _section(real_page)
    codes = re.search(r'<ul id="evidence-codes">(.*?)</ul>', sec, flags=re.S)
    assert codes
    for ds, cs in EXPECTED_CODES.items():
        item = re.search(rf'<li data-dataset="{ds}">(.*?)</li>', codes.group(1), flags=re.S)
        assert item, ds
        for c in cs:
            assert c in item.group(1), (ds, c)


def _cells(sec: str, ds: str, rate: str) -> dict[str, tuple[int, int, float | None]]:
    row = re.search(rf'<tr data-dataset="{ds}" data-rate="{rate}">(.*?)</tr>', sec, flags=re.S)
    assert row, (ds, rate)
    out: dict[str, tuple[int, int, float | None]] = {}
    for key, body in re.findall(r'data-subset="(\w+)">(.*?)</td>', row.group(1), flags=re.S):
        m = re.search(r'data-k="(\d+)" data-n="(\d+)"(?: data-share="([^"]+)")?', body)
        if m:
            out[key] = (int(m.group(1)), int(m.group(2)), float(m.group(3)) if m.group(3) else None)
    return out


@pytest.mark.realdata
def test_numbers_equal_base_rates(real_page: str) -> None:
    from equilibrium.evidence import base_rates, load

    sec = _section(real_page)
    assert 'id="evidence-missing"' not in sec
    headline = {"gsdb": "success_any_share", "ties": "imposed_target_acquiesced_share",
                "eusanct": "hse_success_share", "china-ties": "imposed_target_acquiesced_share"}
    for ds, rate in headline.items():
        kw = {"role": "target"} if ds == "china-ties" else {}
        full = load(ds, SHARED)
        goal = _goal_frame(ds, EXPECTED_CODES[ds])
        expected = {"all": base_rates(ds, full, **kw)["rates"][rate],
                    "goal": base_rates(ds, goal, **kw)["rates"][rate],
                    "us_all": base_rates(ds, full, sender="USA", **kw)["rates"][rate],
                    "us_goal": base_rates(ds, goal, sender="USA", **kw)["rates"][rate]}
        got = _cells(sec, ds, rate)
        for key, r in expected.items():
            if key.startswith("us") and r["n"] < 10:
                assert key not in got, (ds, key)
                continue
            assert got[key][:2] == (r["k"], r["n"]), (ds, key)
            if r["n"]:
                assert got[key][2] == pytest.approx(r["share"])
    # a single-code goal group is exactly base_rates' own issue filter
    gsdb = base_rates("gsdb", path=SHARED, objective="prevent_war")["rates"]["success_total_share"]
    assert _cells(sec, "gsdb", "success_total_share")["goal"][:2] == (gsdb["k"], gsdb["n"])
    # the reading states the GSDB share and its interval as computed
    m = re.search(r'<div id="evidence-reading">(.*?)</div>', sec, flags=re.S)
    assert m
    reading = _text(m.group(1))
    all_gsdb = base_rates("gsdb", path=SHARED)["rates"]["success_any_share"]
    lo, hi = all_gsdb["ci95"]
    assert (f"{100 * all_gsdb['share']:.0f} % (95 % CI {100 * lo:.0f}–{100 * hi:.0f} %; "
            f"{all_gsdb['k']:,} of {all_gsdb['n']:,})") in reading
    assert "concluded case–objective pairs ended in total or partial success" in reading
    assert "selection" in reading


@pytest.mark.realdata
def test_findings_side_by_side(real_page: str) -> None:
    from equilibrium.evidence import base_rates
    from equilibrium.evidence.findings import findings

    sec = _section(real_page)
    for f in findings():
        assert f'data-finding="{f.id}"' in sec
    row = re.search(r'data-dataset="eusanct" data-measure="hse_success_share">(.*?)</td>', sec, flags=re.S)
    assert row
    r = base_rates("eusanct", path=SHARED)["rates"]["hse_success_share"]
    assert f'data-k="{r["k"]}" data-n="{r["n"]}"' in row.group(1)
    assert "no computed counterpart" not in sec


@pytest.mark.realdata
def test_south_asia_episodes(real_page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from equilibrium.evidence import cases
    from equilibrium.questions.evidence import record_actions

    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(SHARED))
    sec = _section(real_page)
    table = re.search(r'<table id="evidence-episodes".*?</table>', sec, flags=re.S)
    assert table
    actions, record = record_actions()
    pak = cases("PAK", role="target", actions=actions, record=record)
    linked = [e for e in pak["cases"] if e["links"]]
    assert linked
    for e in linked:
        assert f'data-dataset="{e["dataset"]}" data-case="{e["case_id"]}"' in table.group(0)
        for a in e["links"]:
            assert a["action"] in table.group(0)


@pytest.mark.realdata
def test_citations_resolve_and_figure(real_page: str) -> None:
    from equilibrium.evidence import DATASETS, codebook

    _check_citations(real_page)
    sec = _section(real_page)
    assert sec.count('src="data:image/png;base64,') == 1
    refs = re.search(r'<section id="references">(.*?)</section>', real_page, flags=re.S)
    assert refs
    for ds in DATASETS:
        for sid in codebook(ds).sources:
            assert f"[{sid};" in _text(refs.group(1)), sid
