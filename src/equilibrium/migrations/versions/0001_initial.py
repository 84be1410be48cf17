"""The sanctions store's first schema: list snapshots, entities with first/last-seen dates, names, addresses,
per-snapshot changes, and a key/value table.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sanctions_snapshot",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("list_name", sa.String(32), nullable=False),
        sa.Column("list_date", sa.String(10), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("loaded_at", sa.String(32), nullable=False),
        sa.Column("entities", sa.Integer, nullable=False),
        sa.Column("names", sa.Integer, nullable=False),
        sa.Column("addresses", sa.Integer, nullable=False),
        sa.UniqueConstraint("list_name", "sha256", name="uq_snapshot_file"),
    )
    op.create_table(
        "sanctions_entity",
        sa.Column("list_name", sa.String(32), primary_key=True),
        sa.Column("uid", sa.String(64), primary_key=True),
        sa.Column("schema", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("programs", sa.Text, nullable=False),
        sa.Column("remarks", sa.Text, nullable=False),
        sa.Column("content", sa.String(64), nullable=False),
        sa.Column("first_seen", sa.String(10), nullable=False),
        sa.Column("last_seen", sa.String(10), nullable=False),
        sa.Column("in_latest", sa.Boolean, nullable=False),
    )
    op.create_table(
        "sanctions_name",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("list_name", sa.String(32), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    op.create_index("ix_name_entity", "sanctions_name", ["list_name", "uid"])
    op.create_table(
        "sanctions_address",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("list_name", sa.String(32), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("street", sa.Text, nullable=False),
        sa.Column("city", sa.Text, nullable=False),
        sa.Column("country", sa.Text, nullable=False),
    )
    op.create_index("ix_address_entity", "sanctions_address", ["list_name", "uid"])
    op.create_table(
        "sanctions_change",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("sanctions_snapshot.id"), nullable=False),
        sa.Column("list_name", sa.String(32), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
    )
    op.create_table(
        "equilibrium_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for t in ("equilibrium_meta", "sanctions_change", "sanctions_address", "sanctions_name", "sanctions_entity",
              "sanctions_snapshot"):
        op.drop_table(t)
