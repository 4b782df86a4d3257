"""No seeded canary value anywhere: not in any audit table, not in the database file or its WAL, not in
anything `veil audit` prints, not in a log record, not in docs/audit.md."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_story import CANARIES, CUSTOMER_ID
from click.testing import Result
from sqlalchemy import inspect, select, table, text

from vault.store import create_vault_engine

ROOT = Path(__file__).resolve().parents[2]
NEEDLES = sorted({v.casefold() for v in CANARIES.values()} | {CUSTOMER_ID.replace("-", ""), "canary"})


def leaks(blob: str | bytes) -> list[str]:
    text_ = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
    folded = text_.casefold()
    return [n for n in NEEDLES if n in folded]


def test_the_whole_audit_table_holds_no_canary_value(seeded_home: tuple[Path, dict[str, Any]]) -> None:
    home, _ = seeded_home
    engine = create_vault_engine(f"sqlite:///{home / 'vault.db'}")
    try:
        with engine.connect() as conn:
            names = [n for n in inspect(conn).get_table_names() if n.startswith("audit")]
            dump = [
                repr(tuple(r))
                for name in names
                for r in conn.execute(select(text("*")).select_from(table(name)))
            ]
    finally:
        engine.dispose()
    assert {"audit_events", "audit_head", "audit_checkpoints"} <= set(names)
    assert len(dump) > 25
    assert leaks("\n".join(dump)) == []


def test_the_database_file_and_its_wal_hold_no_canary_in_clear(
    seeded_home: tuple[Path, dict[str, Any]],
) -> None:
    home, _ = seeded_home
    files = [p for p in home.iterdir() if p.name.startswith("vault.db")]
    assert files
    for path in files:
        assert leaks(path.read_bytes()) == [], path.name


def test_nothing_veil_audit_prints_or_logs_holds_a_canary(
    seeded_home: tuple[Path, dict[str, Any]], veil: Callable[..., Result], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    home, _ = seeded_home
    runs = [
        veil("audit", "verify"),
        veil("audit", "checkpoint"),
        veil("audit", "query", "--limit", "0"),
        veil("audit", "query", "--json", "--limit", "0"),
        veil("audit", "query", "--csv", "--limit", "0"),
        veil("audit", "stats"),
        veil("audit", "stats", "--json"),
        *(veil("audit", "query", "--json", "--value-stdin", stdin=v) for v in CANARIES.values()),
        veil(
            "audit",
            "query",
            "--value-stdin",
            "--entity-type",
            "EMAIL_ADDRESS",
            stdin=CANARIES["EMAIL_ADDRESS"],
        ),
        veil("audit", "prune", "--before", "2026-11-23T09:30Z"),
        veil("audit", "verify"),
    ]
    assert all(r.exit_code == 0 for r in runs), [r.output for r in runs if r.exit_code]
    found = [r for r in runs if leaks(r.stdout + r.stderr)]
    assert found == []
    value_rows = [json.loads(line) for r in runs[7:12] for line in r.stdout.splitlines()]
    assert value_rows, "the value search found the canaries' tokens"
    assert leaks("\n".join(rec.getMessage() + repr(rec.__dict__) for rec in caplog.records)) == []
    logs = [p for p in home.rglob("*") if p.is_file() and not p.name.startswith("vault.db")]
    assert all(leaks(p.read_bytes()) == [] for p in logs), logs


def test_the_committed_docs_hold_no_canary() -> None:
    assert leaks((ROOT / "docs" / "audit.md").read_text(encoding="utf-8")) == []
