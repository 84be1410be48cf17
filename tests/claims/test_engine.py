"""The claims engine: the file format and its validation (file:line), the verdict scale, robustness with weights,
the counter-setting, failed settings, not-checkable claims, ClaimReview export, the questions and the CLI.

Every claim here is synthetic (``tests/fixtures/claims/``) over questions that need no third-party data: the
shipped catalogue (``catalog.list``, ``catalog.show``), region specs (``regions.search``) and trajectory templates.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import equilibrium.questions.claims as claims
from equilibrium.errors import DataError, NotFound
from equilibrium.questions.claims import (
    AnswerCache,
    Claim,
    check,
    check_all,
    check_claim,
    claim_review,
    evaluate_rule,
    load_claims,
    use_claims_dir,
    verdict_for,
)

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "claims" / "good"

HEADER = """commentary:
  id: bad-commentary
  title: "T"
  author: "A"
  outlet: "O"
  date: "2025-01-02"
  url: "https://example.org/x"
  source: natural-earth-admin0
claims:
"""
CLAIM = """  - id: {id}
    quote: "q"
    claim: "c"
    kind: count
    question: {question}
    params: {params}
    rule: {{query: "{query}", op: ge, value: 5, says: "at least five"}}
"""


@pytest.fixture(scope="module")
def good() -> Iterator[claims.ClaimSet]:
    with use_claims_dir(GOOD):
        yield load_claims()


@pytest.fixture(scope="module")
def verdicts(good: claims.ClaimSet) -> dict[str, claims.ClaimVerdict]:
    return {v.id: v for v in check_all(good)}


def _claim(**kw: Any) -> Claim:
    base: dict[str, Any] = {"id": "x", "quote": "q", "claim": "c", "kind": "count", "question": "catalog.list",
                            "params": {"country": "PAK", "class": "MRBM"},
                            "rule": {"query": "count", "op": "ge", "value": 5, "says": "at least five"}}
    base.update(kw)
    return Claim.model_validate(base)


def _write(tmp_path: Path, text: str, name: str = "bad.yml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _errors(*paths: Path) -> list[str]:
    with pytest.raises(DataError) as exc:
        load_claims(list(paths))
    return exc.value.errors


# ------------------------------------------------------------------------------------------------ the scale

@pytest.mark.parametrize(("r", "verdict"), [
    (1.0, "supported"), (0.9, "supported"), (0.8999, "mostly supported"), (0.65, "mostly supported"),
    (0.6499, "mixed"), (0.3501, "mixed"), (0.35, "mostly unsupported"), (0.1001, "mostly unsupported"),
    (0.1, "refuted"), (0.0, "refuted"),
])
def test_verdict_scale_boundaries(r: float, verdict: str) -> None:
    assert verdict_for(r) == verdict


def test_scale_boundary_reached_by_float_arithmetic() -> None:
    assert verdict_for(1 / (1 + 1 / 9)) == "supported"  # 0.9 computed, not typed
    assert verdict_for(1.3 / 2.0) == "mostly supported"


# ------------------------------------------------------------------------------------------------ rules

@pytest.mark.parametrize(("rule", "data", "holds"), [
    ({"query": "a", "op": "eq", "value": 5, "tolerance": 0.5}, {"a": 5.4}, True),
    ({"query": "a", "op": "eq", "value": 5}, {"a": 5.4}, False),
    ({"query": "a", "op": "ne", "value": "x"}, {"a": "y"}, True),
    ({"query": "a", "op": "lt", "value": 5}, {"a": 5}, False),
    ({"query": "a", "op": "lt", "value": 5, "tolerance": 1}, {"a": 5}, True),
    ({"query": "a", "op": "le", "value": 5}, {"a": 5}, True),
    ({"query": "a", "op": "gt", "value": 5}, {"a": 5}, False),
    ({"query": "a", "op": "ge", "value": 5}, {"a": 5}, True),
    ({"query": "a", "op": "between", "value": [1, 2]}, {"a": 2}, True),
    ({"query": "a", "op": "between", "value": [1, 2]}, {"a": 2.1}, False),
    ({"query": "a", "op": "truthy"}, {"a": []}, False),
    ({"query": "a", "op": "falsy"}, {"a": 0}, True),
    ({"query": "a[].b", "op": "contains", "value": "x"}, {"a": [{"b": "x"}]}, True),
    ({"query": "length(a[?b > `1`])", "op": "eq", "value": 1}, {"a": [{"b": 1}, {"b": 2}]}, True),
])
def test_rule_ops(rule: dict[str, Any], data: Any, holds: bool) -> None:
    r = claims.Rule.model_validate({**rule, "says": "s"})
    assert evaluate_rule(r, data)[1] is holds


def test_rule_on_a_missing_value_is_an_error_not_a_verdict() -> None:
    r = claims.Rule.model_validate({"query": "nope", "op": "ge", "value": 1, "says": "s"})
    with pytest.raises(claims.RuleError, match="gave null, not a number"):
        evaluate_rule(r, {"a": 1})


# ------------------------------------------------------------------------------------------------ verdicts

def test_robustness_arithmetic_with_weights(verdicts: dict[str, claims.ClaimVerdict]) -> None:
    v = verdicts["pak-mrbms-at-least-five"]
    # stated MRBM (5, holds, w 1); IRBM (0, fails, w 1); SRBM (5, holds, w 2); CRBM (6, holds, w 1): 4 / 5
    assert [(s.label, s.value, s.holds, s.weight) for s in v.settings] == [
        ("stated reading", 5, True, 1.0), ('class = "IRBM"', 0, False, 1.0), ('class = "SRBM"', 5, True, 2.0),
        ('class = "CRBM"', 6, True, 1.0)]
    assert (v.weight_held, v.weight_checked, v.robustness) == (4.0, 5.0, 0.8)
    assert v.verdict == "mostly supported" and v.holds is True
    assert v.counter is not None and v.counter.label == 'class = "IRBM"' and v.counter.holds is False


def test_alternative_rule_and_the_90_percent_boundary(verdicts: dict[str, claims.ClaimVerdict]) -> None:
    v = verdicts["shaheen3-reaches-2750"]
    assert v.robustness == pytest.approx(1 / 1.1, abs=1e-4) and v.verdict == "supported"
    assert v.counter is not None and v.counter.label.startswith("rule: nominal range at least 3,000")
    assert v.settings[1].setting == "alternative rule" and v.settings[1].value == 2750
    assert v.evidence == ["Tested in 2015 and 2022."]


def test_failing_alternative_is_reported_and_left_out(verdicts: dict[str, claims.ClaimVerdict]) -> None:
    v = verdicts["shaheen3-with-failing-alternative"]
    bad = v.settings[1]
    assert bad.holds is None and bad.error is not None and "No-Such-Missile-XYZ" in bad.error
    # the failing setting (weight 5) would dominate; left out: stated (holds, 1) vs Ghauri (fails, 1) → 0.5
    assert (v.robustness, v.verdict, v.settings_failed) == (0.5, "mixed", 1)
    assert v.counter is not None and v.counter.label == 'name = "Ghauri"'
    assert "left out" in v.explanation


def test_refuted_and_no_counter_when_all_agree(verdicts: dict[str, claims.ClaimVerdict]) -> None:
    v = verdicts["pak-has-icbm"]
    assert (v.holds, v.robustness, v.verdict, v.counter) == (False, 0.0, "refuted", None)
    assert verdicts["karachi-is-a-city"].verdict == "supported"
    assert verdicts["four-templates"].verdict == "supported"


def test_counter_setting_is_the_heaviest_flip() -> None:
    c = _claim(alternatives=[
        {"param": "class", "value": "IRBM", "weight": 0.5, "reason": "a"},   # 0: flips
        {"param": "class", "value": "ICBM", "weight": 2, "reason": "b"},     # 0: flips, heaviest
        {"param": "class", "value": "SRBM", "weight": 3, "reason": "c"},     # 5: agrees
    ])
    v = check_claim(c)
    assert v.counter is not None and v.counter.label == 'class = "ICBM"' and v.counter.weight == 2
    assert v.robustness == pytest.approx(4 / 6.5, abs=1e-4) and v.verdict == "mixed"


def test_not_checkable_kinds(verdicts: dict[str, claims.ClaimVerdict]) -> None:
    op = verdicts["sanctions-are-bad"]
    assert op.verdict == "not checkable" and op.why == "a value judgement" and op.robustness is None
    assert op.closest is not None and op.closest.question == "catalog.list"
    missing = verdicts["missing-system"]
    assert missing.verdict == "not checkable" and missing.error is not None
    assert "No-Such-Missile-XYZ" in missing.error and missing.settings[0].holds is None


def test_evidence_carries_defaults_and_sources(verdicts: dict[str, claims.ClaimVerdict]) -> None:
    s = verdicts["shaheen3-reaches-2750"].settings[0]
    assert s.question == "catalog.show" and s.params == {"name": "Shaheen-III"}
    assert any(d.name == "data:catalogue" and d.source == "data" for d in s.defaults)
    ids = {x.id for x in s.sources}
    assert "pk-dawn-2015-03-09-shaheen3" in ids
    assert all(x.title for x in s.sources)  # resolved in the bibliography
    assert verdicts["shaheen3-reaches-2750"].sources


def test_answers_are_cached_across_claims(good: claims.ClaimSet) -> None:
    cache = AnswerCache()
    check_all(good, cache)
    # shaheen3 twice (stated readings of two claims + an alternative rule): one answer; the missing system twice
    assert cache.hits >= 3
    assert len(cache.data) < cache.asked


def test_unknown_claim_id_has_close_matches(good: claims.ClaimSet) -> None:
    with pytest.raises(NotFound) as exc:
        check("pak-mrbm-at-least-five", good)
    assert "pak-mrbms-at-least-five" in exc.value.suggestions


# ------------------------------------------------------------------------------------ inputs change verdicts

def _copy(tmp_path: Path, old: str, new: str) -> claims.ClaimSet:
    text = (GOOD / "synthetic.yml").read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "synthetic.yml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_claims([p])


def test_changing_a_threshold_changes_the_verdict(tmp_path: Path) -> None:
    cs = _copy(tmp_path, 'rule: {query: count, op: ge, value: 5, says: "at least five systems"}',
               'rule: {query: count, op: ge, value: 6, says: "at least six systems"}')
    v = check("pak-mrbms-at-least-five", cs)
    # MRBM 5 < 6 now fails; only CRBM (6) holds: 1 / 5
    assert (v.holds, v.robustness, v.verdict) == (False, 0.2, "mostly unsupported")
    assert v.counter is not None and v.counter.label == 'class = "CRBM"'


def test_changing_a_param_changes_the_verdict(tmp_path: Path) -> None:
    cs = _copy(tmp_path, "params: {country: PAK, class: MRBM}", "params: {country: PAK, class: ICBM}")
    v = check("pak-mrbms-at-least-five", cs)
    assert v.holds is False and v.verdict == "mixed"  # SRBM (2) and CRBM (1) of 5 hold: 0.6


def test_changing_the_data_changes_the_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue is an input: an answer with one system fewer flips the count."""
    c = _claim()
    assert check_claim(c).verdict == "supported"
    q = claims.REGISTRY["catalog.list"]

    def fewer(p: Any) -> Any:
        a = q.fn(p)
        return a.model_copy(update={"count": a.count - 1, "systems": a.systems[:-1]})

    monkeypatch.setitem(claims.REGISTRY, "catalog.list", dataclasses.replace(q, fn=fewer))
    v = check_claim(c)
    assert (v.holds, v.verdict, v.settings[0].value) == (False, "refuted", 4)


# ------------------------------------------------------------------------------------------------ bad files

def test_unknown_question_with_close_matches(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + CLAIM.format(id="a", question="catalog.lst", params="{}", query="count"))
    (err,) = _errors(p)
    assert err.startswith(f"{p}:14: claims[0].question: unknown question 'catalog.lst'")
    assert "'catalog.list'" in err


def test_unknown_param_with_close_matches(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + CLAIM.format(id="a", question="catalog.list", params="{countri: PAK}",
                                               query="count"))
    (err,) = _errors(p)
    assert err.startswith(f"{p}:15: claims[0].params.countri: unknown parameter; did you mean 'country'")


def test_bad_param_value_and_bad_alternative(tmp_path: Path) -> None:
    text = HEADER + CLAIM.format(id="a", question="catalog.list", params="{country: PAKISTAN}", query="count")
    text += "    alternatives:\n      - {param: country, value: INDIA, weight: 1, reason: r}\n"
    text += "      - {param: kountry, value: IND, weight: 1, reason: r}\n"
    p = _write(tmp_path, text)
    errs = _errors(p)
    assert errs[0].startswith(f"{p}:15: claims[0].params.country: String should have at most 3 characters")
    assert errs[1].startswith(f"{p}:18: claims[0].alternatives[0]: with country = 'INDIA': country:")
    assert errs[2].startswith(f"{p}:19: claims[0].alternatives[1]: with kountry = 'IND': kountry: unknown "
                              "parameter; did you mean 'country'")


def test_bad_jmespath(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + CLAIM.format(id="a", question="catalog.list", params="{}", query="count[?"))
    (err,) = _errors(p)
    assert err.startswith(f"{p}:16: claims[0].rule.query: bad JMESPath 'count[?'")


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    one = _write(tmp_path, HEADER + CLAIM.format(id="a", question="catalog.list", params="{}", query="count"),
                 "one.yml")
    two = _write(tmp_path, HEADER + CLAIM.format(id="b", question="catalog.list", params="{}", query="count")
                 + CLAIM.format(id="a", question="catalog.list", params="{}", query="count"), "two.yml")
    (err,) = _errors(one, two)
    assert err == f"{two}:17: claims[1].id: duplicate claim id 'a' (first at {one}:10)"


def test_format_errors(tmp_path: Path) -> None:
    text = HEADER.replace('date: "2025-01-02"', 'date: "2 Jan 2025"')
    text += CLAIM.format(id="a", question="catalog.list", params="{}", query="count").replace(
        "op: ge", "op: gte")
    text += "  - {id: b, quote: q, claim: c, kind: opinion, question: catalog.list, extra: 1}\n"
    text += "  - {id: c, quote: q, claim: c, kind: threshold}\n"
    p = _write(tmp_path, text)
    errs = _errors(p)
    assert errs[0].startswith(f"{p}:6: commentary.date: String should match pattern")
    assert errs[1].startswith(f"{p}:16: claims[0].rule.op: Input should be 'eq'")
    assert errs[2] == f"{p}:17: claims[1].extra: Extra inputs are not permitted"
    assert errs[3].startswith(f"{p}:18: claims[2]: a checkable claim needs question and rule")
    assert len(errs) == 4


def test_opinion_needs_a_reason_and_no_rule(tmp_path: Path) -> None:
    text = HEADER + "  - {id: b, quote: q, claim: c, kind: opinion, question: catalog.list}\n"
    text += CLAIM.format(id="a", question="catalog.list", params="{}", query="count").replace(
        "kind: count", "kind: forecast") + "    not_checkable: {why: w}\n"
    p = _write(tmp_path, text)
    errs = _errors(p)
    assert errs[0].startswith(f"{p}:10: claims[0]: a claim of kind opinion is not checkable: give not_checkable")
    assert errs[1] == f"{p}:11: claims[1]: a claim of kind forecast has no rule or alternatives: give not_checkable"


def test_unknown_commentary_source_and_closest_params(tmp_path: Path) -> None:
    text = HEADER.replace("natural-earth-admin0", "no-such-source-id")
    text += ("  - id: a\n    quote: q\n    claim: c\n    kind: forecast\n    not_checkable:\n      why: w\n"
             "      closest: {question: catalog.list, params: {klass: IRBM}}\n")
    p = _write(tmp_path, text)
    errs = _errors(p)
    assert errs[0] == f"{p}:8: commentary.source: unknown source id 'no-such-source-id' (add it to sources.yml)"
    assert errs[1].startswith(f"{p}:16: claims[0].not_checkable.closest.params.klass: unknown parameter")


def test_files_without_claims_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "events:\n  - id: x\n", "events.yml")
    shutil.copy(GOOD / "synthetic.yml", tmp_path / "synthetic.yml")
    with use_claims_dir(tmp_path):
        cs = load_claims()
    assert len(cs) == 8 and [p.name for p in cs.files] == ["synthetic.yml"]


# ------------------------------------------------------------------------------------------------ ClaimReview

REQUIRED_REVIEW = {"@context", "@type", "url", "claimReviewed", "itemReviewed", "reviewRating", "author"}


def test_claimreview_shape(good: claims.ClaimSet, verdicts: dict[str, claims.ClaimVerdict]) -> None:
    for v in verdicts.values():
        doc = claim_review(v, good.commentary[v.id])
        assert REQUIRED_REVIEW <= set(doc)
        assert doc["@context"] == "https://schema.org" and doc["@type"] == "ClaimReview"
        assert doc["claimReviewed"] == v.quote and doc["author"] == {"@type": "Organization", "name": "Equilibrium"}
        item = doc["itemReviewed"]
        assert item["@type"] == "Claim" and item["datePublished"] == "2025-01-02"
        assert item["appearance"]["url"] == "https://example.org/synthetic"
        assert item["appearance"]["headline"] == "A synthetic commentary"
        assert item["author"]["name"] == "Test Author"
        rating = doc["reviewRating"]
        assert rating["@type"] == "Rating" and rating["bestRating"] == 5 and rating["worstRating"] == 1
        assert rating["alternateName"].lower() == v.verdict and rating["ratingExplanation"] == v.explanation
        if v.verdict == "not checkable":
            assert "ratingValue" not in rating and rating["alternateName"] == "Not checkable"
        else:
            assert rating["ratingValue"] == claims.RATING[v.verdict]
        json.dumps(doc)  # plain JSON


def test_rating_values() -> None:
    assert [claims.RATING[v] for v in ("refuted", "mostly unsupported", "mixed", "mostly supported",
                                       "supported")] == [1, 2, 3, 4, 5]


def test_counter_setting_in_the_explanation(verdicts: dict[str, claims.ClaimVerdict]) -> None:
    text = verdicts["pak-mrbms-at-least-five"].explanation
    assert "80 %" in text and 'class = "IRBM"' in text


# ------------------------------------------------------------------------------------------------ questions, CLI

def test_questions(good: claims.ClaimSet) -> None:
    with use_claims_dir(GOOD):
        listed = claims.claims_list()
        assert listed.count == 8 and listed.claims[0].id == "pak-mrbms-at-least-five"
        assert listed.commentaries[0].id == "synthetic-commentary"
        assert claims.claims_list(kind="opinion").count == 1
        with pytest.raises(NotFound, match="did you mean 'synthetic-commentary'"):
            claims.claims_list(commentary="synthetic-comentary")
        one = claims.claims_check(id="karachi-is-a-city")
        assert one.count == 1 and one.verdicts[0].verdict == "supported"
        every = claims.claims_check()
        assert every.count == 8 and sum(every.tally.values()) == 8 and every.tally["not checkable"] == 2
        assert any(d.name == "data:catalogue" for d in every.defaults)
        exp = claims.claims_export(format="claimreview")
        assert exp.count == 8 and exp.items[0]["@type"] == "ClaimReview"
        as_json = claims.claims_export(format="json", id="pak-has-icbm")
        assert as_json.items[0]["verdict"] == "refuted"
        with pytest.raises(NotFound, match="pak-has-icbm"):
            claims.claims_check(id="pak-has-icbn")


@pytest.fixture
def wide() -> Iterator[None]:
    """The CLI's console 200 columns wide (ids not folded)."""
    from equilibrium.cli.common import console

    old = console._width
    console.width = 200
    yield
    console._width = old


def test_cli(tmp_path: Path, wide: None) -> None:
    from equilibrium.cli.claims import app

    runner = CliRunner()
    with use_claims_dir(GOOD):
        r = runner.invoke(app, ["list"])
        assert r.exit_code == 0 and "pak-mrbms-at-least-five" in r.output
        r = runner.invoke(app, ["check", "pak-mrbms-at-least-five"])
        assert r.exit_code == 0, r.output
        assert "mostly supported" in r.output and "IRBM" in r.output and "Evidence" in r.output
        r = runner.invoke(app, ["check", "--all"])
        assert r.exit_code == 0 and "refuted" in r.output and "Counter-setting" in r.output
        r = runner.invoke(app, ["check", "karachi-is-a-city", "--json"])
        assert json.loads(r.stdout)["verdicts"][0]["verdict"] == "supported"
        r = runner.invoke(app, ["check", "pak-has-icbn"])
        assert r.exit_code == 2 and "did you mean 'pak-has-icbm'" in r.stderr and "Traceback" not in r.output
        r = runner.invoke(app, ["check"])
        assert r.exit_code == 2 and "--all" in r.stderr
        out = tmp_path / "reviews.json"
        r = runner.invoke(app, ["export", "--format", "claimreview", "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert [d["@type"] for d in json.loads(out.read_text())] == ["ClaimReview"] * 8
        r = runner.invoke(app, ["export", "--format", "xml"])
        assert r.exit_code == 2 and "format" in r.stderr
    bad = _write(tmp_path, HEADER + CLAIM.format(id="a", question="catalog.lst", params="{}", query="count"))
    with use_claims_dir(bad.parent):
        r = runner.invoke(app, ["list"])
        assert r.exit_code == 2 and f"{bad}:14" in r.stderr and "Traceback" not in r.output


def test_http() -> None:
    from fastapi.testclient import TestClient

    from equilibrium.web.app import create_app

    with use_claims_dir(GOOD), TestClient(create_app(warm="off", screening_worker=False, physics_workers=1)) as c:
        r = c.get("/api/claims", params={"kind": "count"})
        assert r.status_code == 200 and r.json()["count"] == 3
        r = c.get("/api/claims/check", params={"id": "pak-mrbms-at-least-five"})
        assert r.status_code == 200 and r.json()["verdicts"][0]["robustness"] == 0.8
        r = c.get("/api/claims/check", params={"id": "pak-mrbms-at-least-fiv"})
        assert r.status_code == 404 and r.json()["suggestions"] == ["pak-mrbms-at-least-five"]
        r = c.get("/api/claims/export", params={"format": "claimreview", "id": "pak-has-icbm"})
        assert r.status_code == 200 and r.json()["items"][0]["reviewRating"]["ratingValue"] == 1
        assert c.get("/api/claims/export", params={"format": "xml"}).status_code == 422
