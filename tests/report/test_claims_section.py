"""The brief's bottom line: the claims and their verdicts first, then the chosen sections; ``brief --claims`` and
``--sections`` (unknown ids or names: one line with close matches, exit 2)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equilibrium.cli.main import app
from equilibrium.errors import NotFound, UnknownChoice
from equilibrium.questions.claims import claimreview_problems
from equilibrium.report.brief import SECTION_BUILDERS, render_brief
from equilibrium.report.claims_section import claims_section, short_quote

CLAIMS = ("no-pakistani-missile-reaches-us", "pakistan-fifth-most-populous")
VERDICTS = ("supported", "mostly supported", "mixed", "mostly unsupported", "refuted", "not checkable")


def _sections(text: str) -> list[str]:
    """The ids of the brief's sections, in order (references and data versions excluded)."""
    return [s for s in re.findall(r'<section id="([^"]+)">', text) if s not in ("references", "data-versions")]


@pytest.fixture(scope="module")
def bottom_line_only(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The brief with the two shipped-data claims and no section after the bottom line (fast: no maps)."""
    out = tmp_path_factory.mktemp("claims") / "brief.html"
    r = CliRunner().invoke(app, ["brief", "--claims", ",".join(CLAIMS), "--sections", "", "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out.read_text(encoding="utf-8")


def test_bottom_line_carries_claimreview_jsonld(bottom_line_only: str) -> None:
    """The brief embeds its verdicts as schema.org ClaimReview JSON-LD (one script block, parseable, urls relative
    to the workbench) so a published brief carries its fact-check markup."""
    blocks = re.findall(r'<script type="application/ld\+json" id="claimreview-jsonld">(.*?)</script>',
                        bottom_line_only, flags=re.S)
    assert len(blocks) == 1
    docs = json.loads(blocks[0])
    assert [d["identifier"] for d in docs] == list(CLAIMS)
    assert all(d["@type"] == "ClaimReview" and not claimreview_problems(d, absolute_url=False) for d in docs)
    rows = dict(re.findall(r'<tr data-claim="([^"]+)" data-verdict="([^"]+)">', bottom_line_only))
    assert {d["identifier"]: d["reviewRating"]["alternateName"].lower() for d in docs} == rows


def test_claims_section_is_registered_first() -> None:
    assert SECTION_BUILDERS[0] is claims_section


def test_bottom_line_is_first_and_lists_every_claim_with_its_verdict(bottom_line_only: str) -> None:
    text = bottom_line_only
    assert _sections(text) == ["bottom-line"]
    rows = dict(re.findall(r'<tr data-claim="([^"]+)" data-verdict="([^"]+)">', text))
    assert set(rows) == set(CLAIMS)
    assert all(v in VERDICTS for v in rows.values())
    assert rows["pakistan-fifth-most-populous"] == "supported"  # shipped population table: Pakistan ranks fifth
    assert "robustness 100 %" in text
    # grouped by commentary, each cited; the references resolve
    assert 'data-commentary="eroding-equilibrium"' in text
    assert re.search(r'<h3 class="claims-commentary"[^>]*>.*?<sup class="cite">\[<a href="#ref-1">1</a>\]</sup>',
                     text, flags=re.S)
    assert '<li id="ref-1"' in text and 'class="unresolved"' not in text
    # the evidence: the question and a link to the claim's details
    assert "<code>population.rank</code>" in text and 'href="#claim-pakistan-fifth-most-populous"' in text
    assert 'id="claim-no-pakistani-missile-reaches-us"' in text
    # no section follows, so no link to one
    assert 'href="#reach"' not in text
    assert "⟦cite:" not in text


def test_sections_option_limits_the_sections_and_links_to_them(tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    text = render_brief(out, claims=[CLAIMS[1]], section_names=["sanctions"], figures=False,
                        generated="2025-01-01")
    assert _sections(text) == ["bottom-line", "sanctions"]
    assert re.findall(r'<tr data-claim="([^"]+)"', text) == [CLAIMS[1]]


def test_claim_link_points_to_its_section(tmp_path: Path) -> None:
    text = render_brief(None, claims=[CLAIMS[0]], section_names=["reach"], figures=False, generated="2025-01-01")
    assert _sections(text) == ["bottom-line", "reach"]
    row = re.search(rf'<tr data-claim="{CLAIMS[0]}".*?</tr>', text, flags=re.S)
    assert row and 'href="#reach"' in row.group(0)


def test_unknown_ids_and_sections_raise_with_close_matches() -> None:
    with pytest.raises(NotFound) as e1:
        render_brief(None, claims=["pakistan-fifth-most-populus"], section_names=[])
    assert "pakistan-fifth-most-populous" in e1.value.suggestions
    with pytest.raises(UnknownChoice) as e2:
        render_brief(None, claims=[CLAIMS[1]], section_names=["trajectry"])
    assert e2.value.suggestions[0] == "trajectory"


@pytest.mark.parametrize(("args", "close"), [
    (["--claims", "no-pakistani-missile-reaches-usa"], "no-pakistani-missile-reaches-us"),
    (["--claims", CLAIMS[1], "--sections", "reach,sanction"], "sanctions"),
])
def test_cli_unknown_input_exits_2_with_close_matches(tmp_path: Path, args: list[str], close: str) -> None:
    out = tmp_path / "b.html"
    r = CliRunner().invoke(app, ["brief", *args, "--out", str(out)])
    assert r.exit_code == 2
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
    assert f"'{close}'" in r.output and "did you mean" in r.output
    assert not out.exists()


def test_short_quote() -> None:
    assert short_quote("a  b") == "a b"
    long = "word " * 60
    s = short_quote(long, 40)
    assert s.endswith("…") and len(s) <= 41
    assert html.escape(s) == s


def test_missing_data_folder_makes_the_claim_not_checkable_with_the_reason(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(tmp_path))  # an empty data folder: no Voeten file
    text = render_brief(None, claims=["pakistan-closer-to-china"], section_names=[], figures=False,
                        generated="2025-01-01")
    row = re.search(r'<tr data-claim="pakistan-closer-to-china" data-verdict="([^"]+)">(.*?)</tr>', text, flags=re.S)
    assert row and row.group(1) == "not checkable"
    assert "not found" in row.group(2) and "details below" in row.group(2)
    assert "EQUILIBRIUM_DATA_DIR" in text  # the whole reason, with how to obtain the file, in the details
