"""The fleet tests use the vault suite's throwaway PostgreSQL schema (skipped if the server is down)."""

from __future__ import annotations

from tests.vault.conftest import pg_schema_url

__all__ = ["pg_schema_url"]
