"""Fixtures of the web tests: the app on the real library, skipped with a reason when boundaries are absent."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from equilibrium.errors import MissingDependency


@pytest.fixture(scope="session")
def geo_ready() -> None:
    """Skip when the geo library or the boundary files (``make setup``) are missing."""
    try:
        from equilibrium.geo.regions import resolve_region

        resolve_region("PAK")
    except ImportError as exc:  # pragma: no cover - only before the geo package exists
        pytest.skip(f"equilibrium.geo is not importable: {exc}")
    except MissingDependency as exc:
        pytest.skip(f"boundary files missing (run make setup): {exc}")


@pytest.fixture(scope="session")
def app(geo_ready: None):
    from equilibrium.web.app import create_app

    return create_app()


@pytest.fixture(scope="session")
def client(app) -> TestClient:
    """A TestClient that answers 500s as responses (so tests can assert on them) instead of raising."""
    return TestClient(app, raise_server_exceptions=False)
