"""Fixtures for the geo tests: skip cleanly when the boundary files have not been installed."""

from __future__ import annotations

import pytest

from equilibrium.errors import MissingDependency


@pytest.fixture(scope="session")
def atlas() -> None:
    """Skip the test when ``make setup`` has not copied the world-atlas / us-atlas files."""
    from equilibrium.geo.regions import country_features

    try:
        country_features("10m")
    except MissingDependency as exc:
        pytest.skip(f"boundary files absent ({exc.message})")
