"""A vault whose audit log was written before typed events upgrades in place: its old rows still verify,
read back as typed fields, and new rows continue the same chain."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, update

from vault import audit, migrate
from vault.audit import AuditContext
from vault.clock import FrozenClock
from vault.keys import MasterKey
from vault.models import GENESIS_HASH, HEAD_ROW_ID, AuditHead, AuditRecord
from vault.store import Vault, create_vault_engine

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
OLD_FIELDS = (
    "seq", "time", "event", "actor", "session_id", "backend", "direction", "method", "tool",
    "entity_type", "token", "count", "outcome", "reason", "detail", "duration_ms",
)  # fmt: skip
TOKEN = "[[PERSON:abcdefghijklmnop]]"
# Rows as the first log format wrote them: every field in the shared columns.
OLD_ROWS: list[dict[str, Any]] = [
    {"event": "session-opened", "session_id": "a" * 32, "reason": "created"},
    {"event": "token-created", "session_id": "a" * 32, "entity_type": "PERSON", "token": TOKEN, "count": 1},
    {"event": "tokenize-summary", "session_id": "a" * 32, "count": 3, "detail": '{"PERSON":3}'},
    {"event": "result-stored", "session_id": "a" * 32, "count": 52_000, "reason": "f" * 32},
    {"event": "detokenize-refused", "outcome": "refused", "reason": "malformed", "count": 1,
     "detail": '{"fingerprint":"00000000000000000000"}'},
    {"event": "key-rotated", "actor": "admin", "count": 4, "detail": '{"resumed":0,"to_version":2}'},
    {"event": "call-completed", "tool": "get", "duration_ms": 12.5},
]  # fmt: skip


# What the first format's code (vault/audit.py before typed events) computed for the row below.
OLD_KEY_RETIRED_HASH = "f93709d5a31167bb2b48ca446110121b8f253c08e3600c55602029f20d9d0189"


def old_chain_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """The first format's row hash, as it was computed when these rows were written."""
    canonical = {k: row[k] for k in sorted(OLD_FIELDS)}
    canonical["time"] = row["time"].isoformat()
    text = json.dumps(canonical, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + text).encode("ascii")).hexdigest()


def write_old_log(url: str) -> str:
    """A vault at the last schema before typed events, with OLD_ROWS in its audit log; the head hash."""
    engine = create_vault_engine(url)
    try:
        migrate.upgrade(engine, "0002")
        prev = GENESIS_HASH
        with engine.begin() as conn:
            for seq, values in enumerate(OLD_ROWS, 1):
                row = {k: None for k in OLD_FIELDS} | {"outcome": "ok", "actor": "os:alice"} | values
                row.update(seq=seq, time=T0, prev_hash=prev)
                row["hash"] = prev = old_chain_hash(prev, row)
                conn.execute(insert(AuditRecord.__table__).values(row))
            conn.execute(update(AuditHead).where(AuditHead.id == HEAD_ROW_ID).values(seq=seq, hash=prev))
    finally:
        engine.dispose()
    return prev


def test_a_row_without_payload_hashes_as_the_first_format_did() -> None:
    row = {k: None for k in OLD_FIELDS} | {"seq": 1, "time": T0, "event": "key-retired", "outcome": "ok"}
    row["detail"] = '{"version":1}'
    assert old_chain_hash(GENESIS_HASH, row) == OLD_KEY_RETIRED_HASH
    assert audit.chain_hash(GENESIS_HASH, row) == OLD_KEY_RETIRED_HASH
    assert audit.chain_hash(GENESIS_HASH, {**row, "payload": None}) == old_chain_hash(GENESIS_HASH, row)


def test_an_old_log_upgrades_verifies_and_reads_back_as_typed_fields(
    vault_url: str, master: MasterKey
) -> None:
    head = write_old_log(vault_url)
    vault = Vault.open(vault_url, master, clock=FrozenClock(T0))
    try:
        n = len(OLD_ROWS)
        assert vault.verify_audit() == audit.VerifyResult(True, n, None, None, 1, n, head)
        ctx = AuditContext("os:bob", "crm", "to-client", "tools/call", "get")
        session = vault.open_session(ctx=ctx)
        session.tokenize([("PERSON", "Bob")], ctx)
        result = vault.verify_audit()
        assert result.ok and result.rows_checked > len(OLD_ROWS)
        rows = {r["seq"]: r for r in audit.query(vault.engine, audit.AuditQuery(oldest_first=True))}
    finally:
        vault.close()
    old = [rows[seq] for seq in range(1, len(OLD_ROWS) + 1)]
    assert [r["fields"] for r in old] == [
        {"how": "created"},
        {"entity_type": "PERSON", "token": TOKEN},
        {"replaced": 3, "by_type": {"PERSON": 3}},
        {"result_id": "f" * 32, "size": 52_000},
        {"entity_type": None, "token": None, "count": 1, "reason": "malformed", "fingerprint": "0" * 20},
        {"rewrapped": 4, "to_version": 2, "resumed": 0, "unreadable": None},
        {"duration_ms": 12.5, "peak_rss_bytes": None, "cpu_ms": None},  # not measured then
    ]
    assert not any("malformed" in r for r in rows.values())
    # The columns old rows were written with read as before; new rows show the same columns.
    assert (old[3]["count"], old[3]["reason"]) == (52_000, "f" * 32)
    new_summary = [r for r in rows.values() if r["event"] == "tokenize-summary"][-1]
    assert new_summary["seq"] > len(OLD_ROWS)
    assert (new_summary["count"], new_summary["detail"]) == (1, {"PERSON": 1})
    assert new_summary["fields"] == {"replaced": 1, "by_type": {"PERSON": 1}}
