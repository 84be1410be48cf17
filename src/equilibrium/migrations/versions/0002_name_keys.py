"""The screening index in the store: one row per list entity with the keys of all its names and aliases (character
trigrams and Metaphone token keys, space-separated), from which a process assembles the posting lists of candidate
retrieval without recomputing them and without a search server. One row per entity rather than per (entity, key):
the 2024 SDN list has ~480,000 (entity, key) pairs, whose insertion took 5 s of a 6.7 s load; 15,000 rows take
0.1 s. Existing databases get the keys of the names they hold.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from equilibrium.sanctions.namekeys import name_keys

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    t = op.create_table(
        "sanctions_name_key",
        sa.Column("list_name", sa.String(32), primary_key=True),
        sa.Column("uid", sa.String(64), primary_key=True),
        sa.Column("keyset", sa.Text, nullable=False),
    )
    bind = op.get_bind()
    names = sa.table("sanctions_name", sa.column("list_name"), sa.column("uid"), sa.column("name"))
    keys: dict[tuple[str, str], set[str]] = {}
    for ln, uid, nm in bind.execute(sa.select(names.c.list_name, names.c.uid, names.c.name)):
        keys.setdefault((ln, uid), set()).update(name_keys(nm))
    rows = [{"list_name": ln, "uid": uid, "keyset": " ".join(sorted(ks))} for (ln, uid), ks in keys.items()]
    if rows:
        op.bulk_insert(t, rows)


def downgrade() -> None:
    op.drop_table("sanctions_name_key")
