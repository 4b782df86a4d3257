"""CLI test fixtures: a vault under the test's $VEIL_HOME, filled through the library."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_DSN = "postgresql://root@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"


def _pg_reason() -> str | None:
    try:
        import psycopg

        psycopg.connect(PG_DSN, connect_timeout=2).close()
    except Exception as e:
        return f"PostgreSQL on 127.0.0.1:5432 is not reachable ({type(e).__name__})"
    return None


@pytest.fixture
def pg_vault_url() -> Iterator[str]:
    """A PostgreSQL vault URL in a fresh schema, dropped afterwards."""
    reason = _pg_reason()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"veil_cli_{secrets.token_hex(6)}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def sqlite_vault_url(veil_home: Path) -> str:
    veil_home.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{veil_home / 'vault.db'}"
