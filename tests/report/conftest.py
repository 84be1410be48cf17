"""Fixtures for the report tests: the brief is rendered once per session (it computes every reach pair)."""

from __future__ import annotations

import pytest

from equilibrium.settings import get_settings


@pytest.fixture(scope="session")
def atlas() -> None:
    """Skip when the boundary files (copied by ``make setup``) are absent."""
    d = get_settings().atlas_dir
    if not (d / "countries-50m.json").is_file() or not (d / "countries-10m.json").is_file():
        pytest.skip(f"boundary files absent from {d}: run `make setup`")


@pytest.fixture(scope="session")
def brief_html(atlas: None, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The default brief, rendered with figures and written to a temporary file."""
    from equilibrium.report.brief import render_brief

    out = tmp_path_factory.mktemp("brief") / "brief.html"
    text = render_brief(out, generated="2025-01-01")
    assert out.read_text(encoding="utf-8") == text
    return text


@pytest.fixture(scope="session")
def brief_context(atlas: None) -> object:
    """A :class:`BriefContext` over the shipped catalogue and bibliography, with figures (as ``render_brief``)."""
    from equilibrium.catalog import catalog
    from equilibrium.report.brief import BriefContext

    cat = catalog()
    return BriefContext(bibliography=cat.bibliography, catalog=cat, generated="2025-01-01", figures=True)
