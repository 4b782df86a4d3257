"""Appending to the audit log, and pruning it.

Appends happen inside the caller's transaction: if the audit row cannot be written, the operation it
records is rolled back with it. The same transaction updates the hourly rollup for `stats`.

`prune` deletes old rows and records where the kept chain starts twice: in audit_checkpoints and in the
`audit-pruned` event it appends, inside the chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from vault.audit.chain import HASHED_FIELDS, canonical_json, chain_hash
from vault.audit.events import COLUMN_FIELDS, AuditEvent, AuditPruned
from vault.audit.stats import hour_of, roll_up
from vault.clock import Clock
from vault.models import GENESIS_HASH, HEAD_ROW_ID, AuditCheckpoint, AuditHead, AuditRecord, AuditRollup

_ENVELOPE_COLUMNS = ("actor", "session_id", "backend", "direction", "method", "tool", "outcome")


def _row(event: AuditEvent, seq: int, time: datetime) -> dict[str, Any]:
    """A typed event as a row: the envelope and the fields with columns of their own, the other fields
    as the payload. The shared columns of the first log format (count, reason, detail) stay empty."""
    row: dict[str, Any] = {k: getattr(event, k) for k in _ENVELOPE_COLUMNS}
    for k in COLUMN_FIELDS:
        row[k] = getattr(event, k, None)
    row.update(seq=seq, time=time, event=event.name, count=None, reason=None, detail=None)
    payload = event.payload()
    row["payload"] = canonical_json(payload) if payload else "{}"
    return row


def append(conn: Connection, events: Sequence[AuditEvent], clock: Clock) -> None:
    """Append events inside the caller's transaction.

    The head row is locked (FOR UPDATE on PostgreSQL; on SQLite the vault begins every write with
    BEGIN IMMEDIATE, which already serializes writers), so concurrent appends, from any number of
    processes, cannot fork the chain; a row's time is never before its predecessor's.
    """
    if not events:
        return
    head = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID).with_for_update()
    seq, prev = conn.execute(head).one()
    now = _not_before_head(conn, seq, clock.now())
    rows = []
    for event in events:
        seq += 1
        row = _row(event, seq, now)
        row["prev_hash"] = prev
        row["hash"] = prev = chain_hash(prev, row)
        rows.append(row)
    _insert_rows(conn, rows, now)
    conn.execute(update(AuditHead).where(AuditHead.id == HEAD_ROW_ID).values(seq=seq, hash=prev))
    roll_up(conn, rows, [event.total() for event in events], now)


def _not_before_head(conn: Connection, seq: int, now: datetime) -> datetime:
    """Chain time never goes backwards: several processes append to one chain, and one whose clock is
    behind stamps its rows with the previous row's time instead (skew tolerated explicitly; the vault
    already reads PostgreSQL's clock, so this only absorbs the residue of measuring it)."""
    if not seq or conn.dialect.name != "postgresql":  # SQLite: processes on one host share its clock
        return now
    last = conn.execute(select(AuditRecord.time).where(AuditRecord.seq == seq)).scalar()
    return last if last is not None and last > now else now


_INSERT_COLUMNS = (*HASHED_FIELDS, "payload", "prev_hash", "hash")
_SQLITE_INSERT = (
    f"INSERT INTO {AuditRecord.__tablename__} ({', '.join(_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _INSERT_COLUMNS)})"
)
# How SQLAlchemy stores a DateTime on SQLite (UTCDateTime reads it back as the same aware datetime).
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def _insert_rows(conn: Connection, rows: list[dict[str, Any]], now: datetime) -> None:
    """One executemany. On SQLite straight to the driver: a message creating thousands of tokens writes
    thousands of rows, and SQLAlchemy's per-row parameter processing would be a large share of that."""
    if conn.dialect.name != "sqlite":
        conn.execute(insert(AuditRecord), rows)
        return
    stamp = now.astimezone(UTC).strftime(_SQLITE_TIME)
    params = [tuple(stamp if k == "time" else r[k] for k in _INSERT_COLUMNS) for r in rows]
    conn.exec_driver_sql(_SQLITE_INSERT, params)


@dataclass(frozen=True)
class PruneResult:
    pruned: int
    start_seq: int
    anchor: str


def prune(
    engine: Engine, before: datetime, *, actor: str, clock: Clock, through: int | None = None
) -> PruneResult:
    """Delete the rows older than `before` (never past seq `through`, the last one verified) and record
    where the kept chain starts: a checkpoint row, and an `audit-pruned` event appended to the chain.

    The cut is the first row whose time is not before `before`: every deleted row is older than it.
    """
    with engine.begin() as conn:
        h_seq, _ = conn.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID).with_for_update()
        ).one()
        current = conn.execute(select(func.max(AuditCheckpoint.start_seq))).scalar() or 1
        cut = conn.execute(select(func.min(AuditRecord.seq)).where(AuditRecord.time >= before)).scalar()
        cut = int(h_seq) + 1 if cut is None else int(cut)
        if through is not None:
            cut = min(cut, through + 1)
        pruned = 0
        if cut > current:
            anchor = conn.execute(select(AuditRecord.hash).where(AuditRecord.seq == cut - 1)).scalar_one()
            pruned = conn.execute(delete(AuditRecord).where(AuditRecord.seq < cut)).rowcount
            conn.execute(
                insert(AuditCheckpoint).values(
                    time=clock.now(), start_seq=cut, prev_hash=anchor, pruned=pruned
                )
            )
            # Stats keep no hour that lies wholly before the cut.
            conn.execute(delete(AuditRollup).where(AuditRollup.hour < hour_of(before)))
        else:
            cut = current
            anchor = (
                conn.execute(
                    select(AuditCheckpoint.prev_hash).order_by(AuditCheckpoint.id.desc()).limit(1)
                ).scalar()
                or GENESIS_HASH
            )
        event = AuditPruned(
            actor=actor, pruned=pruned, before=before.isoformat(), first_kept_seq=cut, anchor=anchor
        )
        append(conn, [event], clock)
    return PruneResult(pruned, cut, anchor)
