"""The vault: one database of sessions, tokens and audit rows, opened with one master key.

`Vault` is assembled from its parts: the transaction discipline (vault.engine), key versions
(vault.key_versions), the operator's session and token verbs (vault.admin); opening a session, which hands
out a SessionVault (vault.session_vault), lives here. The names the proxy and the CLI import from
`vault.store` are re-exported.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import Connection, inspect, select, update

from vault import audit, migrate
from vault.admin import Admin, SessionDetail, SessionInfo, TokenFilter, TokenInfo
from vault.audit import AuditContext
from vault.clock import SYSTEM_CLOCK, Clock, DatabaseClock
from vault.crypto import Keyring, new_dek
from vault.engine import (
    KEY_USE_LIMIT,
    SQLITE_BUSY_TIMEOUT_MS,
    create_vault_engine,
    dialect_insert,
    expired,
    server_time,
    unavailable,
)
from vault.errors import VaultUnavailable
from vault.key_versions import KeyInfo, KeyVersions, RotationResult
from vault.keys import MasterKey
from vault.models import KeyVersion, Session
from vault.quotas import Quotas
from vault.session_vault import TTL, SessionVault
from vault.token_lookup import Receiver

_NAME_RACE_RETRIES = 3


class Vault(Admin, KeyVersions, Quotas):
    """One database of sessions, tokens and audit rows, opened with one master key."""

    @classmethod
    def open(
        cls,
        url: str,
        master: MasterKey,
        *,
        clock: Clock = SYSTEM_CLOCK,
        upgrade: bool = True,
        durability: str = "normal",
        key_use_limit: int = KEY_USE_LIMIT,
        busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    ) -> Vault:
        """Open (and migrate) the vault. A wrong master key is refused before anything is written.

        `key_use_limit`: encryptions allowed under one key (a key version wrapping data keys, a session's
        data key encrypting values) before a new key is required; far below the 2^32 GCM nonce budget.
        """
        engine = create_vault_engine(url, durability=durability, busy_timeout_ms=busy_timeout_ms)
        if clock is SYSTEM_CLOCK and engine.dialect.name == "postgresql":
            clock = DatabaseClock(lambda: server_time(engine))  # one clock for every process (see there)
        try:
            vault = cls(engine, Keyring(master.secret), clock, key_use_limit=key_use_limit)
        except BaseException:
            engine.dispose()
            raise
        try:
            with unavailable():
                if isinstance(clock, DatabaseClock):
                    clock.sync()
                if inspect(engine).has_table(KeyVersion.__tablename__):
                    with vault._read() as conn:
                        vault._check_keys(conn, master.source)
                if upgrade:
                    migrate.upgrade(engine)
                elif not migrate.is_current(engine):
                    raise VaultUnavailable("the vault schema is not up to date: run `veil db upgrade`")
                vault._ensure_key_version(master.source)
        except BaseException:
            engine.dispose()
            raise
        return vault

    def open_session(
        self, *, name: str | None = None, ttl: timedelta | None = None, ctx: AuditContext
    ) -> SessionVault:
        """Resume the named session if it is still usable (same data key, so same tokens), else create one.

        A resumed session keeps its original expiry: a TTL bounds how long tokens stay linkable.
        """
        for attempt in range(_NAME_RACE_RETRIES):
            try:
                with self._tx() as conn:
                    session, resumed = self._resume_or_create(conn, name, ttl)
                    how = "resumed" if resumed else "created"
                    event = audit.SessionOpened.of(ctx, session_id=session.session_id, how=how)
                    audit.append(conn, [event], self.clock)
                break
            except _NameTaken:
                # Another process created this name between our look-up and insert: retry, and resume it.
                if attempt == _NAME_RACE_RETRIES - 1:
                    raise VaultUnavailable(f"session name {name!r} is contended; try again") from None
        if resumed:
            session._load_known()
        return session

    def _resume_or_create(
        self, conn: Connection, name: str | None, ttl: timedelta | None
    ) -> tuple[SessionVault, bool]:
        now = self.clock.now()
        if name is not None:
            row = conn.execute(
                select(Session.id, Session.kek_version, Session.wrapped_dek, Session.expires_at)
                .where(Session.name == name)
                .with_for_update()
            ).first()
            if row is not None and row.wrapped_dek is not None and not expired(row.expires_at, now):
                dek = self.keyring.unwrap_dek(row.wrapped_dek, row.id, row.kek_version)
                return SessionVault(self, row.id, name, dek), True
            if row is not None:  # expired or shredded: it gives up the name to the new session
                conn.execute(update(Session).where(Session.id == row.id).values(name=None))
        sid, dek, version = secrets.token_hex(16), new_dek(), self._wrap_version(conn)
        inserted = conn.execute(
            dialect_insert(conn)(Session)
            .values(
                id=sid,
                name=name,
                created_at=now,
                expires_at=now + ttl if ttl is not None else None,
                kek_version=version,
                wrapped_dek=self.keyring.wrap_dek(dek, sid, version),
            )
            .on_conflict_do_nothing()
            .returning(Session.id)
        ).first()
        if inserted is None:
            raise _NameTaken
        return SessionVault(self, sid, name, dek), False


class _NameTaken(Exception):
    """Internal: a concurrent open created the session name first; the transaction is retried."""


__all__ = [
    "KEY_USE_LIMIT",
    "TTL",
    "KeyInfo",
    "Receiver",
    "RotationResult",
    "SessionDetail",
    "SessionInfo",
    "SessionVault",
    "TokenFilter",
    "TokenInfo",
    "Vault",
    "create_vault_engine",
]
