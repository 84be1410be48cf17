"""The claims data of issue 14: the two commentaries' claims files, the events and population tables, and the
``events.find`` / ``population.rank`` questions over them. Everything here runs without third-party data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jmespath
import pytest
import yaml

import equilibrium.questions.events  # noqa: F401 - registers events.find and population.rank
from equilibrium.errors import DataError, InvalidInput, NotFound
from equilibrium.provenance.bibliography import bibliography, data_path
from equilibrium.questions.base import REGISTRY, ask, load_all
from equilibrium.questions.events import load_events, load_population

CLAIMS = data_path("claims")
FILES = {"eroding-equilibrium": CLAIMS / "eroding-equilibrium.yml",
         "bulletin-sanctions-backfire": CLAIMS / "bulletin-sanctions-backfire.yml"}
ISSUE_IDS = {
    "eroding-equilibrium": [
        "us-tilt-toward-india", "india-operational-icbm", "india-vertical-proliferation", "caatsa-imposed-on-india",
        "caatsa-tacit-waiver-india", "brahmos-misfire-into-pakistan", "larger-motors-reach-us",
        "no-pakistani-missile-reaches-us", "irbm-covers-andaman-nicobar", "us-waives-for-india",
        "india-introduced-nuclear-weapons", "sanctions-often-fail", "pakistan-fifth-most-populous",
        "sanctions-demoralize-elite"],
    "bulletin-sanctions-backfire": [
        "dec-2024-four-entities", "not-first-biden-round", "ndc-directly-targeted",
        "full-spectrum-all-indian-territory", "pressler-after-1989-contract", "m11-sanctions-1991-1993",
        "ghauri-shaheen-coincided-with-prithvi-agni2", "sanctions-since-2023", "india-drives-pakistan",
        "pakistan-closer-to-china", "sanctions-boost-modernization", "china-iran-strategic-partnership"],
}
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _doc(name: str) -> dict[str, Any]:
    data = yaml.safe_load(FILES[name].read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _claims() -> list[tuple[str, dict[str, Any]]]:
    return [(name, c) for name in FILES for c in _doc(name)["claims"]]


def _set(params: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    out = dict(params)
    keys = dotted.split(".")
    cur = out
    for k in keys[:-1]:
        cur[k] = dict(cur.get(k) or {})
        cur = cur[k]
    cur[keys[-1]] = value
    return out


@pytest.mark.parametrize("name", sorted(FILES))
def test_claims_file_parses_and_covers_the_issue(name: str) -> None:
    doc = _doc(name)
    assert doc["commentary"]["id"] == name
    assert doc["commentary"]["source"] in bibliography()
    ids = [c["id"] for c in doc["claims"]]
    assert len(ids) == len(set(ids))
    missing = [i for i in ISSUE_IDS[name] if i not in ids]
    assert not missing, f"{name}: claims of the issue missing: {missing}"


@pytest.mark.parametrize(("name", "claim"), _claims(), ids=[c["id"] for _, c in _claims()])
def test_claim_question_params_rules(name: str, claim: dict[str, Any]) -> None:
    load_all()
    assert 0 < len(claim["quote"]) <= 300
    if claim["kind"] in ("opinion", "forecast"):
        assert "rule" not in claim and claim["not_checkable"]["why"]
        closest = claim["not_checkable"].get("closest")
        if closest:
            assert closest["question"] in REGISTRY
            REGISTRY[closest["question"]].params.model_validate(closest.get("params", {}))
        return
    q = REGISTRY[claim["question"]]
    q.params.model_validate(claim.get("params", {}))
    jmespath.compile(claim["rule"]["query"])
    for alt in claim.get("alternatives", []):
        assert alt["weight"] > 0 and alt["reason"]
        q.params.model_validate(_set(claim.get("params", {}), alt["param"], alt["value"]))
    for alt in claim.get("alternatives_rule", []):
        jmespath.compile(alt["rule"]["query"])


def test_quotes_are_verbatim() -> None:
    if not SEEDS.is_dir():
        pytest.skip("the commentaries (shared/seeds) are not in this checkout")
    text = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    for _, c in _claims():
        assert c["quote"] in text, c["id"]


def test_claims_load_with_the_engine() -> None:
    claims = pytest.importorskip("equilibrium.questions.claims")
    cs = claims.load_claims([FILES["eroding-equilibrium"], FILES["bulletin-sanctions-backfire"]])
    for ids in ISSUE_IDS.values():
        for i in ids:
            assert i in cs.claims


# ------------------------------------------------------------------------------------------------ events, population

def test_events_load_and_sources_resolve() -> None:
    events = load_events()
    assert len(events) >= 12
    bib = bibliography()
    for e in events:
        assert all(s in bib for s in e.sources), e.id
    ids = {e.id for e in events}
    for need in ("ind-nuclear-test-1974-05-18", "ind-nuclear-tests-1998-05", "pak-nuclear-tests-1998-05",
                 "ind-prithvi-first-flight-1988", "ind-agni2-first-flight-1999", "pak-ghauri-first-flight-1998",
                 "pak-shaheen1-first-flight-1999", "ind-accidental-missile-2022-03-09",
                 "ind-mod-statement-2022-03-11", "chn-pak-defence-contract-1989",
                 "chn-irn-25-year-agreement-2021-03-27"):
        assert need in ids
    assert [e.date for e in events] == sorted(e.date for e in events)


def test_population_load_and_sources_resolve() -> None:
    tables = load_population()
    assert {t.id for t in tables} >= {"wdi-2024", "unfpa-swop-2023"}
    for t in tables:
        assert all(s in bibliography() for s in t.sources)
        assert len(t.rows) >= 10


def test_events_find() -> None:
    a = ask("events.find", {"kind": "nuclear-test"}).to_json()
    assert [e["year"] for e in a["events"]] == [1974, 1998, 1998]
    assert a["events"][0]["countries"] == ["IND"] and a["events"][0]["references"][0]["url"]
    a = ask("events.find", {"country": "pak", "year_from": 1998, "year_to": 1999}).to_json()
    assert all("PAK" in e["countries"] and 1998 <= e["year"] <= 1999 for e in a["events"]) and a["count"] >= 3
    a = ask("events.find", {"id": "ind-mod-statement-2022-03-11"}).to_json()
    assert a["count"] == 1 and a["events"][0]["kind"] == "official-statement"
    with pytest.raises(NotFound):
        ask("events.find", {"id": "ind-mod-statement-2022"})
    with pytest.raises(InvalidInput):
        ask("events.find", {"year_from": 2000, "year_to": 1990})
    with pytest.raises(InvalidInput):
        ask("events.find", {"country": "Pakistan"})


def test_population_rank_pakistan() -> None:
    a = ask("population.rank", {"country": "PAK"}).to_json()
    assert a["rank"] == 5 and a["year"] == 2024 and a["value"] > 2e8
    assert a["sources"] == ["worldbank-wdi-sp-pop-totl-2024"] and a["references"][0]["url"]
    assert [r["rank"] for r in a["rows"]] == list(range(1, len(a["rows"]) + 1))
    assert a["rows"][0]["country"] == "IND"
    b = ask("population.rank", {"country": "PAK", "table": "unfpa-swop-2023"}).to_json()
    assert b["rank"] == 5 and b["year"] == 2023
    with pytest.raises(InvalidInput):
        ask("population.rank", {"country": "NPL"})
    with pytest.raises(InvalidInput):
        ask("population.rank", {"country": "PAK", "table": "wpp-1900"})


def test_bad_events_file(tmp_path: Path) -> None:
    p = tmp_path / "events.yml"
    p.write_text("events:\n  - id: x\n    date: '1998'\n    kind: nuclear-test\n    countries: [IND]\n"
                 "    title: t\n    text: t\n    sources: [no-such-source]\n"
                 "  - id: y\n    date: '1998'\n    kind: party\n    countries: [IND]\n    title: t\n    text: t\n"
                 "    sources: [crs-98-570-1998-11-24]\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_events(p)
    text = str(exc.value) + " ".join(getattr(exc.value, "errors", []))
    assert f"{p}:8" in text and "no-such-source" in text
    assert f"{p}:11" in text


def test_bad_population_file(tmp_path: Path) -> None:
    p = tmp_path / "population.yml"
    p.write_text("population:\n  - id: t\n    title: t\n    year: 2024\n    sources: [worldbank-wdi-sp-pop-totl-2024]\n"
                 "    rows:\n      - {country: PAK, name: Pakistan, value: -1}\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_population(p)
    assert f"{p}:7" in str(exc.value) + " ".join(getattr(exc.value, "errors", []))


# ------------------------------------------------------------------------------------------------ rules on answers

def _rule_holds(rule: dict[str, Any], data: Any) -> bool:
    v = jmespath.search(rule["query"], data)
    op, want = rule["op"], rule.get("value")
    if op == "truthy":
        return bool(v)
    if op == "falsy":
        return not v
    if op == "eq":
        return bool(v == want)
    assert isinstance(v, int | float) and isinstance(want, int | float), (rule, v)
    return {"ge": v >= want, "gt": v > want, "lt": v < want, "le": v <= want}[op]


@pytest.mark.parametrize(("claim_id", "holds"), [
    ("caatsa-imposed-on-india", False), ("caatsa-tacit-waiver-india", True), ("pakistan-fifth-most-populous", True),
    ("dec-2024-four-entities", True), ("india-introduced-nuclear-weapons", True),
    ("brahmos-misfire-into-pakistan", True), ("china-iran-strategic-partnership", True),
    ("m11-sanctions-1991-1993", True), ("india-operational-icbm", True), ("us-tilt-toward-india", True),
])
def test_stated_rules_on_real_answers(claim_id: str, holds: bool) -> None:
    claim = next(c for _, c in _claims() if c["id"] == claim_id)
    data = ask(claim["question"], claim.get("params", {})).to_json()
    assert _rule_holds(claim["rule"], data) is holds
