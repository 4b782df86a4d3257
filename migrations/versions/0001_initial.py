"""The initial vault schema: key versions, sessions, tokens and the audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
# audit_events columns with a (column, seq) index: filtered queries read newest first and stop early.
AUDIT_INDEXED = ("session_id", "token", "event", "tool", "backend", "entity_type", "outcome")


def upgrade() -> None:
    op.create_table(
        "key_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("check", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("retired_at", TS, nullable=True),
        sa.Column("use_count", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rotation_started_at", TS, nullable=True),
        sa.Column("rotation_finished_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("version", name="pk_key_versions"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("shredded_at", TS, nullable=True),
        sa.Column("kek_version", sa.Integer(), nullable=False),
        sa.Column("wrapped_dek", sa.LargeBinary(), nullable=True),
        sa.Column("dek_uses", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["kek_version"], ["key_versions.version"], name="fk_sessions_kek_version_key_versions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("name", name="uq_sessions_name"),
    )
    op.create_index("ix_sessions_created_at", "sessions", ["created_at"])
    op.create_table(
        "tokens",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("token", sa.String(80), nullable=False),
        sa.Column("entity_type", sa.String(48), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("backend", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], name="fk_tokens_session_id_sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.UniqueConstraint("session_id", "token", name="uq_tokens_session_id_token"),
    )
    op.create_index("ix_tokens_token", "tokens", ["token"])
    op.create_index("ix_tokens_session_id_entity_type", "tokens", ["session_id", "entity_type"])
    op.create_index("ix_tokens_entity_type", "tokens", ["entity_type"])
    op.create_index("ix_tokens_created_at", "tokens", ["created_at"])
    op.create_table(
        "stored_results",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_stored_results_session_id_sessions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_stored_results"),
    )
    op.create_index("ix_stored_results_session_id", "stored_results", ["session_id"])
    op.create_index("ix_stored_results_expires_at", "stored_results", ["expires_at"])
    op.create_table(
        "audit_events",
        sa.Column(
            "seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False
        ),
        sa.Column("time", TS, nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("session_id", sa.String(32), nullable=True),
        sa.Column("backend", sa.String(200), nullable=True),
        sa.Column("direction", sa.String(20), nullable=True),
        sa.Column("method", sa.String(200), nullable=True),
        sa.Column("tool", sa.String(200), nullable=True),
        sa.Column("entity_type", sa.String(48), nullable=True),
        sa.Column("token", sa.String(80), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_time", "audit_events", ["time"])
    for column in AUDIT_INDEXED:
        op.create_index(f"ix_audit_events_{column}_seq", "audit_events", [column, "seq"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])
    op.create_table(
        "audit_checkpoints",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("time", TS, nullable=False),
        sa.Column("start_seq", sa.BigInteger(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("pruned", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_checkpoints"),
    )
    op.create_table(
        "audit_rollup",
        sa.Column("hour", TS, nullable=False),
        sa.Column("tool", sa.String(200), nullable=False),
        sa.Column("backend", sa.String(200), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("entity_type", sa.String(48), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "hour", "tool", "backend", "event", "entity_type", "outcome", "bucket", name="pk_audit_rollup"
        ),
    )


def downgrade() -> None:
    op.drop_table("audit_rollup")
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_head")
    for column in AUDIT_INDEXED:
        op.drop_index(f"ix_audit_events_{column}_seq", table_name="audit_events")
    op.drop_index("ix_audit_events_time", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_stored_results_expires_at", table_name="stored_results")
    op.drop_index("ix_stored_results_session_id", table_name="stored_results")
    op.drop_table("stored_results")
    for name in ("created_at", "entity_type", "session_id_entity_type", "token"):
        op.drop_index(f"ix_tokens_{name}", table_name="tokens")
    op.drop_table("tokens")
    op.drop_index("ix_sessions_created_at", table_name="sessions")
    op.drop_table("sessions")
    op.drop_table("key_versions")
