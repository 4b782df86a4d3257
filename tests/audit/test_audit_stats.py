"""`veil audit stats` reads an hourly rollup kept in the append transaction: its counts equal a scan of
the log, its percentiles are within 5% of the exact ones, a rolled-back append leaves no trace, pruning
trims it."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from vault import audit, migrate
from vault.audit import AuditContext
from vault.clock import FrozenClock
from vault.models import AuditRollup
from vault.store import create_vault_engine

T0 = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def engine(vault_url: str) -> Engine:
    e = create_vault_engine(vault_url)
    migrate.upgrade(e)
    return e


def calls(tool: str, durations: list[float], outcome: str = "ok") -> list[audit.AuditEvent]:
    ctx = AuditContext("os:a", "crm", "to-client", "tools/call", tool)
    return [audit.CallCompleted.of(ctx, session_id="s", outcome=outcome, duration_ms=d) for d in durations]


def exact(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered))) - 1]


def test_percentiles_from_the_buckets_are_within_five_percent(engine: Engine) -> None:
    rng = random.Random(7)
    durations = [rng.lognormvariate(3, 1.2) for _ in range(5_000)]
    clock = FrozenClock(T0)
    for chunk in range(0, 5_000, 500):
        with engine.begin() as conn:
            audit.append(conn, calls("search", durations[chunk : chunk + 500]), clock)
        clock.advance(timedelta(minutes=20))
    [s] = audit.stats(engine)
    assert s.calls == 5_000
    assert s.p50_ms == pytest.approx(exact(durations, 0.5), rel=0.05)
    assert s.p95_ms == pytest.approx(exact(durations, 0.95), rel=0.05)


def test_rollup_counts_equal_a_scan_of_the_log_and_follow_the_window(engine: Engine) -> None:
    clock = FrozenClock(T0)
    ctx = AuditContext("os:a", "crm", "to-client", "tools/call", "get")
    for hour in range(5):
        events: list[audit.AuditEvent] = [
            audit.TokenCreated.of(ctx, session_id="s", entity_type="PERSON", token=f"[[PERSON:{'a' * 15}{c}]]")  # noqa: E501
            for c in "bcdefg"[: hour + 1]
        ]  # fmt: skip
        events += calls("get", [5.0] * hour, outcome="error" if hour == 4 else "ok")
        events.append(
            audit.DetokenizeRefused.of(ctx, session_id="s", outcome="refused", reason="unknown", count=1)
        )
        with engine.begin() as conn:
            audit.append(conn, events, clock)
        clock.advance(timedelta(hours=1))
    [whole] = audit.stats(engine)
    assert (whole.tokenized, whole.calls, whole.refused, whole.errors) == ({"PERSON": 15}, 10, 5, 4)
    [late] = audit.stats(engine, since=T0 + timedelta(hours=3, minutes=30))  # from the start of hour 3
    assert (late.tokenized, late.calls, late.errors) == ({"PERSON": 9}, 7, 4)
    scanned = Counter(r["event"] for r in audit.query(engine, audit.AuditQuery()))
    with engine.connect() as conn:
        rolled = dict(
            conn.execute(
                select(AuditRollup.event, func.sum(AuditRollup.rows)).group_by(AuditRollup.event)
            ).all()
        )
    assert {k: int(v) for k, v in rolled.items()} == dict(scanned)


def test_a_rolled_back_append_leaves_the_rollup_untouched(engine: Engine) -> None:
    clock = FrozenClock(T0)
    with engine.begin() as conn:
        audit.append(conn, calls("get", [1.0]), clock)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        audit.append(conn, calls("get", [1.0, 2.0]), clock)
        raise RuntimeError("the operation failed")
    assert [s.calls for s in audit.stats(engine)] == [1]


def test_pruning_drops_the_hours_before_the_cut(engine: Engine) -> None:
    clock = FrozenClock(T0)
    for _ in range(3):
        with engine.begin() as conn:
            audit.append(conn, calls("get", [1.0, 2.0]), clock)
        clock.advance(timedelta(hours=1))
    audit.prune(engine, T0 + timedelta(hours=2), actor="t", clock=clock)
    [s] = [s for s in audit.stats(engine) if s.tool == "get"]
    assert s.calls == 2 and audit.verify(engine).ok
