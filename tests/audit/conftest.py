"""Audit test fixtures: the seeded story (audit_story.py), the vault fixtures, a CLI runner."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from audit_story import START, deterministic_randomness, seed
from click.testing import CliRunner, Result

from proxy.cli import cli
from vault.clock import FrozenClock
from vault.keys import load_master_key
from vault.store import Vault


def _vault_fixtures() -> Any:
    """tests/vault/conftest.py's fixtures (vault_url on SQLite and PostgreSQL, pg_schema_url, master, ...)."""
    path = Path(__file__).resolve().parents[1] / "vault" / "conftest.py"
    spec = importlib.util.spec_from_file_location("_veil_vault_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_vf = _vault_fixtures()
pg_schema_url, vault_url, master, ctx, vault, session = (
    _vf.pg_schema_url, _vf.vault_url, _vf.master, _vf.ctx, _vf.vault, _vf.session,
)  # fmt: skip


@pytest.fixture
def clock() -> FrozenClock:
    """The vault fixture's clock, starting when the story does."""
    return FrozenClock(START)


@pytest.fixture
def seeded_home(veil_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A data dir whose default SQLite vault holds the story."""
    deterministic_randomness(monkeypatch)
    veil_home.mkdir(mode=0o700, parents=True, exist_ok=True)
    clock = FrozenClock(START)
    vault = Vault.open(f"sqlite:///{veil_home / 'vault.db'}", load_master_key(veil_home), clock=clock)
    try:
        story = seed(vault, clock)
    finally:
        vault.close()
    yield veil_home, story


@pytest.fixture
def veil() -> Callable[..., Result]:
    """Run `veil ARGS...` in-process; returns click's Result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=stdin, catch_exceptions=False, prog_name="veil")

    return run
