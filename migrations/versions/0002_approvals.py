"""Pending approvals: calls waiting for `veil approvals approve|deny`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("backend", sa.String(200), nullable=True),
        sa.Column("tool", sa.String(200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("call_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("deadline", TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'granted', 'denied', 'expired')", name="ck_approvals_status"
        ),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], name="fk_approvals_session_id_sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_approvals"),
    )
    op.create_index("ix_approvals_status_deadline", "approvals", ["status", "deadline"])
    op.create_index("ix_approvals_session_id", "approvals", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_approvals_session_id", table_name="approvals")
    op.drop_index("ix_approvals_status_deadline", table_name="approvals")
    op.drop_table("approvals")
