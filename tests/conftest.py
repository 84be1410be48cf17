"""Shared fixtures: paths to ../shared/data (real third-party files, never copied here) and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data``; skips the test with a reason when the folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real third-party data folder {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture
def cli() -> CliRunner:
    """A Typer CLI runner."""
    return CliRunner()
