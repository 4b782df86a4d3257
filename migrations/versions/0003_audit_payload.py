"""Typed audit events: each row's own fields in a `payload` column (canonical JSON text).

Rows written before keep their fields in count, reason and detail, with a NULL payload; their hash did not
cover a payload, and verification still hashes them that way, so an upgraded log verifies unchanged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("payload", sa.Text(), nullable=True))


def downgrade() -> None:
    # Rows written with a payload would lose their fields (and fail verification): refuse rather than
    # silently break the chain.
    bind = op.get_bind()
    typed = bind.execute(sa.text("SELECT count(*) FROM audit_events WHERE payload IS NOT NULL")).scalar()
    if typed:
        raise RuntimeError(
            f"{typed} audit rows hold typed events; downgrading would drop their fields and break the chain"
        )
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("payload")
