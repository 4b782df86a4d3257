"""API quotas: use per quota and window, shared by every proxy process on the vault database.

Revision ID: 0005_quotas
Revises: 0004_tool_pins
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_quotas"
down_revision: str | None = "0004_tool_pins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quota_usage",
        sa.Column("backend", sa.String(200), nullable=False),
        sa.Column("quota", sa.String(200), nullable=False),
        sa.Column("window_start", TS, nullable=False),
        sa.Column("per", sa.String(8), nullable=False),
        sa.Column("unit", sa.String(8), nullable=False),
        sa.Column("limit", sa.BigInteger(), nullable=False),
        sa.Column("used", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("backend", "quota", "window_start", name="pk_quota_usage"),
    )
    op.create_index("ix_quota_usage_window_start", "quota_usage", ["window_start"])


def downgrade() -> None:
    op.drop_index("ix_quota_usage_window_start", table_name="quota_usage")
    op.drop_table("quota_usage")
