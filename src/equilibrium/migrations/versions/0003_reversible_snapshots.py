"""Reversible list history: each snapshot keeps the entries it loaded (``payload``: zlib-compressed JSON, ~1–2 MB for
the whole SDN list), so that :func:`equilibrium.sanctions.store.drop_snapshot` can remove any snapshot and rebuild
the list's first/last-seen history exactly by replaying the others; the unique (list, file hash) constraint goes,
because the same file may be loaded again after a later snapshot (reloading is a no-op only against the latest one).
A snapshot loaded before this revision has no payload: it can be dropped only by reloading its list.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sanctions_snapshot") as b:
        b.drop_constraint("uq_snapshot_file", type_="unique")
        b.add_column(sa.Column("payload", sa.LargeBinary, nullable=True))
    op.create_index("ix_snapshot_list_date", "sanctions_snapshot", ["list_name", "list_date"])
    op.create_index("ix_change_snapshot", "sanctions_change", ["snapshot_id"])


def downgrade() -> None:
    op.drop_index("ix_change_snapshot", "sanctions_change")
    op.drop_index("ix_snapshot_list_date", "sanctions_snapshot")
    with op.batch_alter_table("sanctions_snapshot") as b:
        b.drop_column("payload")
        b.create_unique_constraint("uq_snapshot_file", ["list_name", "sha256"])
