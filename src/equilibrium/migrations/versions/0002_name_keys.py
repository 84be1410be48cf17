"""The screening index in the store: one row per (list entity, key), keys being character trigrams and phonetic
(Metaphone) token keys of every name and alias, so that candidate retrieval needs no recomputation and no search
server. Existing databases get the keys of the names they hold.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from equilibrium.sanctions.namekeys import name_keys

    t = op.create_table(
        "sanctions_name_key",
        sa.Column("list_name", sa.String(32), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("key", sa.String(24), nullable=False),
    )
    op.create_index("ix_name_key_entity", "sanctions_name_key", ["list_name", "uid"])
    op.create_index("ix_name_key_key", "sanctions_name_key", ["key"])
    bind = op.get_bind()
    names = sa.table("sanctions_name", sa.column("list_name"), sa.column("uid"), sa.column("name"))
    keys: dict[tuple[str, str], set[str]] = {}
    for ln, uid, nm in bind.execute(sa.select(names.c.list_name, names.c.uid, names.c.name)):
        keys.setdefault((ln, uid), set()).update(name_keys(nm))
    rows = [{"list_name": ln, "uid": uid, "key": k} for (ln, uid), ks in keys.items() for k in sorted(ks)]
    if rows:
        op.bulk_insert(t, rows)


def downgrade() -> None:
    op.drop_index("ix_name_key_key", "sanctions_name_key")
    op.drop_index("ix_name_key_entity", "sanctions_name_key")
    op.drop_table("sanctions_name_key")
