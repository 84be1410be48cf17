"""A fresh store per test, on SQLite and (when a server is given) PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PG_ENV = "EQUILIBRIUM_TEST_POSTGRES_URL"


def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL database at ``url`` (schema ``public`` dropped and re-created) and forget that this
    process had migrated it."""
    import sqlalchemy as sa

    from equilibrium.sanctions import store

    old = store._ENGINES.pop(url, None)
    if old is not None:
        old.dispose()
    eng = sa.create_engine(url)
    with eng.begin() as c:
        c.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        c.execute(sa.text("CREATE SCHEMA public"))
    eng.dispose()
    store._MIGRATED.discard(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store: an SQLite file, or the PostgreSQL database named by $EQUILIBRIUM_TEST_POSTGRES_URL (emptied
    first; skipped with a reason when the variable is unset, as on machines without a server)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server given (set {PG_ENV}, as .ci/run does)")
    reset_postgres(url)
    return url
