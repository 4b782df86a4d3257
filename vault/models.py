"""The vault's tables.

Only ciphertext, tokens, entity types, counts and hashes live here; no column can hold a plaintext value.
The naming convention gives every constraint a stable name, so Alembic can alter them on SQLite (batch mode)
and `alembic check` compares like with like.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

GENESIS_HASH = "0" * 64
HEAD_ROW_ID = 1


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way out, whatever the engine: SQLite drops the offset, PostgreSQL returns
    the connection's time zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the vault; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
_AutoId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), bytes: LargeBinary()}


class KeyVersion(Base):
    """One key-encryption key version; `check` detects a wrong master key before anything is written."""

    __tablename__ = "key_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    check: Mapped[bytes]
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]
    use_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    """Data keys wrapped under this version: a new version is made well before the GCM nonce budget."""
    rotation_started_at: Mapped[datetime | None]
    """Set on a version made by `veil keys rotate`; with `rotation_finished_at` still NULL the rewrap of
    the older sessions is unfinished, and the next `rotate` resumes it instead of making another version."""
    rotation_finished_at: Mapped[datetime | None]


class Session(Base):
    """A client connection's scope. `wrapped_dek` is NULL once shredded: its values are then unrecoverable."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    shredded_at: Mapped[datetime | None]
    kek_version: Mapped[int] = mapped_column(ForeignKey("key_versions.version"))
    wrapped_dek: Mapped[bytes | None]
    dek_uses: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    """Values encrypted under this session's data key (each one a random GCM nonce)."""

    __table_args__ = (Index(None, "created_at"),)


class Token(Base):
    """One tokenized value: the token (the blind index) and the value's ciphertext, bound to both."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(_AutoId, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"))
    token: Mapped[str] = mapped_column(String(80))
    entity_type: Mapped[str] = mapped_column(String(48))
    ciphertext: Mapped[bytes]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    backend: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("session_id", "token"),
        Index(None, "token"),  # detokenize looks a token up across sessions to tell foreign from unknown
        Index(None, "session_id", "entity_type"),
        Index(None, "entity_type"),
        Index(None, "created_at"),
    )


class StoredResult(Base):
    """A full (already tokenized) tool result kept for paging when only a budgeted part reached the model.

    Encrypted under the session's data key, bound to its session and id; gone with a shred or its TTL."""

    __tablename__ = "stored_results"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"))
    ciphertext: Mapped[bytes]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]

    __table_args__ = (Index(None, "session_id"), Index(None, "expires_at"))


class PendingApproval(Base):
    """A call waiting for a human's approval from `veil approvals approve|deny` (out of band).

    `summary` is the prompt as the client would see it, after tokenization: tokens only, never a value.
    `call_hash` is keyed with the session's approval key (see vault.crypto), so it confirms no guess.
    """

    __tablename__ = "approvals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"))
    backend: Mapped[str | None] = mapped_column(String(200))
    tool: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    call_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    deadline: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'granted', 'denied', 'expired')", name="status"),
        Index(None, "status", "deadline"),
        Index(None, "session_id"),
    )


class ToolPin(Base):
    """A backend's tool as first seen (trust on first use) and, if its definition changed since, the new
    definition waiting for `veil tools approve`. Definitions are sealed with a key derived from the master
    secret (a description may name anything); fingerprints are keyed, so they confirm no guessed text.
    `flags` lists what was reported about the tool (`unicode-tags`, `invisible`, `bidi`, `name-collision`)."""

    __tablename__ = "tool_pins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    backend: Mapped[str] = mapped_column(String(200))
    tool: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    definition: Mapped[bytes] = mapped_column(LargeBinary)
    pending_fingerprint: Mapped[str | None] = mapped_column(String(64))
    pending_definition: Mapped[bytes | None] = mapped_column(LargeBinary)
    flags: Mapped[str] = mapped_column(String(200), default="")
    first_seen: Mapped[datetime]
    changed_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("backend", "tool"), Index(None, "tool"))


# audit_events columns with a (column, seq) index: a filtered query newest first reads its index backwards
# and stops at the page size.
AUDIT_FILTER_COLUMNS = ("session_id", "token", "event", "tool", "backend", "entity_type", "outcome")


class AuditRecord(Base):
    """One append-only audit row; `hash` chains it to the previous row (see vault.audit.chain).

    `seq` is SQLite's rowid (rows are stored in chain order); every filter index ends in `seq`, so a
    filtered query newest first reads its index backwards and stops at the limit, on both engines.
    """

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(_AutoId, primary_key=True, autoincrement=False)
    time: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(200))
    session_id: Mapped[str | None] = mapped_column(String(32))
    backend: Mapped[str | None] = mapped_column(String(200))
    direction: Mapped[str | None] = mapped_column(String(20))
    method: Mapped[str | None] = mapped_column(String(200))
    tool: Mapped[str | None] = mapped_column(String(200))
    entity_type: Mapped[str | None] = mapped_column(String(48))
    token: Mapped[str | None] = mapped_column(String(80))
    count: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float | None] = mapped_column(Float)
    payload: Mapped[str | None] = mapped_column(Text)
    """The event's own typed fields as canonical JSON (text: the hash covers these exact bytes). NULL on
    rows written before typed events, which kept them in count, reason and detail."""
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index(None, "time"),
        *(Index(None, column, "seq") for column in AUDIT_FILTER_COLUMNS),
    )


class AuditHead(Base):
    """The single row every audit append locks, so the chain is extended by one writer at a time."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class AuditCheckpoint(Base):
    """Where the kept chain starts after `veil audit prune`: the first kept seq and the hash it links to.

    The `audit-pruned` event appended by the same prune repeats both, inside the chain, so a forged
    checkpoint (hiding deleted rows) does not verify.
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(_AutoId, primary_key=True, autoincrement=True)
    time: Mapped[datetime]
    start_seq: Mapped[int] = mapped_column(BigInteger)
    prev_hash: Mapped[str] = mapped_column(String(64))
    pruned: Mapped[int] = mapped_column(BigInteger)


class AuditRollup(Base):
    """Hourly counts per tool, backend, event, entity type, outcome and latency bucket, kept by audit.append
    in the same transaction as the rows it counts; `veil audit stats` reads these instead of the log.

    Derived data, outside the chain ('' stands for "none" in the key columns). `bucket` is -1 for rows
    without `duration_ms`, else a 10%-wide latency bucket (see vault.audit.latency_bucket).
    """

    __tablename__ = "audit_rollup"

    hour: Mapped[datetime] = mapped_column(primary_key=True)
    tool: Mapped[str] = mapped_column(String(200), primary_key=True)
    backend: Mapped[str] = mapped_column(String(200), primary_key=True)
    event: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(48), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(20), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rows: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)  # sum of the rows' `count`


class QuotaUsage(Base):
    """Use counted against an API quota in one window (`proxy.filters.quota`): one row per (backend, quota
    name, window start), shared by every proxy process on this database. `used` only grows within a
    window, by an atomic conditional update, so two processes never both take the last call. `limit` and
    `per` are the figures the last counting process ran with (`veil quota status` shows them)."""

    __tablename__ = "quota_usage"

    backend: Mapped[str] = mapped_column(String(200), primary_key=True)
    quota: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    per: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(8))
    limit: Mapped[int] = mapped_column(BigInteger)
    used: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]

    __table_args__ = (Index(None, "window_start"),)
