"""Fixtures for the evidence tests: the real data sets in ../shared/data/evidence (skipped when absent) and small
synthetic files in the official column layouts (tests/fixtures/evidence)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "evidence"


@pytest.fixture(autouse=True)
def _no_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's $EQUILIBRIUM_DATA_DIR by accident."""
    monkeypatch.delenv("EQUILIBRIUM_DATA_DIR", raising=False)


@pytest.fixture
def fixtures() -> Path:
    """The synthetic evidence files."""
    return FIXTURES


@pytest.fixture
def evidence_dir(shared_data: Path) -> Path:
    """``../shared/data/evidence`` (skips with a reason when absent)."""
    p = shared_data / "evidence"
    if not p.is_dir():
        pytest.skip(f"real evidence data folder {p} is absent")
    return p
