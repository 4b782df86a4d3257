"""Same value, same token, one row: 1,000 concurrent tokenizations across four vault instances."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from vault.audit import AuditContext
from vault.keys import MasterKey
from vault.models import AuditRecord, Token
from vault.store import Vault

THREADS = 1000
INSTANCES = 4  # separate engines and caches, like separate proxy processes


def test_a_thousand_concurrent_tokenizations_of_one_value_store_exactly_one_row_and_none_fails(
    vault_url: str, master: MasterKey, vault: Vault, ctx: AuditContext
) -> None:
    vault.open_session(name="shared", ctx=ctx)
    # A thousand writers queue for SQLite's one write lock: on a loaded machine the last waits longer than
    # the product's 5 s busy timeout, which is not what this test is about.
    vaults = [Vault.open(vault_url, master, busy_timeout_ms=120_000) for _ in range(INSTANCES)]
    sessions = [v.open_session(name="shared", ctx=ctx) for v in vaults]
    barrier = threading.Barrier(THREADS)

    def work(i: int) -> str:
        barrier.wait()
        # a unique value beside the shared one: every call is a write transaction, none served from cache
        items = [("EMAIL_ADDRESS", "race@example.com"), ("PERSON", f"person {i}")]
        return sessions[i % INSTANCES].tokenize(items, ctx)[0]

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            tokens = set(pool.map(work, range(THREADS)))
        assert len(tokens) == 1
        with vault.engine.connect() as conn:
            shared = select(func.count()).where(Token.entity_type == "EMAIL_ADDRESS")
            assert conn.execute(shared).scalar() == 1
            assert conn.execute(select(func.count()).select_from(Token)).scalar() == THREADS + 1
            created = select(func.count()).where(AuditRecord.event == "token-created")
            assert conn.execute(created).scalar() == THREADS + 1
        assert vault.verify_audit().ok
        [token] = tokens
        assert sessions[0].detokenize([token], ctx) == {token: "race@example.com"}
    finally:
        for v in vaults:
            v.close()


def test_processes_opening_one_session_name_at_once_all_get_the_same_session(
    vault_url: str, master: MasterKey, vault: Vault, ctx: AuditContext
) -> None:
    vaults = [Vault.open(vault_url, master) for _ in range(INSTANCES)]
    barrier = threading.Barrier(40)

    def work(i: int) -> str:
        barrier.wait()
        return vaults[i % INSTANCES].open_session(name="desk", ctx=ctx).session_id

    try:
        with ThreadPoolExecutor(40) as pool:
            assert len(set(pool.map(work, range(40)))) == 1
        assert [s.name for s in vault.list_sessions()] == ["desk"]
    finally:
        for v in vaults:
            v.close()
