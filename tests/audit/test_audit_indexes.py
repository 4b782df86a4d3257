"""Every `veil audit query` filter is answered from an index read in seq order (no sort of all matches, no
table scan), so a page of a 1,000,000-row log costs milliseconds (benchmarks/audit_bench.py measures it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from vault import migrate
from vault.audit import AuditQuery
from vault.audit.query import _seqs
from vault.store import create_vault_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    e = create_vault_engine(f"sqlite:///{tmp_path / 'v.db'}")
    migrate.upgrade(e)
    yield e
    e.dispose()


def plan(engine: Engine, q: AuditQuery, event_filter: object = None) -> str:
    stmt = _seqs(q, event_filter).limit(100)
    with engine.connect() as conn:
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        return " | ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


@pytest.mark.parametrize(
    ("q", "index"),
    [
        (AuditQuery(session_id="s"), "ix_audit_events_session_id_seq"),
        (AuditQuery(token="[[PERSON:aaaaaaaaaaaaaaaa]]"), "ix_audit_events_token_seq"),
        (AuditQuery(tool="t"), "ix_audit_events_tool_seq"),
        (AuditQuery(backend="b"), "ix_audit_events_backend_seq"),
        (AuditQuery(entity_type="PERSON"), "ix_audit_events_entity_type_seq"),
        (AuditQuery(outcome="refused"), "ix_audit_events_outcome_seq"),
        (AuditQuery(event="token-created"), "ix_audit_events_event_seq"),
        (AuditQuery(session_id="s", oldest_first=True, after_seq=10), "ix_audit_events_session_id_seq"),
    ],
)
def test_each_filter_reads_its_index_in_order(engine: Engine, q: AuditQuery, index: str) -> None:
    p = plan(engine, q)
    assert index in p and "TEMP B-TREE" not in p, p
