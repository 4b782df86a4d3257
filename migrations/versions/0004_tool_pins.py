"""Tool pins: each backend tool's definition as first seen, and a changed one waiting for approval.

Revision ID: 0004_tool_pins
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_tool_pins"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tool_pins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("backend", sa.String(200), nullable=False),
        sa.Column("tool", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("definition", sa.LargeBinary(), nullable=False),
        sa.Column("pending_fingerprint", sa.String(64), nullable=True),
        sa.Column("pending_definition", sa.LargeBinary(), nullable=True),
        sa.Column("flags", sa.String(200), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("changed_at", TS, nullable=True),
        sa.Column("approved_by", sa.String(200), nullable=True),
        sa.Column("approved_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tool_pins"),
        sa.UniqueConstraint("backend", "tool", name="uq_tool_pins_backend_tool"),
    )
    op.create_index("ix_tool_pins_tool", "tool_pins", ["tool"])


def downgrade() -> None:
    op.drop_index("ix_tool_pins_tool", table_name="tool_pins")
    op.drop_table("tool_pins")
