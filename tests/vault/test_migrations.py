"""Alembic migrations: upgrade to head matches the models exactly (`alembic check`), on both engines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from vault import migrate
from vault.store import create_vault_engine

ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "alembic_version", "key_versions", "sessions", "tokens", "stored_results",
    "audit_events", "audit_head", "audit_checkpoints",
    "audit_rollup", "approvals", "tool_pins", "quota_usage",
}  # fmt: skip


def alembic(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VEIL_VAULT_URL"}
    cmd = [sys.executable, "-m", "alembic", "-c", "migrations/alembic.ini", "-x", f"url={url}", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def assert_upgrade_then_check_is_clean(url: str) -> None:
    up = alembic(url, "upgrade", "head")
    assert up.returncode == 0, up.stderr
    check = alembic(url, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_upgrade_then_check_reports_no_differences_on_sqlite(tmp_path: Path) -> None:
    assert_upgrade_then_check_is_clean(f"sqlite:///{tmp_path / 'x.db'}")


@pytest.mark.postgres
def test_upgrade_then_check_reports_no_differences_on_postgresql(pg_schema_url: str) -> None:
    assert_upgrade_then_check_is_clean(pg_schema_url)


def test_downgrade_to_base_removes_every_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert alembic(url, "upgrade", "head").returncode == 0
    down = alembic(url, "downgrade", "base")
    assert down.returncode == 0, down.stderr
    engine = create_vault_engine(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()


def test_programmatic_upgrade_creates_the_schema_and_is_a_no_op_at_head(vault_url: str) -> None:
    engine = create_vault_engine(vault_url)
    try:
        migrate.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == TABLES
        assert migrate.current_revision(engine) == migrate.head_revision() == "0005_quotas"
        migrate.upgrade(engine)
    finally:
        engine.dispose()
