"""The hash chain on a 10,000-row log: every single-row mutation is detected and named by its seq;
checkpoints catch a truncated tail; pruning keeps the chain verifiable; several processes share one chain."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, insert, select, text, update

from vault import audit
from vault.audit import AuditContext, Checkpoint
from vault.clock import FrozenClock
from vault.keys import MasterKey
from vault.models import AuditCheckpoint, AuditHead, AuditRecord
from vault.store import Vault, create_vault_engine

ROWS = 10_000
T0 = datetime(2026, 1, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def varied_events(n: int, offset: int = 0) -> list[audit.AuditEvent]:
    """Events exercising every column: tokens, counts, details, durations, NULLs."""
    out: list[audit.AuditEvent] = []
    for i in range(offset, offset + n):
        ctx = AuditContext(f"os:user{i % 7}", f"backend-{i % 3}", "to-client", "tools/call", f"tool_{i % 11}")
        kind = i % 4
        if kind == 0:
            token = f"[[EMAIL_ADDRESS:{'abcdefghijklmnop'[i % 16] * 15}a]]"
            out.append(audit.TokenCreated.of(ctx, session_id=f"{i % 50:032x}", entity_type="EMAIL_ADDRESS",
                                             token=token, count=1))  # fmt: skip
        elif kind == 1:
            out.append(audit.TokenizeSummary.of(ctx, session_id=f"{i % 50:032x}", count=i % 9,
                                                detail={"EMAIL_ADDRESS": i % 5, "PERSON": 2}))  # fmt: skip
        elif kind == 2:
            out.append(audit.CallCompleted.of(ctx, session_id=f"{i % 50:032x}", duration_ms=(i % 997) / 7))
        else:
            refused = {"outcome": "refused", "reason": "unknown", "count": 2, "fingerprint": f"{i:020x}"}
            out.append(audit.DetokenizeRefused.of(ctx, session_id=f"{i % 50:032x}", **refused))
    return out


def build_log(engine: Engine, rows: int, *, batch: int = 1000, start: datetime = T0) -> None:
    """`rows` audit rows through audit.append (one executemany per batch), a minute apart per batch."""
    clock = FrozenClock(start)
    for offset in range(0, rows, batch):
        with engine.begin() as conn:
            audit.append(conn, varied_events(min(batch, rows - offset), offset), clock)
        clock.advance(timedelta(minutes=1))


@pytest.fixture(scope="module")
def template_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from vault import migrate

    path = tmp_path_factory.mktemp("audit") / "template.db"
    engine = create_vault_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    build_log(engine, ROWS)
    engine.dispose()  # the last connection to close folds the WAL into the file
    return path


@pytest.fixture
def log10k(template_10k: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "vault.db"
    shutil.copy(template_10k, path)
    engine = create_vault_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def row(conn: Any, seq: int) -> dict[str, Any]:
    return dict(conn.execute(select(AuditRecord).where(AuditRecord.seq == seq)).mappings().one())


def test_an_untouched_10000_row_log_verifies_and_names_its_head(log10k: Engine) -> None:
    result = audit.verify(log10k)
    assert (result.ok, result.rows_checked, result.head_seq) == (True, ROWS, ROWS)
    assert audit.head(log10k) == Checkpoint(ROWS, result.head_hash)


# One edit per column kind; each must be caught at the edited row, at the start, middle and end.
EDITS: dict[str, Callable[[Any], Any]] = {
    "time": lambda v: v + timedelta(microseconds=1),
    "event": lambda v: "token-detokenized" if v != "token-detokenized" else "token-created",
    "actor": lambda v: "os:mallory",
    "session_id": lambda v: "f" * 32,
    "backend": lambda v: "other-backend",
    "direction": lambda v: "to-backend",
    "method": lambda v: "resources/read",
    "tool": lambda v: "innocent_tool",
    "entity_type": lambda v: "PERSON",
    "token": lambda v: "[[PERSON:aaaaaaaaaaaaaaaa]]",
    "count": lambda v: (v or 0) + 1,
    "outcome": lambda v: "ok" if v != "ok" else "refused",
    "reason": lambda v: "nothing to see",
    "detail": lambda v: '{"PERSON":0}',
    "duration_ms": lambda v: (v or 0.0) + 0.001,
    "prev_hash": lambda v: "e" * 64,
    "hash": lambda v: "f" * 64,
}


@pytest.mark.parametrize("seq", [1, 4_567, ROWS])
@pytest.mark.parametrize("column", sorted(EDITS))
def test_editing_any_field_of_any_row_is_detected_at_that_row(log10k: Engine, column: str, seq: int) -> None:
    with log10k.begin() as conn:
        old = row(conn, seq)[column]
        conn.execute(update(AuditRecord).where(AuditRecord.seq == seq).values({column: EDITS[column](old)}))
    result = audit.verify(log10k)
    assert not result.ok and result.first_bad_seq == seq, result


def test_an_edited_row_whose_hash_was_recomputed_breaks_the_next_link(log10k: Engine) -> None:
    with log10k.begin() as conn:
        r = row(conn, 5_000)
        r["actor"] = "os:mallory"
        digest = audit.chain_hash(r["prev_hash"], r)
        conn.execute(
            update(AuditRecord).where(AuditRecord.seq == 5_000).values(actor="os:mallory", hash=digest)
        )
    result = audit.verify(log10k)
    assert (result.ok, result.first_bad_seq, result.problem) == (
        False,
        5_001,
        "the previous-hash link is broken",
    )


@pytest.mark.parametrize("seq", [1, 2, 5_000, ROWS - 1])
def test_deleting_any_row_is_detected_and_named(log10k: Engine, seq: int) -> None:
    with log10k.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.seq == seq))
    result = audit.verify(log10k)
    assert (result.ok, result.first_bad_seq) == (False, seq)
    assert result.problem == "a row is missing" or seq == ROWS


def test_deleting_the_last_row_is_detected_by_the_head(log10k: Engine) -> None:
    with log10k.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.seq == ROWS))
    result = audit.verify(log10k)
    assert (result.ok, result.first_bad_seq) == (False, ROWS)
    assert result.problem == "rows at the end of the log were removed or added"


def shift_up(conn: Any, after: int) -> None:
    """Renumber rows after `after` one up (via negatives: seq is a primary key)."""
    conn.execute(update(AuditRecord).where(AuditRecord.seq > after).values(seq=-(AuditRecord.seq + 1)))
    conn.execute(update(AuditRecord).where(AuditRecord.seq < 0).values(seq=-AuditRecord.seq))


@pytest.mark.parametrize("rehash", [False, True], ids=["naive", "rehashed"])
@pytest.mark.parametrize("after", [0, 3_000, ROWS - 1])
def test_inserting_a_row_anywhere_is_detected(log10k: Engine, after: int, rehash: bool) -> None:
    with log10k.begin() as conn:
        template = row(conn, after + 1)
        prev = row(conn, after)["hash"] if after else audit.GENESIS_HASH
        shift_up(conn, after)
        forged = {**template, "seq": after + 1, "actor": "os:mallory", "prev_hash": prev}
        forged["hash"] = audit.chain_hash(prev, forged) if rehash else template["hash"]
        conn.execute(insert(AuditRecord).values(**forged))
    result = audit.verify(log10k)
    assert not result.ok
    assert result.first_bad_seq == (after + 2 if rehash else after + 1), result


def test_a_row_appended_past_the_head_is_detected(log10k: Engine) -> None:
    with log10k.begin() as conn:
        last = row(conn, ROWS)
        forged = {**last, "seq": ROWS + 1, "prev_hash": last["hash"]}
        forged["hash"] = audit.chain_hash(last["hash"], forged)
        conn.execute(insert(AuditRecord).values(**forged))
    result = audit.verify(log10k)
    assert (result.ok, result.first_bad_seq) == (False, ROWS + 1)
    assert result.problem == "a row was added after the head (the last appended row)"


@pytest.mark.parametrize("seq", [1, 6_000, ROWS - 1])
def test_swapping_two_adjacent_rows_is_detected_at_the_first(log10k: Engine, seq: int) -> None:
    with log10k.begin() as conn:
        conn.execute(update(AuditRecord).where(AuditRecord.seq == seq).values(seq=-1))
        conn.execute(update(AuditRecord).where(AuditRecord.seq == seq + 1).values(seq=seq))
        conn.execute(update(AuditRecord).where(AuditRecord.seq == -1).values(seq=seq + 1))
    result = audit.verify(log10k)
    assert (result.ok, result.first_bad_seq) == (False, seq)


def test_a_truncated_tail_with_a_rewritten_head_passes_alone_but_fails_against_a_checkpoint(
    log10k: Engine,
) -> None:
    cp = audit.head(log10k)
    with log10k.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.seq > ROWS - 10))
        last = row(conn, ROWS - 10)
        conn.execute(update(AuditHead).values(seq=last["seq"], hash=last["hash"]))
    assert audit.verify(log10k).ok  # a consistent shorter chain: only a checkpoint kept elsewhere tells
    result = audit.verify(log10k, cp)
    assert (result.ok, result.first_bad_seq) == (False, ROWS - 9)
    assert "rows were removed from the tail" in (result.problem or "")


def test_a_rewritten_last_row_and_head_fail_against_a_checkpoint(log10k: Engine) -> None:
    cp = audit.head(log10k)
    with log10k.begin() as conn:
        r = row(conn, ROWS)
        r["reason"] = "rewritten"
        digest = audit.chain_hash(r["prev_hash"], r)
        conn.execute(
            update(AuditRecord).where(AuditRecord.seq == ROWS).values(reason="rewritten", hash=digest)
        )
        conn.execute(update(AuditHead).values(hash=digest))
    assert audit.verify(log10k).ok
    result = audit.verify(log10k, cp)
    assert (result.ok, result.first_bad_seq) == (False, ROWS)


def test_a_checkpoint_string_round_trips_and_bad_ones_are_refused() -> None:
    cp = Checkpoint(42, "ab" * 32)
    assert Checkpoint.parse(str(cp)) == cp
    for bad in ("42", "x:" + "ab" * 32, "42:xyz", "42:" + "AB" * 32, ""):
        with pytest.raises(ValueError, match="SEQ:HASH"):
            Checkpoint.parse(bad)


def test_a_corrupted_time_fails_verify_naming_the_row_and_query_returns_the_other_rows(
    log10k: Engine,
) -> None:
    with log10k.begin() as conn:
        conn.execute(text("UPDATE audit_events SET time = 'not a time' WHERE seq = 777"))
        conn.execute(text("UPDATE audit_events SET detail = '{broken' WHERE seq = 778"))
    result = audit.verify(log10k)
    assert (result.ok, result.first_bad_seq) == (False, 777)
    assert "corrupted" in (result.problem or "")
    rows = list(audit.query(log10k, audit.AuditQuery()))
    assert len(rows) == ROWS
    bad = {r["seq"]: r["malformed"] for r in rows if "malformed" in r}
    assert bad == {777: ["time"], 778: ["detail"]}


# --- pruning --------------------------------------------------------------------------------------------


def test_pruning_keeps_the_rest_verifiable_and_records_itself(log10k: Engine) -> None:
    before = T0 + timedelta(minutes=4)  # batches are a minute apart: the first 4,000 rows go
    result = audit.prune(log10k, before, actor="os:carol", clock=FrozenClock(T0 + timedelta(days=1)))
    assert (result.pruned, result.start_seq) == (4_000, 4_001)
    checked = audit.verify(log10k)
    assert checked.ok and checked.start_seq == 4_001 and checked.rows_checked == ROWS - 4_000 + 1
    [last] = audit.query(log10k, audit.AuditQuery(limit=1))
    assert last["event"] == "audit-pruned" and last["count"] == 4_000 and last["actor"] == "os:carol"
    assert last["detail"] == {"before": before.isoformat(), "first_kept_seq": 4_001, "anchor": result.anchor}
    again = audit.prune(log10k, before, actor="os:carol", clock=FrozenClock(T0 + timedelta(days=1)))
    assert again.pruned == 0 and audit.verify(log10k).ok


def test_a_checkpoint_taken_before_pruning_still_checks_when_it_is_the_anchor(log10k: Engine) -> None:
    with log10k.connect() as conn:
        anchor = Checkpoint(4_000, row(conn, 4_000)["hash"])
    audit.prune(log10k, T0 + timedelta(minutes=4), actor="t", clock=FrozenClock(T0 + timedelta(days=1)))
    assert audit.verify(log10k, anchor).ok
    assert audit.verify(log10k, Checkpoint(4_000, "0" * 64)).first_bad_seq == 4_001
    stale = audit.verify(log10k, Checkpoint(10, "0" * 64))
    assert not stale.ok and "was pruned" in (stale.problem or "")


def test_deleting_more_rows_and_forging_a_checkpoint_is_detected(log10k: Engine) -> None:
    audit.prune(log10k, T0 + timedelta(minutes=4), actor="t", clock=FrozenClock(T0 + timedelta(days=1)))
    with log10k.begin() as conn:  # hide rows 4,001..4,999 behind a forged checkpoint row
        anchor = row(conn, 5_000)["hash"]
        conn.execute(delete(AuditRecord).where(AuditRecord.seq <= 5_000))
        conn.execute(insert(AuditCheckpoint).values(time=T0, start_seq=5_001, prev_hash=anchor, pruned=999))
    result = audit.verify(log10k)
    assert (result.ok, result.first_bad_seq) == (False, 5_001)
    assert "no audit-pruned event" in (result.problem or "")


def test_deleting_the_oldest_rows_without_a_checkpoint_is_detected(log10k: Engine) -> None:
    with log10k.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.seq <= 100))
    assert audit.verify(log10k).first_bad_seq == 1


def test_pruning_everything_leaves_a_chain_of_one_audit_pruned_row(log10k: Engine) -> None:
    result = audit.prune(log10k, T0 + timedelta(days=9), actor="t", clock=FrozenClock(T0 + timedelta(days=9)))
    assert result.pruned == ROWS
    checked = audit.verify(log10k)
    assert (checked.ok, checked.rows_checked, checked.start_seq) == (True, 1, ROWS + 1)


def test_pruning_never_passes_the_last_verified_row(log10k: Engine) -> None:
    result = audit.prune(
        log10k, T0 + timedelta(days=9), actor="t", clock=FrozenClock(T0 + timedelta(days=9)), through=2_500
    )
    assert (result.pruned, result.start_seq) == (2_500, 2_501)
    assert audit.verify(log10k).ok


@pytest.mark.postgres
def test_prune_and_verify_on_postgresql(pg_schema_url: str) -> None:
    from vault import migrate

    engine = create_vault_engine(pg_schema_url)
    try:
        migrate.upgrade(engine)
        build_log(engine, 3_000)
        cp = audit.head(engine)
        assert audit.verify(engine, cp).ok
        result = audit.prune(
            engine, T0 + timedelta(minutes=2), actor="t", clock=FrozenClock(T0 + timedelta(1))
        )
        assert result.pruned == 2_000 and audit.verify(engine, cp).ok
        with engine.begin() as conn:
            conn.execute(update(AuditRecord).where(AuditRecord.seq == 2_500).values(count=99))
        assert audit.verify(engine).first_bad_seq == 2_500
    finally:
        engine.dispose()


# --- several processes, one chain -----------------------------------------------------------------------

WRITER = """
import base64, os, sys
from vault import audit
from vault.audit import AuditContext
from vault.keys import MasterKey
from vault.store import Vault
url, n, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
v = Vault.open(url, MasterKey(base64.b64decode(os.environ["KEY"]), "test"))
ctx = AuditContext(actor="os:" + name, backend=name, direction="to-client", method="tools/call", tool="t")
s = v.open_session(ctx=ctx)
for i in range(n):
    if i % 2:
        s.tokenize([("PERSON", f"{name} person {i}")], ctx)
    else:
        s.record([audit.CallCompleted.of(ctx, session_id=s.session_id, duration_ms=i)])
v.close()
"""

PROCESSES = 4
APPENDS = 60


def test_several_processes_appending_at_once_extend_one_unbroken_chain(
    vault_url: str, vault: Vault, master: MasterKey
) -> None:
    import base64

    env = {**os.environ, "KEY": base64.b64encode(master.secret).decode()}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, vault_url, str(APPENDS), f"w{i}"], cwd=ROOT, env=env)
        for i in range(PROCESSES)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * PROCESSES
    result = vault.verify_audit()
    # per process: session-opened, APPENDS/2 call-completed, APPENDS/2 x (token-created + tokenize-summary)
    assert result.ok and result.rows_checked == PROCESSES * (1 + APPENDS // 2 * 3), result
    with vault.engine.connect() as conn:
        seqs = conn.execute(select(func.min(AuditRecord.seq), func.max(AuditRecord.seq))).one()
    assert tuple(seqs) == (1, result.rows_checked)
