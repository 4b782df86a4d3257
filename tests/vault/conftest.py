"""Vault test fixtures: every `vault_url` test runs on SQLite (a temp file) and on PostgreSQL (a throwaway
schema on 127.0.0.1:5432, skipped with a reason if the server is down)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from vault.audit import AuditContext
from vault.clock import FrozenClock
from vault.keys import MasterKey
from vault.store import SessionVault, Vault

PG_DSN = "postgresql://root@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"


def _pg_reason() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        psycopg.connect(PG_DSN, connect_timeout=2).close()
    except psycopg.Error as e:
        return f"PostgreSQL on 127.0.0.1:5432 is not reachable ({type(e).__name__})"
    return None


_PG_SKIP = _pg_reason()


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards."""
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    import psycopg

    schema = f"veil_test_{secrets.token_hex(6)}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def vault_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'vault.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def master() -> MasterKey:
    return MasterKey(secrets.token_bytes(32), "the test key")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def ctx() -> AuditContext:
    return AuditContext(actor="test", backend="crm", direction="to-client", method="tools/call", tool="get")


@pytest.fixture
def vault(vault_url: str, master: MasterKey, clock: FrozenClock) -> Iterator[Vault]:
    v = Vault.open(vault_url, master, clock=clock)
    try:
        yield v
    finally:
        v.close()


@pytest.fixture
def session(vault: Vault, ctx: AuditContext) -> SessionVault:
    return vault.open_session(ctx=ctx)
