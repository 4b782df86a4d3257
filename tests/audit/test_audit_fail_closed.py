"""Fail closed: when an audit row cannot be written, the operation it records does not happen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from vault.audit import AuditContext
from vault.errors import VaultUnavailable
from vault.keys import MasterKey
from vault.models import AuditRecord, Session, Token
from vault.store import SessionVault, Vault

SECRET = "fail.closed.canary@example.com"


def break_audit(vault: Vault) -> None:
    """From now on every insert into audit_events raises (a full disk, a revoked grant, ...)."""
    with vault.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(
                "CREATE FUNCTION veil_no_audit() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'audit storage unavailable'; END $$"
            ))  # fmt: skip
            conn.execute(text(
                "CREATE TRIGGER no_audit BEFORE INSERT ON audit_events "
                "FOR EACH ROW EXECUTE FUNCTION veil_no_audit()"
            ))  # fmt: skip
        else:
            conn.execute(text(
                "CREATE TRIGGER no_audit BEFORE INSERT ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit storage unavailable'); END"
            ))  # fmt: skip


def repair_audit(vault: Vault) -> None:
    with vault.engine.begin() as conn:
        on = " ON audit_events" if conn.dialect.name == "postgresql" else ""
        conn.execute(text(f"DROP TRIGGER no_audit{on}"))


def counts(vault: Vault) -> tuple[int, int, int, int]:
    with vault.engine.connect() as conn:
        revoked = select(func.count()).select_from(Token).where(Token.revoked_at.is_not(None))
        return (
            conn.execute(select(func.count()).select_from(AuditRecord)).scalar_one(),
            conn.execute(select(func.count()).select_from(Token)).scalar_one(),
            conn.execute(select(func.count()).select_from(Session)).scalar_one(),
            conn.execute(revoked).scalar_one(),
        )


def test_detokenize_returns_nothing_when_its_audit_row_cannot_be_written(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    [token] = session.tokenize([("EMAIL_ADDRESS", SECRET)], ctx)
    break_audit(vault)
    result: dict[str, str] | None = None
    with pytest.raises(VaultUnavailable) as exc:
        result = session.detokenize([token], ctx)
    assert result is None
    assert SECRET not in str(exc.value) and SECRET not in repr(exc.value)


def test_a_new_value_is_not_stored_when_its_audit_row_cannot_be_written(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    break_audit(vault)
    before = counts(vault)
    with pytest.raises(VaultUnavailable):
        session.tokenize([("EMAIL_ADDRESS", SECRET)], ctx)
    assert counts(vault) == before


def test_revoke_shred_and_open_do_not_happen_without_their_audit_rows(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    [token] = session.tokenize([("EMAIL_ADDRESS", SECRET)], ctx)
    break_audit(vault)
    before = counts(vault)
    with pytest.raises(VaultUnavailable):
        vault.revoke_tokens(actor="os:carol", tokens=[token])
    with pytest.raises(VaultUnavailable):
        vault.shred_session(session.session_id, actor="os:carol")
    with pytest.raises(VaultUnavailable):
        vault.open_session(name="new", ctx=ctx)
    assert counts(vault) == before
    repair_audit(vault)
    assert session.detokenize([token], ctx) == {token: SECRET}  # neither revoked nor shredded


def test_a_read_only_sqlite_database_refuses_detokenization(
    tmp_path: Path, master: MasterKey, ctx: AuditContext
) -> None:
    vault = Vault.open(f"sqlite:///{tmp_path / 'vault.db'}", master)
    try:
        session = vault.open_session(ctx=ctx)
        [token] = session.tokenize([("EMAIL_ADDRESS", SECRET)], ctx)

        @event.listens_for(vault.engine, "connect")
        def _read_only(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA query_only = ON")

        vault.engine.dispose()  # every new connection is read-only
        result: dict[str, str] | None = None
        with pytest.raises(VaultUnavailable, match=r"readonly|read-only"):
            result = session.detokenize([token], ctx)
        assert result is None
    finally:
        vault.close()
