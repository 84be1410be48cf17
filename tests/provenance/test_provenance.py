"""Bibliography and cited values: validation with file:line errors, intervals over disagreeing sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from equilibrium.catalog import load_catalog
from equilibrium.errors import DataError, NotFound
from equilibrium.provenance import CitedValue, bibliography, load_bibliography

GOOD_BIB = """\
sources:
  - id: a-2020
    title: A
    publisher: P
    kind: official
  - id: b-2021
    title: B
    publisher: Q
    kind: analyst
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_bibliography_loads() -> None:
    bib = bibliography()
    assert len(bib) >= 6
    assert bib.get("karney-2013").kind == "academic"


def test_unknown_source_suggests_close_match() -> None:
    with pytest.raises(NotFound) as exc:
        bibliography().get("karney-2012")
    assert "karney-2013" in exc.value.suggestions


def test_malformed_yaml_reports_file_and_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.yml", "sources:\n  - id: a\n    title: [unclosed\n")
    with pytest.raises(DataError) as exc:
        load_bibliography([p])
    assert f"{p}:" in exc.value.errors[0]


def test_invalid_entry_reports_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bib.yml", GOOD_BIB + "  - id: c\n    title: C\n    publisher: R\n    kind: rumour\n")
    with pytest.raises(DataError) as exc:
        load_bibliography([p])
    assert any(e.startswith(f"{p}:13") or e.startswith(f"{p}:14") for e in exc.value.errors), exc.value.errors


def test_duplicate_id_is_an_error(tmp_path: Path) -> None:
    p = write(tmp_path, "bib.yml", GOOD_BIB + "  - id: a-2020\n    title: A2\n    publisher: P\n    kind: press\n")
    with pytest.raises(DataError, match="duplicate"):
        load_bibliography([p])


def test_interval_over_disagreeing_sources() -> None:
    v = CitedValue.model_validate({
        "unit": "km",
        "values": [
            {"value": 1500, "sources": ["a-2020"]},
            {"min": 2000, "max": 2500, "sources": ["b-2021"], "unverified": True},
        ],
    })
    assert (v.low, v.high) == (1500, 2500)
    assert v.any_unverified and not v.all_unverified
    assert v.source_ids() == ["a-2020", "b-2021"]
    s = v.summary()
    assert s["low"] == 1500 and s["high"] == 2500 and len(s["values"]) == 2


def test_cited_value_needs_sources() -> None:
    with pytest.raises(ValueError):
        CitedValue.model_validate({"unit": "km", "value": 100})
    with pytest.raises(ValueError):
        CitedValue.model_validate({"unit": "km", "min": 300, "max": 100, "sources": ["a"]})


@given(st.lists(st.floats(min_value=0, max_value=20000, allow_nan=False), min_size=1, max_size=8))
def test_interval_contains_every_figure(points: list[float]) -> None:
    v = CitedValue.model_validate({"unit": "km", "values": [{"value": x, "sources": ["s"]} for x in points]})
    assert v.low == min(points) and v.high == max(points)
    assert v.low <= v.nominal <= v.high


SYSTEM = """\
systems:
  - id: test-1
    name: Test-I
    aliases: [Hatf-XX]
    country: PAK
    class: SRBM
    propellant: solid
    status: tested
    range:
      unit: km
      values:
        - {{value: 300, sources: [a-2020]}}
        - {{value: 350, sources: [{src}]}}
    length: {{value: 10, unit: {unit}, sources: [a-2020]}}
"""


def test_catalogue_unresolved_source_and_unit_are_reported(tmp_path: Path) -> None:
    bib = load_bibliography([write(tmp_path, "bib.yml", GOOD_BIB)])
    p = write(tmp_path, "sys.yml", SYSTEM.format(src="nope-1999", unit="furlong"))
    with pytest.raises(DataError) as exc:
        load_catalog([p], bib)
    text = "\n".join(exc.value.errors)
    assert "nope-1999" in text and "furlong" in text
    assert f"{p}:" in text


def test_catalogue_valid_file_loads(tmp_path: Path) -> None:
    bib = load_bibliography([write(tmp_path, "bib.yml", GOOD_BIB)])
    cat = load_catalog([write(tmp_path, "sys.yml", SYSTEM.format(src="b-2021", unit="m"))], bib)
    s = cat.find("hatf 20")
    assert s.id == "test-1" and (s.range.low, s.range.high) == (300, 350)
