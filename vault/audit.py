"""The audit log: value-free event records, appended to a hash chain.

Each row's hash is sha256(previous hash + canonical JSON of the row, seq and time included), so
`verify` detects an edited, deleted or inserted row; the head row (last seq, last hash) catches a truncated
tail. Appends happen inside the caller's transaction: if the audit row cannot be written, the operation it
records is rolled back with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar, Self

from sqlalchemy import Connection, Engine, insert, select, update

from vault.clock import Clock
from vault.models import GENESIS_HASH, HEAD_ROW_ID, AuditHead, AuditRecord
from vault.tokens import TOKEN_RE

DIRECTIONS = frozenset({"to-client", "to-backend"})
OUTCOMES = frozenset({"ok", "refused", "blocked", "error"})
HASHED_FIELDS = (
    "seq", "time", "event", "actor", "session_id", "backend", "direction", "method", "tool",
    "entity_type", "token", "count", "outcome", "reason", "detail",
)  # fmt: skip


@dataclass(frozen=True)
class AuditContext:
    """Who and where: passed by the proxy with every vault call, copied into each event it causes."""

    actor: str | None = None
    backend: str | None = None
    direction: str | None = None
    method: str | None = None
    tool: str | None = None


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    """Base of every event. There is deliberately no field for a value: only tokens, types and counts."""

    name: ClassVar[str] = ""
    actor: str | None = None
    session_id: str | None = None
    backend: str | None = None
    direction: str | None = None
    method: str | None = None
    tool: str | None = None
    entity_type: str | None = None
    token: str | None = None
    count: int | None = None
    outcome: str = "ok"
    reason: str | None = None
    detail: Mapping[str, int | str] | None = None

    def __post_init__(self) -> None:
        # A malformed "token" is whatever the model wrote and may hold a value: only well-formed ones here.
        if self.token is not None and not TOKEN_RE.fullmatch(self.token):
            raise ValueError("audit events carry well-formed tokens only")
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")

    @classmethod
    def of(cls, ctx: AuditContext, **values: Any) -> Self:
        """An event carrying the context's fields, overridden by `values`."""
        return cls(**{**{k: getattr(ctx, k) for k in _CONTEXT_FIELDS}, **values})


class SessionOpened(AuditEvent):
    name = "session-opened"


class SessionClosed(AuditEvent):
    name = "session-closed"


class TokenCreated(AuditEvent):
    name = "token-created"


class TokenDetokenized(AuditEvent):
    name = "token-detokenized"


class DetokenizeRefused(AuditEvent):
    name = "detokenize-refused"


class TokenRevoked(AuditEvent):
    name = "token-revoked"


class TokenExpired(AuditEvent):
    name = "token-expired"


class SessionShredded(AuditEvent):
    name = "session-shredded"


class KeyRotated(AuditEvent):
    name = "key-rotated"


class MessageBlocked(AuditEvent):
    name = "message-blocked"


class PolicyLoaded(AuditEvent):
    name = "policy-loaded"


class TokenizeSummary(AuditEvent):
    """One per tokenizing message: `detail` holds counts per entity type, `count` the total."""

    name = "tokenize-summary"


EVENT_TYPES: dict[str, type[AuditEvent]] = {
    cls.name: cls
    for cls in (
        SessionOpened, SessionClosed, TokenCreated, TokenDetokenized, DetokenizeRefused, TokenRevoked,
        TokenExpired, SessionShredded, KeyRotated, MessageBlocked, PolicyLoaded, TokenizeSummary,
    )
}  # fmt: skip


_CONTEXT_FIELDS = tuple(f.name for f in fields(AuditContext))
_EVENT_FIELDS = tuple(f.name for f in fields(AuditEvent))


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _json(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, ASCII only (lone surrogates become escapes, not errors)."""
    return _CANONICAL.encode(value)


def chain_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    canonical = {k: row[k] for k in HASHED_FIELDS}
    canonical["time"] = row["time"].isoformat()
    return hashlib.sha256((prev_hash + _json(canonical)).encode("ascii")).hexdigest()


def _row(event: AuditEvent, seq: int, time: datetime) -> dict[str, Any]:
    row: dict[str, Any] = {k: getattr(event, k) for k in _EVENT_FIELDS}
    row.update(seq=seq, time=time, event=event.name)
    row["detail"] = None if event.detail is None else _json(dict(event.detail))
    return row


def append(conn: Connection, events: Sequence[AuditEvent], clock: Clock) -> None:
    """Append events inside the caller's transaction.

    The head row is locked (FOR UPDATE on PostgreSQL; on SQLite the vault begins every write with
    BEGIN IMMEDIATE, which already serializes writers), so concurrent appends cannot fork the chain.
    """
    if not events:
        return
    head = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID).with_for_update()
    seq, prev = conn.execute(head).one()
    now = clock.now()
    rows = []
    for event in events:
        seq += 1
        row = _row(event, seq, now)
        row["prev_hash"] = prev
        row["hash"] = prev = chain_hash(prev, row)
        rows.append(row)
    conn.execute(insert(AuditRecord), rows)
    conn.execute(update(AuditHead).where(AuditHead.id == HEAD_ROW_ID).values(seq=seq, hash=prev))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    first_bad_seq: int | None = None
    problem: str | None = None


def verify(engine: Engine) -> VerifyResult:
    """Walk the chain from the start; report the first row that does not follow from its predecessor."""
    expected_seq, prev, checked = 1, GENESIS_HASH, 0
    cols = [getattr(AuditRecord, k) for k in (*HASHED_FIELDS, "prev_hash", "hash")]
    with engine.connect().execution_options(veil_begin="DEFERRED", yield_per=1000) as conn:
        for r in conn.execute(select(*cols).order_by(AuditRecord.seq)):
            row = r._asdict()
            if row["seq"] != expected_seq:
                problem = "a row is missing" if row["seq"] > expected_seq else "rows are out of sequence"
                return VerifyResult(False, checked, expected_seq, problem)
            if row["prev_hash"] != prev:
                return VerifyResult(False, checked, row["seq"], "the previous-hash link is broken")
            if chain_hash(prev, row) != row["hash"]:
                return VerifyResult(False, checked, row["seq"], "the row was altered")
            prev, expected_seq, checked = row["hash"], expected_seq + 1, checked + 1
        head = conn.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID)).one()
    if (head.seq, head.hash) != (expected_seq - 1, prev):
        return VerifyResult(False, checked, expected_seq, "rows at the end of the log were removed or added")
    return VerifyResult(True, checked)


@dataclass(frozen=True)
class AuditQuery:
    """Filters for `veil audit query`; every field given narrows the result."""

    since: datetime | None = None
    until: datetime | None = None
    session_id: str | None = None
    tool: str | None = None
    entity_type: str | None = None
    token: str | None = None
    event: str | None = None
    outcome: str | None = None
    limit: int | None = None


def query(engine: Engine, q: AuditQuery) -> Iterator[dict[str, Any]]:
    """Rows oldest first, `detail` decoded; streamed so a large log does not sit in memory."""
    stmt = select(*AuditRecord.__table__.columns).order_by(AuditRecord.seq)
    if q.since is not None:
        stmt = stmt.where(AuditRecord.time >= q.since)
    if q.until is not None:
        stmt = stmt.where(AuditRecord.time < q.until)
    for name in ("session_id", "tool", "entity_type", "token", "event", "outcome"):
        if getattr(q, name) is not None:
            stmt = stmt.where(getattr(AuditRecord, name) == getattr(q, name))
    if q.limit is not None:
        stmt = stmt.limit(q.limit)
    with engine.connect().execution_options(veil_begin="DEFERRED", yield_per=1000) as conn:
        for r in conn.execute(stmt):
            row = r._asdict()
            row["detail"] = None if row["detail"] is None else json.loads(row["detail"])
            yield row
