"""The brief's dynamics section: registered after the evidence section; on the real data files it shows the
Richardson estimates (equal to a fit computed here), the findings with verdicts, the backtest verdict for Pakistan and
India, the alignment drift summary and the scenario difference, every citation resolving; without the data files it
renders and names each missing file with its publisher."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from equilibrium.report.brief import SECTION_BUILDERS, render_brief

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dynamics"


def _section(page: str) -> str:
    m = re.search(r'<section id="dynamics">(.*?)</section>\s*<section id="references">', page, flags=re.S)
    assert m, "no dynamics section"
    return m.group(1)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _check_citations(page: str) -> None:
    assert "\u27e6cite:" not in page, "a citation placeholder was left unnumbered"
    assert "Unresolved source id" not in page
    cited = {int(n) for n in re.findall(r'href="#ref-(\d+)"', page)}
    assert cited, "the section cites nothing"
    listed = re.findall(r'<ol class="refs">(.*?)</ol>', page, flags=re.S)
    assert listed
    assert cited <= set(range(1, len(re.findall(r"<li", listed[0])) + 1))


def test_registered_after_evidence() -> None:
    from equilibrium.report.dynamics_section import dynamics_section
    from equilibrium.report.evidence_section import evidence_section

    assert SECTION_BUILDERS.index(dynamics_section) == SECTION_BUILDERS.index(evidence_section) + 1


def test_without_data_files_names_each_missing_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from equilibrium.dynamics.data import dataset_info
    from equilibrium.report.dynamics_section import dynamics_section

    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(tmp_path))
    page = render_brief(sections=[dynamics_section], generated="2025-01-01", figures=False)
    sec = _section(page)
    assert "could not be built" not in sec
    missing = re.search(r'<ul id="dynamics-missing">(.*?)</ul>', sec, flags=re.S)
    assert missing, "no list of missing data files"
    for ds in ("sipri-milex", "voeten-idealpoints"):
        item = re.search(rf'<li data-dataset="{ds}">(.*?)</li>', missing.group(1), flags=re.S)
        assert item, ds
        info = dataset_info(ds)
        assert info.publisher in _text(item.group(1)) and info.obtain in _text(item.group(1)), ds
    # every part says it was not computed, and why, instead of failing
    assert _text(sec).count("not computed:") == 4  # fit, backtest (once for both targets), alignment, scenario
    assert 'id="dynamics-fits"' not in sec and 'id="dynamics-diff"' not in sec
    _check_citations(page)


# ------------------------------------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def real_page() -> str:
    if not SHARED.is_dir():
        pytest.skip(f"real dynamics data folder {SHARED} is absent")
    from equilibrium.report.dynamics_section import dynamics_section

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EQUILIBRIUM_DATA_DIR", str(SHARED))
        return render_brief(sections=[dynamics_section], generated="2025-01-01", figures=True)


@pytest.mark.realdata
def test_real_data_section_shows_the_key_numbers(real_page: str) -> None:
    from equilibrium.dynamics import arms
    from equilibrium.dynamics import data as ddata
    from equilibrium.report.dynamics_section import DIFF_YEARS_AHEAD, N_RUNS

    sec = _section(real_page)
    assert "could not be built" not in sec and "not computed:" not in _text(sec)
    assert "dynamics-missing" not in sec and 'class="note error"' not in sec
    # the Richardson estimates equal a fit computed here from the SIPRI file (to 1e-9)
    wide = ddata.series(ddata.load_milex(SHARED).frame, ["IND", "PAK"], "milex_usd_m")
    for actor, rival in (("PAK", "IND"), ("IND", "PAK")):
        fit = arms.fit_richardson(wide, actor, [rival])
        row = re.search(rf'<tr data-actor="{actor}">(.*?)</tr>', sec, flags=re.S)
        assert row, actor
        shown = float(re.search(rf'data-coef="k_{rival}" data-value="([^"]+)"', row.group(1)).group(1))
        assert shown == pytest.approx(fit.params[f"k_{rival}"], abs=1e-9)
        assert f"{fit.params[f'k_{rival}']:+.3f}".replace("-", "−") in _text(row.group(1))
    assert re.search(r'data-rank="\d"', sec)
    # the published findings, each with a verdict and a citation
    rows = re.findall(r'<tr data-finding="([^"]+)" data-verdict="(agree|disagree|inconclusive)">(.*?)</tr>', sec,
                      flags=re.S)
    assert len(rows) >= 5
    assert all('class="cite"' in r[2] or "#ref-" in r[2] for r in rows)
    # the backtest verdict in words for both targets, and the table's shaded cells
    words = dict(re.findall(r'<p class="dynamics-backtest-words" data-target="(\w+)">(.*?)</p>', sec, flags=re.S))
    assert set(words) == {"PAK", "IND"}
    for t in ("PAK", "IND"):
        assert "random walk with drift" in words[t] and "forecasting skill" in words[t]
    assert 'class="num skilful"' in sec
    # the alignment drift summary, measure by measure
    drift = re.search(r'<ul id="dynamics-drift">(.*?)</ul>', sec, flags=re.S)
    assert drift and 'data-measure="idealpoint_distance"' in drift.group(1)
    assert "ideal-point distance" in _text(drift.group(1))
    # the scenario: the fan chart and the paired difference at the tabulated years
    assert sec.count("<figure>") == 2  # the expenditure series and the fan charts
    diff = re.search(r'<table id="dynamics-diff"(.*?)</table>', sec, flags=re.S)
    assert diff
    cost = re.search(r'<tr data-output="cost_pct_gdp">(.*?)</tr>', diff.group(1), flags=re.S)
    assert cost
    values = [float(v) for v in re.findall(r'data-value="([^"]+)"', cost.group(1))]
    assert len(values) == len(DIFF_YEARS_AHEAD)
    assert all(v > 0 for v in values) and values == sorted(values)  # sanctions cost more, and cumulate
    assert f"{N_RUNS:,} runs" in _text(sec)
    _check_citations(real_page)
