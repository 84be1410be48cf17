"""The ClaimReview export validates: against the schema.org vocabulary (type-checked with Google's ``schema-dts``
typings, generated from schema.org, by the TypeScript compiler of ``web/node_modules``) and against Google's
ClaimReview profile (:func:`claimreview_problems`). Every shipped claim has a computed verdict.

The type check is what a JSON-LD consumer does with the vocabulary: every property must exist on its type
(``Claim.appearance``, ``Rating.alternateName`` …) and hold a value of an allowed type; a misspelt or misplaced
property fails the compile (tested). It is skipped with a reason when ``web/node_modules`` lacks ``typescript`` or
``schema-dts`` (``make setup`` installs both).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import equilibrium.questions.claims as claims
from equilibrium.questions.claims import (
    VERDICTS,
    check_all,
    claim_review,
    claimreview_problems,
    load_claims,
    review_url,
    use_claims_dir,
)

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
TSC = WEB / "node_modules" / ".bin" / "tsc"
GOOD = REPO / "tests" / "fixtures" / "claims" / "good"
BASE = "https://equilibrium.example.org"
HEADER = 'import type { ClaimReview, WithContext } from "schema-dts";\n'


def _typecheck(docs: list[dict[str, Any]], tmp: Path) -> subprocess.CompletedProcess[str]:
    """Compile ``docs`` as ``WithContext<ClaimReview>[]`` with strict excess-property checks; the result of tsc."""
    if not TSC.exists() or not (WEB / "node_modules" / "schema-dts").is_dir() or shutil.which("node") is None:
        pytest.skip("web/node_modules has no typescript/schema-dts (run make setup) or node is absent")
    src = tmp / "reviews.ts"
    src.write_text(HEADER + "export const reviews: WithContext<ClaimReview>[] = "
                   + json.dumps(docs, ensure_ascii=False, indent=1) + ";\n", encoding="utf-8")
    (tmp / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"strict": True, "noEmit": True, "skipLibCheck": True, "module": "esnext",
                            "moduleResolution": "bundler", "target": "es2022", "types": [],
                            "typeRoots": [str(WEB / "node_modules" / "@types")],
                            "baseUrl": ".", "paths": {"schema-dts": [str(WEB / "node_modules" / "schema-dts")]}},
        "files": [str(src)]}), encoding="utf-8")
    return subprocess.run([str(TSC), "-p", str(tmp / "tsconfig.json")], capture_output=True, text=True,
                          timeout=120, cwd=tmp, env={**os.environ, "NODE_OPTIONS": ""})


@pytest.fixture(scope="module")
def synthetic() -> list[dict[str, Any]]:
    with use_claims_dir(GOOD):
        cs = load_claims()
        return [claim_review(v, cs.commentary[v.id], BASE) for v in check_all(cs)]


@pytest.fixture(scope="module")
def shipped() -> list[claims.ClaimVerdict]:
    """Every shipped claim checked with the bundled data (third-party data sets absent unless
    $EQUILIBRIUM_DATA_DIR names them)."""
    return check_all()


# ------------------------------------------------------------------------------------------------ schema.org

def test_export_typechecks_against_schema_org(synthetic: list[dict[str, Any]], tmp_path: Path) -> None:
    r = _typecheck(synthetic, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_shipped_export_typechecks_against_schema_org(shipped: list[claims.ClaimVerdict], tmp_path: Path) -> None:
    cs = load_claims()
    docs = [claim_review(v, cs.commentary.get(v.id), BASE) for v in shipped]
    r = _typecheck(docs, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize(("where", "key"), [("reviewRating", "ratingValu"), ("itemReviewed", "apperance"),
                                            (None, "claimReview")])
def test_a_misspelt_property_fails_the_type_check(synthetic: list[dict[str, Any]], tmp_path: Path,
                                                  where: str | None, key: str) -> None:
    doc = json.loads(json.dumps(synthetic[0]))
    (doc[where] if where else doc)[key] = 3
    r = _typecheck([doc], tmp_path)
    assert r.returncode != 0 and key in r.stdout


def test_a_wrong_type_fails_the_type_check(synthetic: list[dict[str, Any]], tmp_path: Path) -> None:
    doc = json.loads(json.dumps(synthetic[0]))
    doc["itemReviewed"]["@type"] = "Clam"
    r = _typecheck([doc], tmp_path)
    assert r.returncode != 0


# ------------------------------------------------------------------------------------------------ Google profile

def test_export_passes_googles_profile(synthetic: list[dict[str, Any]]) -> None:
    for doc in synthetic:
        assert claimreview_problems(doc) == [], doc["identifier"]
        assert doc["url"] == f"{BASE}/?claim={doc['identifier']}"


def test_shipped_export_passes_googles_profile(shipped: list[claims.ClaimVerdict]) -> None:
    cs = load_claims()
    for v in shipped:
        assert claimreview_problems(claim_review(v, cs.commentary.get(v.id), BASE)) == [], v.id


def test_profile_problems_are_found(synthetic: list[dict[str, Any]]) -> None:
    doc = json.loads(json.dumps(synthetic[0]))
    assert claimreview_problems({**doc, "url": "/?claim=x"}) == [
        "url '/?claim=x' is not absolute (Google requires it; export with a base_url)"]
    assert claimreview_problems({**doc, "url": "/?claim=x"}, absolute_url=False) == []
    del doc["reviewRating"]["alternateName"]
    doc["reviewRating"]["ratingValue"] = 7
    doc["itemReviewed"]["datePublished"] = "8 January 2025"
    doc.pop("claimReviewed")
    assert claimreview_problems(doc) == [
        "claimReviewed is missing (required)", "reviewRating.alternateName is missing (required)",
        "reviewRating.ratingValue 7 is not between worstRating and bestRating",
        "itemReviewed.datePublished is not an ISO 8601 date (recommended)"]


def test_review_url() -> None:
    assert review_url("a-b") == "/?claim=a-b"
    assert review_url("a-b", "https://x.org/eq/") == "https://x.org/eq/?claim=a-b"


def test_cli_base_url_and_bad_base_url(tmp_path: Path) -> None:
    from equilibrium.cli.claims import app
    runner = CliRunner()
    with use_claims_dir(GOOD):
        out = tmp_path / "cr.jsonld"
        r = runner.invoke(app, ["export", "--base-url", BASE + "/", "--out", str(out)])
        assert r.exit_code == 0, r.output
        docs = json.loads(out.read_text())
        assert all(d["url"].startswith(BASE + "/?claim=") and not claimreview_problems(d) for d in docs)
        r = runner.invoke(app, ["export", "--base-url", "ftp://x.org"])
    assert r.exit_code == 2 and "not an absolute http(s) URL" in r.output and "Traceback" not in r.output


# ------------------------------------------------------------------------------------------------ every claim

def test_every_shipped_claim_has_a_verdict(shipped: list[claims.ClaimVerdict]) -> None:
    cs = load_claims()
    assert [v.id for v in shipped] == list(cs.claims)
    for v in shipped:
        assert v.verdict in VERDICTS
        claim = cs.get(v.id)
        if claim.checkable and v.verdict != "not checkable":
            assert v.robustness is not None and 0 <= v.robustness <= 1, v.id
            assert v.settings and v.explanation, v.id
        else:  # an opinion or forecast, or a data set that is not installed: said why
            assert v.why, v.id


def test_only_opinions_forecasts_and_absent_data_are_not_checkable(shipped: list[claims.ClaimVerdict]) -> None:
    cs = load_claims()
    for v in shipped:
        if v.verdict == "not checkable" and cs.get(v.id).checkable:
            assert "data" in (v.why or "").lower() and ("EQUILIBRIUM_DATA_DIR" in (v.why or "")), (v.id, v.why)


@pytest.mark.realdata
def test_with_the_real_data_every_checkable_claim_is_checked(shared_data: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(shared_data))
    cs = load_claims()
    verdicts = check_all(cs)
    unchecked = [v.id for v in verdicts if v.verdict == "not checkable" and cs.get(v.id).checkable]
    assert unchecked == []
    assert sum(v.verdict == "not checkable" for v in verdicts) == sum(not c.checkable for c in cs.claims.values())
