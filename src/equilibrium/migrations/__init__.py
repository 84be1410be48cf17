"""Alembic migrations of the Equilibrium store (SQLite by default, PostgreSQL through ``EQUILIBRIUM_DATABASE_URL``).

:func:`upgrade` brings a database to the newest revision; it runs on first use of the store in a process
(:func:`equilibrium.sanctions.store.engine`) and from ``equilibrium db upgrade``. A database made by version 0.1 of
the store (a ``schema_version`` row in ``equilibrium_meta`` and no ``alembic_version`` table) is stamped at revision
``0001`` — the schema it already has — and upgraded from there. Revisions live in ``versions/``; write new ones with
explicit operations (never ``metadata.create_all``) so that every revision stays what it was when released.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from equilibrium.errors import InvalidInput

HERE = Path(__file__).parent


def _config(connection: sa.Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision id of this program's migrations."""
    from alembic.script import ScriptDirectory

    h = ScriptDirectory.from_config(_config()).get_current_head()
    assert h is not None
    return h


def current(eng: sa.Engine) -> str | None:
    """The revision the database at ``eng`` is at (``None`` for an empty or pre-migration database)."""
    from alembic.runtime.migration import MigrationContext

    with eng.connect() as c:
        return MigrationContext.configure(c).get_current_revision()


def upgrade(eng: sa.Engine, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade the database at ``eng`` to ``revision`` in one transaction; return (revision before, after).

    Refuses (InvalidInput) a database whose revision this program does not know (made by a newer Equilibrium)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    before = current(eng)
    script = ScriptDirectory.from_config(_config())
    if before is not None:
        try:
            script.get_revision(before)
        except Exception:
            raise InvalidInput(f"the store is at schema revision {before!r}, which this program does not know "
                               f"(its newest is {script.get_current_head()!r}): upgrade Equilibrium") from None
    with eng.begin() as c:
        insp = sa.inspect(c)
        if before is None and insp.has_table("sanctions_snapshot"):
            # made by the store's first version, before migrations: it has revision 0001's schema
            command.stamp(_config(c), "0001")
        command.upgrade(_config(c), revision)
    return before, current(eng) or ""
