"""`veil audit stats`: per tool and backend, calls, values tokenized, detokenizations, refusals, errors and
latency percentiles, read from an hourly rollup that every append updates in the same transaction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from vault.audit.events import CallCompleted
from vault.engine import dialect_insert
from vault.models import AuditRollup

# Latency buckets: 10% wide from 0.01 ms, so a percentile read from them is within 5% of the true value.
_BUCKET_BASE_MS, _BUCKET_GROWTH = 0.01, 1.1


def latency_bucket(ms: float) -> int:
    if ms <= _BUCKET_BASE_MS:
        return 0
    return int(math.log(ms / _BUCKET_BASE_MS) / math.log(_BUCKET_GROWTH)) + 1


def bucket_ms(bucket: int) -> float:
    """A bucket's representative latency (its geometric middle)."""
    return 0.0 if bucket <= 0 else _BUCKET_BASE_MS * _BUCKET_GROWTH ** (bucket - 0.5)


def hour_of(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def roll_up(
    conn: Connection, rows: Sequence[Mapping[str, Any]], totals: Sequence[int], now: datetime
) -> None:
    """Add the appended rows to the hourly rollup `veil audit stats` reads (one upsert per distinct key);
    `totals`: what each row adds up to (AuditEvent.total)."""
    hour = hour_of(now)
    sums: dict[tuple[str, str, str, str, str, int], list[int]] = {}
    for r, total in zip(rows, totals, strict=True):
        ms = r["duration_ms"]
        key = (
            r["tool"] or "", r["backend"] or "", r["event"], r["entity_type"] or "", r["outcome"] or "",
            -1 if ms is None else latency_bucket(ms),
        )  # fmt: skip
        acc = sums.setdefault(key, [0, 0])
        acc[0] += 1
        acc[1] += total
    keys = ("tool", "backend", "event", "entity_type", "outcome", "bucket")
    values = [
        {"hour": hour, **dict(zip(keys, k, strict=True)), "rows": n, "total": t} for k, (n, t) in sums.items()
    ]
    stmt = dialect_insert(conn)(AuditRollup)
    stmt = stmt.on_conflict_do_update(
        index_elements=["hour", *keys],
        set_={
            "rows": AuditRollup.rows + stmt.excluded.rows,
            "total": AuditRollup.total + stmt.excluded.total,
        },
    )
    conn.execute(stmt, values)


# Events that count toward the per-tool dashboard, and what they count.
_STAT_EVENTS = (
    "call-completed",
    "token-created",
    "tokenize-summary",
    "token-detokenized",
    "detokenize-refused",
    "message-blocked",
)


@dataclass
class ToolStats:
    """One row of `veil audit stats`: a tool on a backend (tool None: messages outside a tool call)."""

    tool: str | None
    backend: str | None
    calls: int = 0
    tokenized: dict[str, int] = field(default_factory=dict)  # new values tokenized, by entity type
    replaced: int = 0  # values replaced in messages toward the client (repeats included)
    detokenized: int = 0  # tokens given back to the backend as real values
    refused: int = 0
    blocked: int = 0
    errors: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None


def stats(engine: Engine, since: datetime | None = None, until: datetime | None = None) -> list[ToolStats]:
    """Per tool and backend: calls, values tokenized by type, detokenizations, refusals, errors, latency.

    Read from the hourly rollup (so a window starts at the hour `since` falls in). Calls and latency come
    from `call-completed` events, which the proxy writes per answered request with `duration_ms`; the
    percentiles are read from 10%-wide buckets.
    """
    r = AuditRollup
    window = []
    if since is not None:
        window.append(r.hour >= hour_of(since))
    if until is not None:
        window.append(r.hour < until)
    stmt = (
        select(
            r.tool,
            r.backend,
            r.event,
            r.entity_type,
            r.outcome,
            r.bucket,
            func.sum(r.rows),
            func.sum(r.total),
        )
        .where(*window)
        .group_by(r.tool, r.backend, r.event, r.entity_type, r.outcome, r.bucket)
    )
    out: dict[tuple[str | None, str | None], ToolStats] = {}
    latencies: dict[tuple[str | None, str | None], dict[int, int]] = {}
    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        grouped = conn.execute(stmt).all()
    for tool_, backend_, event, entity_type, outcome, bucket, n, total in grouped:
        if event not in _STAT_EVENTS and outcome != "error":
            continue
        key = (tool_ or None, backend_ or None)
        s = out.setdefault(key, ToolStats(*key))
        n, total = int(n), int(total or 0)
        if outcome == "error":
            s.errors += n
        if event == CallCompleted.name:
            s.calls += n
            if bucket >= 0:
                hist = latencies.setdefault(key, {})
                hist[bucket] = hist.get(bucket, 0) + n
        elif event == "token-created":
            s.tokenized[entity_type or "?"] = s.tokenized.get(entity_type or "?", 0) + n  # a row per value
        elif event == "tokenize-summary":
            s.replaced += total
        elif event == "token-detokenized":
            s.detokenized += total
        elif event == "detokenize-refused" and outcome == "refused":
            s.refused += n
        elif event == "message-blocked":
            s.blocked += n
    for key, hist in latencies.items():
        out[key].p50_ms = _percentile(hist, 0.50)
        out[key].p95_ms = _percentile(hist, 0.95)
    return sorted(out.values(), key=lambda s: (s.tool or "", s.backend or ""))


def _percentile(hist: Mapping[int, int], p: float) -> float:
    """The p-th percentile (nearest rank) of a latency histogram, as its bucket's representative value."""
    rank, seen = max(1, math.ceil(p * sum(hist.values()))), 0
    for bucket in sorted(hist):
        seen += hist[bucket]
        if seen >= rank:
            value = bucket_ms(bucket)
            return round(value, 1 if value >= 10 else 3)
    return 0.0
