"""Alembic environment: runs the revisions on the connection handed over by :func:`equilibrium.migrations.upgrade`
(or on ``sqlalchemy.url`` when alembic is driven from its own command line)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - alembic's own CLI
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "set sqlalchemy.url"
    with sa.create_engine(url).begin() as conn:
        context.configure(connection=conn, render_as_batch=True)
        context.run_migrations()
else:
    context.configure(connection=connection, render_as_batch=True)
    context.run_migrations()
