"""The audit log's hash chain: what a row's hash covers, and `verify`, which walks the chain.

Each row's hash is sha256(previous hash + canonical JSON of the row, seq and time included), so `verify`
detects an edited, deleted, inserted or reordered row; the head row (last seq, last hash) catches a
truncated tail, and a checkpoint kept elsewhere (`head()`) catches one whose head row was rewritten too.

A row of typed events carries its fields as `payload` (canonical JSON text, not a JSON column type:
PostgreSQL's jsonb would reorder it, and the hash covers the exact text) and the hash covers it. A row
written before typed events has no payload, and its hash covers exactly what it covered then, so an
upgraded vault's old rows still verify.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, String, select, type_coerce

from vault.audit.events import AuditPruned
from vault.models import GENESIS_HASH, HEAD_ROW_ID, AuditCheckpoint, AuditHead, AuditRecord

HASHED_FIELDS = (
    "seq", "time", "event", "actor", "session_id", "backend", "direction", "method", "tool",
    "entity_type", "token", "count", "outcome", "reason", "detail", "duration_ms",
)  # fmt: skip
"""The columns every row's hash covers; a row with a payload adds `payload`."""

_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def canonical_json(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, ASCII only (lone surrogates become escapes, not errors)."""
    return _CANONICAL.encode(value)


# The same canonical JSON without re-sorting per row: the dict is built in sorted key order.
_SORTED_FIELDS = tuple(sorted(HASHED_FIELDS))
_SORTED_WITH_PAYLOAD = tuple(sorted((*HASHED_FIELDS, "payload")))
_IN_ORDER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True)


def chain_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """sha256(previous hash + canonical JSON of the hashed fields, time as ISO 8601)."""
    keys = _SORTED_FIELDS if row.get("payload") is None else _SORTED_WITH_PAYLOAD
    canonical = {k: row[k] for k in keys}
    canonical["time"] = row["time"].isoformat()  # an existing key: its sorted position is kept
    return hashlib.sha256((prev_hash + _IN_ORDER.encode(canonical)).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """A chain head stored elsewhere (`veil audit checkpoint`): the log must still contain it."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        seq, sep, digest = text.strip().partition(":")
        if not sep or not seq.isdigit() or not _HEX64.fullmatch(digest):
            raise ValueError(f"invalid checkpoint {text!r}: expected SEQ:HASH, e.g. 1234:{'0f' * 32}")
        return cls(int(seq), digest)


_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    first_bad_seq: int | None = None
    problem: str | None = None
    start_seq: int = 1  # where the kept chain starts (after pruning)
    head_seq: int = 0
    head_hash: str = GENESIS_HASH


def decode_time(value: Any) -> datetime | None:
    """A row's time, read without the column type (a corrupted SQLite value must not abort a scan)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


RAW_TIME = type_coerce(AuditRecord.time, String).label("time")


def snapshot(conn: Connection) -> Connection:
    """One consistent view for a multi-statement read: the head, the checkpoint and the rows agree."""
    if conn.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ")
    return conn.execution_options(veil_begin="DEFERRED")


def head(engine: Engine) -> Checkpoint:
    """The current head: last seq and its hash (seq 0 and the genesis hash for an empty log)."""
    with engine.connect() as conn:
        seq, digest = conn.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID)
        ).one()
    return Checkpoint(int(seq), str(digest))


def verify(engine: Engine, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Walk the chain from its start; report the first row that does not follow from its predecessor.

    With `checkpoint` (a head printed earlier and kept elsewhere), the row at that seq must still carry
    that hash: this catches a truncated tail even when the head row was rewritten to match.
    """
    cols = [
        RAW_TIME if k == "time" else getattr(AuditRecord, k)
        for k in (*HASHED_FIELDS, "payload", "prev_hash", "hash")
    ]
    with snapshot(engine.connect()) as conn:
        conn = conn.execution_options(yield_per=1000)
        h_seq, h_hash = conn.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID)
        ).one()
        cp = conn.execute(
            select(AuditCheckpoint.start_seq, AuditCheckpoint.prev_hash)
            .order_by(AuditCheckpoint.id.desc())
            .limit(1)
        ).first()
        start, anchor = (int(cp.start_seq), str(cp.prev_hash)) if cp else (1, GENESIS_HASH)
        expected, prev, checked = start, anchor, 0
        prune_recorded = cp is None

        def bad(seq: int, problem: str) -> VerifyResult:
            return VerifyResult(False, checked, seq, problem, start, int(h_seq), str(h_hash))

        for r in conn.execute(select(*cols).order_by(AuditRecord.seq)):
            row = r._asdict()
            seq = row["seq"]
            if seq < start:
                where = f"the kept chain, which starts at seq {start} after pruning" if cp else "seq 1"
                return bad(seq, f"a row was inserted before {where}")
            if seq != expected:
                return bad(expected, "a row is missing" if seq > expected else "rows are out of sequence")
            if row["prev_hash"] != prev:
                return bad(seq, "the previous-hash link is broken")
            row["time"] = decode_time(row["time"])
            if row["time"] is None:
                return bad(seq, "the row is corrupted: its time cannot be read")
            try:
                digest = chain_hash(prev, row)
            except (TypeError, ValueError):
                return bad(seq, "the row is corrupted: its fields cannot be read")
            if digest != row["hash"]:
                return bad(seq, "the row was altered")
            if seq > h_seq:
                return bad(seq, "a row was added after the head (the last appended row)")
            if checkpoint is not None and seq == checkpoint.seq and digest != checkpoint.hash:
                return bad(seq, f"the row differs from the checkpoint {checkpoint}")
            if not prune_recorded and row["event"] == AuditPruned.name:
                prune_recorded = _records_prune(row, start, anchor)
            prev, expected, checked = digest, expected + 1, checked + 1
    last = expected - 1
    if (h_seq, h_hash) != (last, prev):
        return bad(expected, "rows at the end of the log were removed or added")
    if not prune_recorded:
        return bad(start, f"the chain starts at seq {start} but no audit-pruned event records that pruning")
    if checkpoint is not None:
        if checkpoint.seq > last:
            return bad(
                last + 1,
                f"the log ends at seq {last}, before the checkpoint at seq {checkpoint.seq}: "
                "rows were removed from the tail",
            )
        if checkpoint.seq < start - 1:
            return bad(
                start,
                f"the checkpoint at seq {checkpoint.seq} was pruned (the kept chain starts at seq {start}); "
                "it can no longer be checked: take a new checkpoint after pruning",
            )
        if checkpoint.seq == start - 1 and checkpoint.hash != anchor:
            return bad(start, f"the kept chain does not continue from the checkpoint {checkpoint}")
    return VerifyResult(True, checked, None, None, start, last, prev)


def _records_prune(row: Mapping[str, Any], start: int, anchor: str) -> bool:
    """Whether an audit-pruned row records the kept chain's start (in its payload, or in `detail` for a
    row written before typed events)."""
    try:
        d = json.loads(row["payload"] or row["detail"] or "{}")
    except ValueError:
        return False
    return isinstance(d, dict) and d.get("first_kept_seq") == start and d.get("anchor") == anchor
