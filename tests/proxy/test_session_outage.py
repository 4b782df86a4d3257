"""A vault outage between calls: the session's buffered call-completed rows survive it."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select

from proxy.config import Settings
from proxy.wiring import Assembly
from vault.models import AuditRecord


def test_call_rows_buffered_while_the_vault_is_unreachable_are_kept_and_written_once_it_is_back(
    veil_home: Path,
) -> None:
    engine = Assembly.load(Settings.resolve())
    try:
        session = engine.open_session(backend="echo")
        path = engine.vault._db_path
        assert path is not None
        session.call_completed("tools/call", "echo", "ok", 0.01)
        os.replace(path, path + ".away")  # the vault is unreachable (a moved file fails closed)
        session.flush_calls()  # logged, not raised: the relay's housekeeping loop goes on
        os.replace(path + ".away", path)
        session.call_completed("tools/call", "echo", "error", 0.02)
        session.flush_calls()
        with engine.vault.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(AuditRecord.outcome)
                    .where(AuditRecord.event == "call-completed")
                    .order_by(AuditRecord.seq)
                )
                .scalars()
                .all()
            )
            policy_rows = conn.execute(
                select(func.count()).where(AuditRecord.event == "policy-loaded")
            ).scalar_one()
        assert rows == ["ok", "error"]
        assert policy_rows == 1  # once per session, not once per flush
        assert engine.vault.verify_audit().ok
    finally:
        engine.vault.close()
