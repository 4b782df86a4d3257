"""Crypto-shred on SQLite leaves no trace of a value in the database, -wal or -shm files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from vault.audit import AuditContext
from vault.keys import MasterKey
from vault.models import Session, Token
from vault.store import Vault

CANARY = "canary-5e1d9c@example.com"


def files(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def test_a_shredded_value_is_gone_from_the_sqlite_files(
    tmp_path: Path, master: MasterKey, ctx: AuditContext
) -> None:
    db = tmp_path / "vault.db"
    vault = Vault.open(f"sqlite:///{db}", master)
    session = vault.open_session(name="desk", ctx=ctx)
    [token] = session.tokenize([("EMAIL_ADDRESS", CANARY)], ctx)
    with vault.engine.connect() as conn:
        ciphertext = conn.execute(select(Token.ciphertext)).scalar_one()
        wrapped = conn.execute(select(Session.wrapped_dek)).scalar_one()
    assert wrapped is not None
    secrets_on_disk = [CANARY.encode(), CANARY.encode("utf-16-le"), ciphertext, wrapped]
    assert ciphertext in files(db) and wrapped in files(db)  # the check below can see them

    vault.shred_session("desk", actor="admin")
    vault.close()

    on_disk = files(db)
    for needle in secrets_on_disk:
        assert needle not in on_disk
    assert token.encode() in on_disk  # audit rows keep the token, which reveals nothing
