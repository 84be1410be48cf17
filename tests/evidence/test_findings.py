"""The table of published findings (``data/evidence/findings.yml``): schema, sources, arithmetic, flags, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from equilibrium.errors import DataError
from equilibrium.evidence.findings import Finding, FindingValue, findings, findings_file, load_findings, to_dict
from equilibrium.provenance import load_bibliography


def _by_id() -> dict[str, Finding]:
    return {f.id: f for f in findings()}


def _line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first ``needle`` (after the first ``after``, if given)."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


def test_shipped_table_validates() -> None:
    rows = findings()
    assert len(rows) >= 10
    assert len({f.id for f in rows}) == len(rows)
    for wanted in ("hse-1990-overall", "pape-1997-recoding", "hseo-2007-overall", "ties-threats-not-imposed",
                   "gsdb-2020-trend", "un-tsc-effectiveness", "early-spice-black-knights", "drezner-2003-threats",
                   "bapat-morgan-2009-multilateral", "elliott-1998-reply"):
        assert wanted in _by_id(), wanted


def test_every_source_id_resolves() -> None:
    bib = load_bibliography()
    missing = [(f.id, s) for f in findings() for s in f.source_ids() if s not in bib]
    assert not missing, missing


def test_hse_40_of_115_is_34_percent_within_rounding() -> None:
    (v,) = _by_id()["hse-1990-overall"].values
    assert (v.numerator, v.denominator, v.value) == (40, 115, 0.34)
    assert v.counts_share == pytest.approx(0.3478, abs=1e-4)
    assert v.consistent()  # 0.3478 truncated to two digits is the published 34 percent
    # 0.33 is neither the rounded (0.35) nor the truncated (0.34) form of 40/115.
    with pytest.raises(ValidationError, match="40/115"):
        FindingValue(label="x", unit="share", value=0.33, numerator=40, denominator=115, sources=["s"])


def test_every_share_agrees_with_its_counts() -> None:
    for f in findings():
        for v in f.values:
            assert v.consistent(), (f.id, v.label)
            if v.unit == "share":
                assert all(0 <= x <= 1 for x in (v.value, v.min, v.max) if x is not None), (f.id, v.label)


def test_pape_recoding_accounts_for_all_40_hse_successes() -> None:
    pape = _by_id()["pape-1997-recoding"]
    counts = [v for v in pape.values if v.unit == "count"]
    assert all(v.denominator == 40 for v in counts)
    assert sum(v.value or 0 for v in counts) == 40
    overall = next(v for v in pape.values if v.unit == "share")
    assert (overall.numerator, overall.denominator) == (5, 115) and overall.value is not None and overall.value < 0.05


def test_unverified_entries_are_flagged_everywhere() -> None:
    rows = _by_id()
    unverified = {f.id for f in rows.values() if f.unverified}
    assert {"ties-threats-not-imposed", "early-spice-black-knights"} <= unverified
    for fid in unverified:
        f = rows[fid]
        assert f.verification.checked.strip()
        shown = f.to_dict()
        assert shown["unverified"] is True
        assert all(v["unverified"] is True for v in shown["values"])
    early = rows["early-2015-busted"]
    assert not early.unverified and early.partly_unverified
    table = to_dict()
    assert table["unverified"] == len(unverified) and table["count"] == len(rows)


def test_an_unverified_finding_needs_unverified_values() -> None:
    raw = _by_id()["ties-threats-not-imposed"].model_dump()
    raw["values"][0]["unverified"] = False
    with pytest.raises(ValidationError, match="unverified"):
        Finding.model_validate(raw)


def test_value_sources_must_be_listed_on_the_finding() -> None:
    raw = _by_id()["hse-1990-overall"].model_dump()
    raw["values"][0]["sources"] = ["not-listed-here"]
    with pytest.raises(ValidationError, match="not-listed-here"):
        Finding.model_validate(raw)


def test_every_base_rate_says_what_to_compare_it_with() -> None:
    for f in findings():
        if f.kind == "base_rate":
            assert f.compare_with, f.id
        for c in f.compare_with:
            assert c.why_differs.strip(), (f.id, c.measure)


def test_to_dict_is_json_with_references() -> None:
    table = to_dict(bib=load_bibliography())
    text = json.dumps(table)
    first = table["findings"][0]
    assert first["id"] == "hse-1990-overall"
    refs = {r["id"]: r for r in first["references"]}
    assert refs["pape-1998-is"]["kind"] == "academic" and "locator" in refs["pape-1998-is"]
    assert "counts_share" in first["values"][0]
    assert "findings" in json.loads(text)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "findings.yml"
    shutil.copy(findings_file(), dest)
    return dest


def test_malformed_share_reports_file_and_line(copy: Path) -> None:
    text = copy.read_text(encoding="utf-8")
    line = _line_of(text, "- label: overall", after="id: hse-1990-overall")
    copy.write_text(text.replace("numerator: 40\n", "numerator: 30\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_findings(copy)
    assert any(e.startswith(f"{copy}:{line}:") and "hse-1990-overall" in e and "30/115" in e
               for e in exc.value.errors), exc.value.errors


def test_unresolved_source_reports_file_and_line(copy: Path) -> None:
    text = copy.read_text(encoding="utf-8")
    needle = "sources: [pape-1998-is, wilsonquarterly-sanctions-dud, drezner-2003-io]"
    line = _line_of(text, needle)
    bad = text.replace(needle, needle.replace("]", ", nosuch-1999]"), 1)
    listed = "  - {id: drezner-2003-io, locator: \"introduction ('34 percent')\"}"
    bad = bad.replace(listed, listed + "\n      - {id: nosuch-1999}", 1)
    copy.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_findings(copy)
    hits = [e for e in exc.value.errors if "nosuch-1999" in e]
    assert any(e.startswith(f"{copy}:{line}:") for e in hits), exc.value.errors


def test_missing_field_and_bad_yaml_report_file_and_line(copy: Path) -> None:
    text = copy.read_text(encoding="utf-8")
    start = text.index("  - id: elliott-1998-reply")
    line = _line_of(text, "  - id: elliott-1998-reply")
    cut = text.index("    definition:", start)
    end = text.index("\n", cut) + 1
    copy.write_text(text[:cut] + text[end:], encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_findings(copy)
    assert any(e.startswith(f"{copy}:{line}:") and "definition" in e for e in exc.value.errors), exc.value.errors

    copy.write_text("findings:\n  - id: x\n    title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_findings(copy)
    assert exc.value.errors and exc.value.errors[0].startswith(f"{copy}:")


def test_compare_with_names_a_computed_share(copy: Path) -> None:
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("measure: hse_success_share\n", "measure: hse_score_success_share\n", 1),
                    encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_findings(copy)
    assert any("hse_score_success_share" in e and "hse_success_share" in e for e in exc.value.errors)


def test_comparison_subset_options() -> None:
    un = next(c for f in findings() for c in f.compare_with if c.sender)
    assert un.base_rate_options() == {"sender": "UN"} and "UN" in un.subset_text()
