"""The vault's database: an engine with the vault's connection settings, and the transaction discipline.

Synchronous SQLAlchemy on purpose: the proxy runs vault calls in a worker thread (anyio.to_thread). Every
write and the audit rows describing it share one transaction, so an operation whose audit row cannot be
written does not happen. Database failures surface as VaultUnavailable with a value-free message.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import StaticPool

from vault.clock import Clock, DatabaseClock
from vault.crypto import Keyring
from vault.errors import VaultUnavailable

log = logging.getLogger(__name__)

# GCM with random 96-bit nonces is safe for 2^32 encryptions under one key; every key (each key version,
# each session's data key) is retired from encrypting long before that.
KEY_USE_LIMIT = 2**30
SQLITE_BUSY_TIMEOUT_MS = 5000
DURABILITY = {"normal": "NORMAL", "full": "FULL"}


def file_identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def create_vault_engine(
    url: str, *, durability: str = "normal", busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> Engine:
    """An engine with the vault's connection settings.

    SQLite: WAL (readers never block the writer), a busy timeout, secure_delete (shredded ciphertext is
    zeroed, not left in free pages), and BEGIN IMMEDIATE for every transaction unless the connection asks
    for `veil_begin="DEFERRED"`: a write never has to upgrade a read lock, which is where SQLite deadlocks.
    """
    if durability not in DURABILITY:
        raise ValueError(f"durability must be one of {sorted(DURABILITY)}")
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    if u.get_backend_name() == "postgresql":
        # pre-ping: after the server comes back, a dead pooled connection is replaced, not reused
        return create_engine(u, connect_args={"connect_timeout": 5}, pool_pre_ping=True)
    if u.get_backend_name() != "sqlite":
        raise ValueError("the vault runs on SQLite or PostgreSQL")
    memory = u.database in (None, "", ":memory:")
    if not memory:
        _private_file(u.database)
    engine = (
        create_engine(u, poolclass=StaticPool, connect_args={"check_same_thread": False})
        if memory
        else create_engine(u, pool_size=5, max_overflow=10)
    )
    synchronous = DURABILITY[durability]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            f"busy_timeout={int(busy_timeout_ms)}",
            f"synchronous={synchronous}",
            "foreign_keys=ON",
            "secure_delete=ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
        if not memory:
            _private_siblings(u.database)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("veil_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {'DEFERRED' if mode == 'DEFERRED' else 'IMMEDIATE'}")

    return engine


def _private_file(path: str | None) -> None:
    """The SQLite file created 0600 before SQLite opens it: the vault holds only ciphertext, but
    fingerprints, tokens and the audit trail are nobody else's business. SQLite gives its -wal and -shm
    files the database file's mode. A file an older version left readable to others is narrowed (when it
    is ours). The data directory is created 0700 by whoever makes it (`veil run`); a missing directory is
    left for SQLite to refuse, as before."""
    if not path or path.startswith("file:"):
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return  # SQLite's own open fails the same way, as VaultUnavailable
    try:
        info = os.fstat(fd)
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _private_siblings(path: str | None) -> None:
    """The -wal and -shm files 0600 as well, whatever created them (another tool, an older version)."""
    if not path or path.startswith("file:"):
        return
    for suffix in ("-wal", "-shm"):
        with suppress(OSError):  # absent (not yet created, or checkpointed away) or not ours
            info = os.stat(path + suffix)
            if info.st_mode & 0o077 and info.st_uid == os.getuid():
                os.chmod(path + suffix, 0o600)


def server_time(engine: Engine) -> datetime:
    """The database server's wall clock (PostgreSQL's clock_timestamp(): not frozen at transaction start)."""
    with engine.connect() as conn:
        value: datetime = conn.execute(select(func.clock_timestamp())).scalar_one()
    return value


@contextmanager
def unavailable() -> Iterator[None]:
    """Map driver failures to VaultUnavailable. The database never holds a plaintext value, so its first
    message line (e.g. "database is locked") is value-free; SQL parameters are never included."""
    try:
        yield
    except DBAPIError as e:
        first_line = (str(e.orig).splitlines() or [""])[0][:200]
        raise VaultUnavailable(f"vault database unavailable: {type(e.orig).__name__}: {first_line}") from None
    except PoolTimeout:
        raise VaultUnavailable("vault database unavailable: no free connection") from None
    except sqlite3.Error as e:
        raise VaultUnavailable(f"vault database unavailable: {type(e).__name__}") from None


def dialect_insert(conn: Connection) -> Any:
    """The dialect's INSERT, which has on_conflict_do_nothing (SQLite and PostgreSQL). The dialect is
    imported here: PostgreSQL's module alone is a tenth of `veil run`'s start, for a vault on SQLite."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


class VaultBase:
    """The database half of a vault: its engine, keyring and clock, and the transaction discipline every
    vault operation goes through (`_tx` to write, `_read` to read). The key, session and token verbs are
    mixed in on top of it (vault.key_versions, vault.admin, vault.store)."""

    def __init__(
        self, engine: Engine, keyring: Keyring, clock: Clock, *, key_use_limit: int = KEY_USE_LIMIT
    ) -> None:
        if not 1 <= key_use_limit <= KEY_USE_LIMIT * 4:
            raise ValueError("key_use_limit must be between 1 and 2^32")
        self.engine = engine
        self.keyring = keyring
        self.clock = clock
        self.key_use_limit = key_use_limit
        # An in-memory SQLite database is one shared connection: serialize transactions on it.
        memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
        self._serial: AbstractContextManager[Any] = threading.Lock() if memory else nullcontext()
        # A SQLite file deleted or replaced under a running proxy: pooled connections would go on writing to
        # the unlinked file and acknowledge mappings that vanish at exit. Each transaction checks the file is
        # still the one opened (one stat call) and fails closed otherwise.
        self._db_path = engine.url.database if engine.dialect.name == "sqlite" and not memory else None
        self._db_identity = file_identity(self._db_path) if self._db_path else None

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite); commits on exit."""
        self._check_file()
        self._resync_clock()
        with self._serial, unavailable(), self.engine.begin() as conn:
            yield conn
            self._check_file()  # before the commit: a file removed meanwhile acknowledges nothing

    def _check_file(self) -> None:
        if self._db_path is None:
            return
        current = file_identity(self._db_path)
        if self._db_identity is None:  # not created yet when the engine was made: the first one seen counts
            self._db_identity = current
        elif current != self._db_identity:
            raise VaultUnavailable("the vault database file was removed or replaced while in use")

    def _resync_clock(self) -> None:
        """Measure the database clock again when due: before a transaction takes its connection, so this
        never waits for a second one. A failure keeps the last offset (the transaction will report it)."""
        if isinstance(self.clock, DatabaseClock) and self.clock.due():
            try:
                self.clock.sync()
            except (DBAPIError, PoolTimeout):
                log.warning("could not read the database clock; keeping the last measurement")

    def ping(self) -> None:
        """One round trip to the database (readiness probes); VaultUnavailable if it fails."""
        self._resync_clock()
        with self._read() as conn:
            conn.execute(select(1)).scalar_one()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        self._check_file()
        with self._serial, unavailable(), self.engine.connect() as conn:
            conn.execution_options(veil_begin="DEFERRED")
            yield conn

    # keys


def expired(expires_at: datetime | None, now: datetime) -> bool:
    """Whether a TTL has run out at `now` (None: it never expires)."""
    return expires_at is not None and expires_at <= now


__all__ = ["KEY_USE_LIMIT", "VaultBase", "create_vault_engine", "dialect_insert", "expired", "unavailable"]
