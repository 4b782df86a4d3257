"""Several proxy processes on one PostgreSQL vault: tokens, revocations, time and the audit chain agree.

Each `Vault` here has its own engine and caches, as a separate `veil serve` process would; the chain test
runs real subprocesses.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from vault.audit import AuditContext
from vault.clock import DatabaseClock, FrozenClock
from vault.errors import RefusalReason, TokenRefused
from vault.keys import MasterKey
from vault.models import AuditRecord
from vault.store import Vault

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


@pytest.fixture
def two(pg_schema_url: str, master: MasterKey) -> Iterator[tuple[Vault, Vault]]:
    a, b = Vault.open(pg_schema_url, master), Vault.open(pg_schema_url, master)
    yield a, b
    a.close()
    b.close()


def test_a_named_session_resumed_on_another_instance_detokenizes_the_first_instances_tokens(
    two: tuple[Vault, Vault], ctx: AuditContext
) -> None:
    a, b = two
    [token] = a.open_session(name="analyst", ctx=ctx).tokenize([("EMAIL_ADDRESS", "ann@example.com")], ctx)
    assert b.open_session(name="analyst", ctx=ctx).detokenize([token], ctx) == {token: "ann@example.com"}
    with pytest.raises(TokenRefused) as refused:
        b.open_session(ctx=ctx).detokenize([token], ctx)
    assert refused.value.reason is RefusalReason.FOREIGN_SESSION


def test_a_revocation_by_any_process_is_refused_by_every_other_from_the_moment_it_returns(
    two: tuple[Vault, Vault], pg_schema_url: str, master: MasterKey, ctx: AuditContext
) -> None:
    a, b = two
    on_a = a.open_session(name="desk", ctx=ctx)
    on_b = b.open_session(name="desk", ctx=ctx)
    [token] = on_a.tokenize([("PHONE_NUMBER", "+1 415 555 0100")], ctx)
    assert on_b.detokenize([token], ctx)  # warm: the session and token were read on B before
    admin = Vault.open(pg_schema_url, master)  # the CLI: a third process
    try:
        assert admin.revoke_tokens(actor="cli", tokens=[token]) == 1
    finally:
        admin.close()
    for session in (on_a, on_b):
        with pytest.raises(TokenRefused) as refused:
            session.detokenize([token], ctx)
        assert refused.value.reason is RefusalReason.REVOKED


_APPENDER = textwrap.dedent(
    """
    import base64, os, sys
    from vault.audit import AuditContext
    from vault.keys import MasterKey
    from vault.store import Vault
    vault = Vault.open(sys.argv[1], MasterKey(base64.b64decode(os.environ["KEY"]), "env"))
    ctx = AuditContext(actor=sys.argv[2], backend="crm", direction="to-client")
    session = vault.open_session(ctx=ctx)
    for i in range(int(sys.argv[3])):
        session.tokenize([("EMAIL_ADDRESS", f"user{i}@{sys.argv[2]}.example")], ctx)
    session.close(ctx)
    vault.close()
    """
)


def test_audit_rows_appended_by_three_processes_at_once_form_one_verifiable_chain(
    pg_schema_url: str, master: MasterKey
) -> None:
    Vault.open(pg_schema_url, master).close()  # migrate once, as `veil db upgrade` would
    env = {**os.environ, "KEY": base64.b64encode(master.secret).decode(), "PYTHONPATH": str(ROOT)}
    calls = 60
    procs = [
        subprocess.Popen([sys.executable, "-c", _APPENDER, pg_schema_url, f"p{i}", str(calls)], env=env)
        for i in range(3)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    vault = Vault.open(pg_schema_url, master)
    try:
        result = vault.verify_audit()
        assert result.ok, result.problem
        with vault.engine.connect() as conn:
            rows = conn.execute(select(AuditRecord.actor, AuditRecord.time).order_by(AuditRecord.seq)).all()
    finally:
        vault.close()
    # per process: session-opened, then per call token-created + tokenize-summary, then session-closed
    assert sorted({actor for actor, _ in rows}) == ["p0", "p1", "p2"]
    assert len(rows) == 3 * (2 + 2 * calls) == result.rows_checked
    times = [t for _, t in rows]
    assert times == sorted(times), "chain time went backwards"


def test_an_instance_whose_clock_is_behind_never_stamps_a_row_before_its_predecessor(
    pg_schema_url: str, master: MasterKey, ctx: AuditContext
) -> None:
    start = datetime(2026, 6, 1, tzinfo=UTC)
    ahead = Vault.open(pg_schema_url, master, clock=FrozenClock(start + timedelta(minutes=5)))
    behind = Vault.open(pg_schema_url, master, clock=FrozenClock(start))
    try:
        ahead.open_session(ctx=ctx).tokenize([("EMAIL_ADDRESS", "a@example.com")], ctx)
        behind.open_session(ctx=ctx).tokenize([("EMAIL_ADDRESS", "b@example.com")], ctx)
        assert behind.verify_audit().ok
        with behind.engine.connect() as conn:
            times = conn.execute(select(AuditRecord.time).order_by(AuditRecord.seq)).scalars().all()
        assert times == sorted(times)
        assert times[-1] == start + timedelta(minutes=5)
    finally:
        ahead.close()
        behind.close()


def test_on_postgresql_the_vault_keeps_time_by_the_database_servers_clock(
    pg_schema_url: str, master: MasterKey
) -> None:
    vault = Vault.open(pg_schema_url, master)
    try:
        assert isinstance(vault.clock, DatabaseClock)
        with vault.engine.connect() as conn:
            server = conn.exec_driver_sql("SELECT clock_timestamp()").scalar_one()
        assert abs(vault.clock.now() - server) < timedelta(seconds=1)
    finally:
        vault.close()


def test_the_database_clock_ignores_the_local_wall_clock_and_follows_the_monotonic_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = datetime(2030, 1, 1, tzinfo=UTC)  # far from this host's wall clock
    mono = [1000.0]
    monkeypatch.setattr("vault.clock.time.monotonic", lambda: mono[0])
    clock = DatabaseClock(lambda: server, resync_seconds=60)
    assert clock.due()
    clock.sync()
    assert clock.now() == server and not clock.due()
    mono[0] += 59.5
    assert clock.now() == server + timedelta(seconds=59.5) and not clock.due()
    mono[0] += 1
    assert clock.due()
