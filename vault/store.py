"""The vault API the proxy calls: open a session, tokenize, detokenize; plus the admin verbs the CLI uses.

Synchronous SQLAlchemy on purpose: the proxy runs these calls in a worker thread (anyio.to_thread). Every
write and the audit rows describing it share one transaction, so an operation whose audit row cannot be
written does not happen. Database failures surface as VaultUnavailable with a value-free message.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import StaticPool

from vault import audit, migrate
from vault.audit import AuditContext, AuditEvent
from vault.clock import SYSTEM_CLOCK, Clock, DatabaseClock
from vault.crypto import (
    Keyring,
    approval_hmac_key,
    decrypt_value,
    encrypt_value,
    new_dek,
    token_hmac_key,
)
from vault.errors import (
    DecryptError,
    KeyBudgetExhausted,
    KeyVersionInUse,
    RefusalReason,
    ResultUnavailable,
    SessionGone,
    SessionNotFound,
    TokenRefused,
    VaultUnavailable,
    WrongMasterKey,
)
from vault.keys import MasterKey
from vault.models import KeyVersion, Session, StoredResult, Token
from vault.tokens import ParsedToken, derive_token, parse_token

log = logging.getLogger(__name__)

# GCM with random 96-bit nonces is safe for 2^32 encryptions under one key; every key (each key version,
# each session's data key) is retired from encrypting long before that.
KEY_USE_LIMIT = 2**30
ROTATE_BATCH = 500

TTL = timedelta | Mapping[str, timedelta | None] | None
# (entity type, producing backend) -> may the receiving backend get the value?
Receiver = Callable[[str, str | None], bool]
"""A token lifetime: one for every entity type, or per entity type (types not in the map never expire)."""

SQLITE_BUSY_TIMEOUT_MS = 5000
DURABILITY = {"normal": "NORMAL", "full": "FULL"}
_NAME_RACE_RETRIES = 3


# --- engine ---------------------------------------------------------------------------------------------


def _file_identity(path: str) -> tuple[int, int] | None:
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


def _server_time(engine: Engine) -> datetime:
    """The database server's wall clock (PostgreSQL's clock_timestamp(): not frozen at transaction start)."""
    with engine.connect() as conn:
        value: datetime = conn.execute(select(func.clock_timestamp())).scalar_one()
    return value


@contextmanager
def _unavailable() -> Iterator[None]:
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


def _insert(conn: Connection) -> Any:
    """The dialect's INSERT, which has on_conflict_do_nothing (SQLite and PostgreSQL)."""
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


# --- listings (value-free) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInfo:
    id: str
    name: str | None
    created_at: datetime
    expires_at: datetime | None
    closed_at: datetime | None
    shredded_at: datetime | None
    kek_version: int
    token_count: int


@dataclass(frozen=True)
class TokenInfo:
    token: str
    session_id: str
    entity_type: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    backend: str | None


@dataclass(frozen=True)
class SessionDetail:
    """`veil sessions show`: the listing row plus counts per entity type and the data key's use count."""

    info: SessionInfo
    by_entity_type: dict[str, int]
    revoked: int
    dek_uses: int


@dataclass(frozen=True)
class KeyInfo:
    """One key version for `veil keys status`: `sessions` counts live data keys wrapped under it."""

    version: int
    created_at: datetime
    retired_at: datetime | None
    use_count: int
    use_limit: int
    sessions: int
    current: bool
    rotating: bool


@dataclass(frozen=True)
class RotationResult:
    version: int
    rewrapped: int
    resumed: bool
    unreadable: list[str] = field(default_factory=list)
    """Sessions whose wrapped data key failed authentication: not rewrapped (shred them)."""


@dataclass(frozen=True)
class TokenFilter:
    """Filters for listing tokens; every field given narrows the result. `session` is an id or a name."""

    token: str | None = None
    session: str | None = None
    entity_type: str | None = None
    since: datetime | None = None
    before: datetime | None = None
    include_revoked: bool = True
    limit: int | None = None


# --- the vault ------------------------------------------------------------------------------------------


class Vault:
    """One database of sessions, tokens and audit rows, opened with one master key."""

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
        self._db_identity = _file_identity(self._db_path) if self._db_path else None

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
            clock = DatabaseClock(lambda: _server_time(engine))  # one clock for every process (see there)
        try:
            vault = cls(engine, Keyring(master.secret), clock, key_use_limit=key_use_limit)
        except BaseException:
            engine.dispose()
            raise
        try:
            with _unavailable():
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

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite); commits on exit."""
        self._check_file()
        self._resync_clock()
        with self._serial, _unavailable(), self.engine.begin() as conn:
            yield conn
            self._check_file()  # before the commit: a file removed meanwhile acknowledges nothing

    def _check_file(self) -> None:
        if self._db_path is None:
            return
        current = _file_identity(self._db_path)
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
        with self._serial, _unavailable(), self.engine.connect() as conn:
            conn.execution_options(veil_begin="DEFERRED")
            yield conn

    # keys

    def _check_keys(self, conn: Connection, source: str) -> bool:
        """True if key versions exist; raises WrongMasterKey if any was made with another master key."""
        rows = conn.execute(select(KeyVersion.version, KeyVersion.check)).all()
        if any(not self.keyring.matches(version, check) for version, check in rows):
            raise WrongMasterKey(source)
        return bool(rows)

    def _ensure_key_version(self, source: str) -> None:
        with self._read() as conn:
            if self._check_keys(conn, source):
                return
        with self._tx() as conn:
            stmt = _insert(conn)(KeyVersion).values(
                version=1, check=self.keyring.check_value(1), created_at=self.clock.now(), use_count=0
            )
            conn.execute(stmt.on_conflict_do_nothing())
            self._check_keys(conn, source)  # a concurrent first open may have won with another key

    def _current_key_version(self, conn: Connection) -> int:
        version = conn.execute(
            select(func.max(KeyVersion.version)).where(KeyVersion.retired_at.is_(None))
        ).scalar_one()
        if version is None:
            raise VaultUnavailable("the vault has no active key version")
        return int(version)

    def _wrap_version(self, conn: Connection, n: int = 1) -> int:
        """The key version to wrap `n` data keys under, counted against its use limit. A version at its
        limit is left for decryption only and the next one is made (inside the caller's transaction)."""
        newest = (
            select(KeyVersion.version, KeyVersion.use_count)
            .where(KeyVersion.retired_at.is_(None))
            .order_by(KeyVersion.version.desc())
            .limit(1)
            .with_for_update()
        )
        while True:  # re-read after making a version: a concurrent process may have made it first
            row = conn.execute(newest).first()
            if row is None:
                raise VaultUnavailable("the vault has no active key version")
            version = int(row.version)
            if row.use_count + n <= self.key_use_limit:
                break
            self._new_key_version(conn, reason="use-limit", actor="veil")
        conn.execute(
            update(KeyVersion).where(KeyVersion.version == version).values(use_count=KeyVersion.use_count + n)
        )
        return version

    def _new_key_version(self, conn: Connection, *, reason: str, actor: str, rotation: bool = False) -> int:
        now = self.clock.now()
        newest = int(conn.execute(select(func.max(KeyVersion.version))).scalar_one() or 0)
        version = newest + 1
        inserted = conn.execute(
            _insert(conn)(KeyVersion)
            .values(
                version=version,
                check=self.keyring.check_value(version),
                created_at=now,
                use_count=0,
                rotation_started_at=now if rotation else None,
            )
            .on_conflict_do_nothing()
            .returning(KeyVersion.version)
        ).first()
        if inserted is None:  # another process made it first (PostgreSQL): theirs is as good
            return version
        event = audit.KeyVersionCreated(actor=actor, reason=reason, detail={"version": version})
        audit.append(conn, [event], self.clock)
        return version

    def _live_sessions_below(self, version: int) -> Any:
        return select(Session.id).where(Session.wrapped_dek.is_not(None), Session.kek_version < version)

    def rotate_keys(
        self,
        *,
        actor: str,
        batch_size: int = ROTATE_BATCH,
        progress: Callable[[int, int], None] | None = None,
    ) -> RotationResult:
        """Make a new key version and rewrap every live session's data key under it, `batch_size`
        sessions per transaction. Interrupted, the next call resumes the same version. Older versions keep
        decrypting until `retire_key`. `progress(done, total)` is called after each batch."""
        with self._tx() as conn:
            pending = conn.execute(
                select(KeyVersion.version)
                .where(KeyVersion.rotation_started_at.is_not(None), KeyVersion.rotation_finished_at.is_(None))
                .order_by(KeyVersion.version.desc())
                .limit(1)
            ).scalar()
            resumed = pending is not None
            target = (
                int(pending)
                if pending is not None
                else self._new_key_version(conn, reason="rotate", actor=actor, rotation=True)
            )
            total = conn.execute(
                select(func.count()).select_from(self._live_sessions_below(target).subquery())
            ).scalar_one()
        done, after, unreadable = 0, "", []
        if progress is not None:
            progress(done, total)
        while True:
            with self._tx() as conn:
                rows = conn.execute(
                    select(Session.id, Session.kek_version, Session.wrapped_dek)
                    .where(Session.wrapped_dek.is_not(None), Session.kek_version < target, Session.id > after)
                    .order_by(Session.id)
                    .limit(batch_size)
                    .with_for_update()
                ).all()
                deks: list[tuple[str, bytes]] = []
                for sid, version, wrapped in rows:
                    try:
                        deks.append((sid, self.keyring.unwrap_dek(wrapped or b"", sid, version)))
                    except DecryptError:  # a damaged key row: left as it is, named, and it blocks retire
                        unreadable.append(sid)
                for i in range(0, len(deks), self.key_use_limit):
                    chunk = deks[i : i + self.key_use_limit]
                    new = self._wrap_version(conn, len(chunk))
                    params = [
                        {"sid": sid, "v": new, "w": self.keyring.wrap_dek(dek, sid, new)}
                        for sid, dek in chunk
                    ]
                    conn.execute(
                        update(Session)
                        .where(Session.id == bindparam("sid"))
                        .values(kek_version=bindparam("v"), wrapped_dek=bindparam("w")),
                        params,
                    )
            if not rows:
                break
            after = rows[-1].id
            done += len(rows)
            if progress is not None:
                progress(done, max(total, done))
        with self._tx() as conn:
            finished = conn.execute(
                update(KeyVersion)
                .where(KeyVersion.version == target, KeyVersion.rotation_finished_at.is_(None))
                .values(rotation_finished_at=self.clock.now())
                .returning(KeyVersion.version)
            ).first()
            if finished is not None:
                detail = {"to_version": target, "resumed": int(resumed)}
                if unreadable:
                    detail["unreadable"] = len(unreadable)
                event = audit.KeyRotated(actor=actor, count=done - len(unreadable), detail=detail)
                audit.append(conn, [event], self.clock)
        return RotationResult(target, done - len(unreadable), resumed, unreadable)

    def retire_key(self, version: int, *, actor: str) -> None:
        """Stop using a key version for anything. Refused while a live session's data key is wrapped under
        it (KeyVersionInUse names them), and for the newest active version (rotate first)."""
        with self._tx() as conn:
            row = conn.execute(
                select(KeyVersion.retired_at).where(KeyVersion.version == version).with_for_update()
            ).first()
            if row is None:
                raise ValueError(f"there is no key version {version}")
            if row.retired_at is not None:
                return
            needing = conn.execute(
                select(Session.id, Session.name)
                .where(Session.kek_version == version, Session.wrapped_dek.is_not(None))
                .order_by(Session.created_at, Session.id)
            ).all()
            if needing:
                raise KeyVersionInUse(version, [f"{sid} ({name})" if name else sid for sid, name in needing])
            if version == self._current_key_version(conn):
                raise ValueError(
                    f"key version {version} is the current one; run `veil keys rotate` before retiring it"
                )
            conn.execute(
                update(KeyVersion).where(KeyVersion.version == version).values(retired_at=self.clock.now())
            )
            audit.append(conn, [audit.KeyRetired(actor=actor, detail={"version": version})], self.clock)

    def key_status(self) -> list[KeyInfo]:
        live = (
            select(Session.kek_version, func.count().label("n"))
            .where(Session.wrapped_dek.is_not(None))
            .group_by(Session.kek_version)
            .subquery()
        )
        stmt = (
            select(
                KeyVersion.version,
                KeyVersion.created_at,
                KeyVersion.retired_at,
                KeyVersion.use_count,
                KeyVersion.rotation_started_at,
                KeyVersion.rotation_finished_at,
                func.coalesce(live.c.n, 0),
            )
            .outerjoin(live, live.c.kek_version == KeyVersion.version)
            .order_by(KeyVersion.version)
        )
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        current = max((r.version for r in rows if r.retired_at is None), default=None)
        return [
            KeyInfo(
                version=r.version,
                created_at=r.created_at,
                retired_at=r.retired_at,
                use_count=r.use_count,
                use_limit=self.key_use_limit,
                sessions=r[6],
                current=r.version == current,
                rotating=r.rotation_started_at is not None and r.rotation_finished_at is None,
            )
            for r in rows
        ]

    # sessions

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
                    reason = "resumed" if resumed else "created"
                    event = audit.SessionOpened.of(ctx, session_id=session.session_id, reason=reason)
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
            if row is not None and row.wrapped_dek is not None and not _expired(row.expires_at, now):
                dek = self.keyring.unwrap_dek(row.wrapped_dek, row.id, row.kek_version)
                return SessionVault(self, row.id, name, dek), True
            if row is not None:  # expired or shredded: it gives up the name to the new session
                conn.execute(update(Session).where(Session.id == row.id).values(name=None))
        sid, dek, version = secrets.token_hex(16), new_dek(), self._wrap_version(conn)
        inserted = conn.execute(
            _insert(conn)(Session)
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

    def _resolve_session(self, conn: Connection, ref: str) -> str:
        sid = conn.execute(select(Session.id).where(or_(Session.id == ref, Session.name == ref))).scalar()
        if sid is None:
            raise SessionNotFound(f"no session with id or name {ref!r}")
        return str(sid)

    def list_sessions(self) -> list[SessionInfo]:
        with self._read() as conn:
            return list(self._session_infos(conn))

    def _session_infos(self, conn: Connection, *where: Any) -> Iterator[SessionInfo]:
        counts = select(Token.session_id, func.count().label("n")).group_by(Token.session_id).subquery()
        stmt = (
            select(
                Session.id,
                Session.name,
                Session.created_at,
                Session.expires_at,
                Session.closed_at,
                Session.shredded_at,
                Session.kek_version,
                func.coalesce(counts.c.n, 0),
            )
            .outerjoin(counts, counts.c.session_id == Session.id)
            .where(*where)
            .order_by(Session.created_at, Session.id)
        )
        for row in conn.execute(stmt):
            yield SessionInfo(*row)

    def session_detail(self, session: str) -> SessionDetail:
        """One session (by id or name) with its token counts per entity type."""
        with self._read() as conn:
            sid = self._resolve_session(conn, session)
            info = next(i for i in self._session_infos(conn, Session.id == sid))
            by_type = conn.execute(
                select(Token.entity_type, func.count())
                .where(Token.session_id == sid)
                .group_by(Token.entity_type)
                .order_by(Token.entity_type)
            ).all()
            revoked = conn.execute(
                select(func.count()).where(Token.session_id == sid, Token.revoked_at.is_not(None))
            ).scalar_one()
            uses = conn.execute(select(Session.dek_uses).where(Session.id == sid)).scalar_one()
        return SessionDetail(info, {t: int(n) for t, n in by_type}, int(revoked), int(uses))

    def shred_sessions(
        self, *, actor: str, created_before: datetime, reason: str | None = None
    ) -> list[tuple[str, int]]:
        """Crypto-shred every session created before the cutoff: [(session id, tokens destroyed)]."""
        with self._read() as conn:
            ids = (
                conn.execute(
                    select(Session.id)
                    .where(Session.created_at < created_before, Session.shredded_at.is_(None))
                    .order_by(Session.created_at, Session.id)
                )
                .scalars()
                .all()
            )
        done = [(sid, self.shred_session(sid, actor=actor, reason=reason, checkpoint=False)) for sid in ids]
        if done:
            self._checkpoint()
        return done

    def shred_session(
        self, session: str, *, actor: str, reason: str | None = None, checkpoint: bool = True
    ) -> int:
        """Crypto-shred: drop the wrapped data key and delete the ciphertexts. Returns tokens destroyed."""
        with self._tx() as conn:
            sid = self._resolve_session(conn, session)
            shredded = conn.execute(
                select(Session.shredded_at).where(Session.id == sid).with_for_update()
            ).scalar()
            if shredded is not None:
                return 0
            destroyed = conn.execute(delete(Token).where(Token.session_id == sid)).rowcount
            conn.execute(delete(StoredResult).where(StoredResult.session_id == sid))
            conn.execute(
                update(Session)
                .where(Session.id == sid)
                .values(wrapped_dek=None, shredded_at=self.clock.now())
            )
            event = audit.SessionShredded(actor=actor, session_id=sid, count=destroyed, reason=reason)
            audit.append(conn, [event], self.clock)
        if checkpoint:
            self._checkpoint()
        return destroyed

    def _checkpoint(self) -> None:
        """Fold the WAL back into the database and truncate it, so old pages leave the -wal file."""
        if self.engine.dialect.name != "sqlite":
            return
        with self._serial, _unavailable():
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    # tokens

    def list_tokens(self, filters: TokenFilter = TokenFilter()) -> list[TokenInfo]:
        stmt = select(
            Token.token,
            Token.session_id,
            Token.entity_type,
            Token.created_at,
            Token.expires_at,
            Token.revoked_at,
            Token.backend,
        ).order_by(Token.created_at, Token.id)
        with self._read() as conn:
            if filters.token is not None:
                stmt = stmt.where(Token.token == filters.token)
            if filters.session is not None:
                stmt = stmt.where(Token.session_id == self._resolve_session(conn, filters.session))
            if filters.entity_type is not None:
                stmt = stmt.where(Token.entity_type == filters.entity_type)
            if filters.since is not None:
                stmt = stmt.where(Token.created_at >= filters.since)
            if filters.before is not None:
                stmt = stmt.where(Token.created_at < filters.before)
            if not filters.include_revoked:
                stmt = stmt.where(Token.revoked_at.is_(None))
            if filters.limit is not None:
                stmt = stmt.limit(filters.limit)
            return [TokenInfo(*row) for row in conn.execute(stmt)]

    def revoke_tokens(
        self,
        *,
        actor: str,
        tokens: Sequence[str] | None = None,
        session: str | None = None,
        entity_type: str | None = None,
        since: datetime | None = None,
        before: datetime | None = None,
        values: Sequence[str] | None = None,
    ) -> int:
        """Revoke every live token matching all the filters given (at least one). Every proxy process
        sharing the vault refuses them from the moment this returns. Returns how many were revoked.

        `values`: plaintexts (never logged or stored) matched in every non-shredded session by computing
        that session's token for the value under each entity type the session holds."""
        filters = (tokens, session, entity_type, since, before, values)
        if all(f is None for f in filters):
            raise ValueError("give at least one filter (tokens, session, entity type, time range or value)")
        now = self.clock.now()
        stmt = update(Token).where(Token.revoked_at.is_(None)).values(revoked_at=now)
        if tokens is not None:
            stmt = stmt.where(Token.token.in_(list(tokens)))
        if entity_type is not None:
            stmt = stmt.where(Token.entity_type == entity_type)
        if since is not None:
            stmt = stmt.where(Token.created_at >= since)
        if before is not None:
            stmt = stmt.where(Token.created_at < before)
        with self._tx() as conn:
            if session is not None:
                stmt = stmt.where(Token.session_id == self._resolve_session(conn, session))
            if values is not None:
                pairs = self._tokens_of_values(conn, values, entity_type)
                if not pairs:
                    return 0
                stmt = stmt.where(tuple_(Token.session_id, Token.token).in_(pairs))
            revoked = conn.execute(stmt.returning(Token.token, Token.session_id, Token.entity_type)).all()
            detail = {"matched_by": "value"} if values is not None else None
            events = [
                audit.TokenRevoked(
                    actor=actor, session_id=sid, entity_type=et, token=tok, count=1, detail=detail
                )
                for tok, sid, et in sorted(revoked)
            ]
            audit.append(conn, events, self.clock)
        return len(revoked)

    def _tokens_of_values(
        self, conn: Connection, values: Sequence[str], entity_type: str | None
    ) -> list[tuple[str, str]]:
        """(session id, token) each value would have in each live session, for the types it holds."""
        types_stmt = select(Token.session_id, Token.entity_type, Token.backend).distinct()
        if entity_type is not None:
            types_stmt = types_stmt.where(Token.entity_type == entity_type)
        types: dict[str, set[tuple[str, str | None]]] = {}
        for sid, et, backend in conn.execute(types_stmt):
            # The single-backend token, and the one bound to the backend if several shared the session.
            types.setdefault(sid, set()).update({(et, None), (et, backend)})
        live = conn.execute(
            select(Session.id, Session.kek_version, Session.wrapped_dek).where(
                Session.wrapped_dek.is_not(None), Session.id.in_(list(types))
            )
        ).all()
        pairs: list[tuple[str, str]] = []
        for sid, version, wrapped in live:
            try:
                key = token_hmac_key(self.keyring.unwrap_dek(wrapped or b"", sid, version))
            except DecryptError:
                continue  # an unreadable data key: its tokens cannot be matched (nor detokenized)
            pairs.extend(
                (sid, derive_token(key, et, v, scope))
                for et, scope in sorted(types[sid], key=str)
                for v in values
            )
        return pairs

    def purge_expired(self, *, actor: str) -> int:
        """Delete the ciphertext of every token past its TTL and shred every session past its TTL.

        Expired values are already refused; purging makes them unrecoverable too. Returns tokens destroyed.
        """
        now = self.clock.now()
        with self._tx() as conn:
            expired = conn.execute(
                delete(Token)
                .where(Token.expires_at <= now)
                .returning(Token.token, Token.session_id, Token.entity_type)
            ).all()
            events: list[AuditEvent] = [
                audit.TokenExpired(actor=actor, session_id=sid, entity_type=et, token=tok, count=1)
                for tok, sid, et in sorted(expired)
            ]
            sessions = conn.execute(
                update(Session)
                .where(Session.expires_at <= now, Session.shredded_at.is_(None))
                .values(wrapped_dek=None, shredded_at=now)
                .returning(Session.id)
            ).scalars()
            for sid in sorted(sessions):
                destroyed = conn.execute(delete(Token).where(Token.session_id == sid)).rowcount
                events.append(
                    audit.SessionShredded(actor=actor, session_id=sid, count=destroyed, reason="expired")
                )
            audit.append(conn, events, self.clock)
        self._checkpoint()
        return len(expired) + sum(e.count or 0 for e in events if isinstance(e, audit.SessionShredded))

    def verify_audit(self) -> audit.VerifyResult:
        with self._serial, _unavailable():
            return audit.verify(self.engine)


class _NameTaken(Exception):
    """Internal: a concurrent open created the session name first; the transaction is retried."""


def _entity_type(token: str) -> str:
    """The entity type of a well-formed token, `[[TYPE:id]]`."""
    return token[2 : token.index(":")]


def _expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and expires_at <= now


class SessionVault:
    """One session's view of the vault. Thread-safe: the proxy calls it from several worker threads."""

    def __init__(self, vault: Vault, session_id: str, name: str | None, dek: bytes) -> None:
        self.session_id = session_id
        self.name = name
        self._vault = vault
        self._dek = dek
        self._hmac_key = token_hmac_key(dek)
        self._approval_key = approval_hmac_key(dek)
        self._lock = threading.Lock()
        self._stored: set[str] = set()  # tokens known to be committed: no round trip for them
        self._known: dict[tuple[str, str, str | None], str] = {}  # (entity, value, scope) -> token

    def __repr__(self) -> str:
        return f"SessionVault(session_id={self.session_id!r}, name={self.name!r})"

    def call_hash(self, canonical: bytes) -> str:
        """HMAC-SHA256 of a call's canonical form under this session's approval key (see crypto)."""
        return hmac.new(self._approval_key, canonical, hashlib.sha256).hexdigest()

    @property
    def vault(self) -> Vault:
        return self._vault

    def token_for(self, entity_type: str, value: str, scope: str | None = None) -> str:
        """The token a value gets in this session (from backend `scope`, if several). Pure and in memory."""
        return derive_token(self._hmac_key, entity_type, value, scope)

    def known_values(self) -> dict[tuple[str, str], str]:
        """(entity type, value) -> a token for every value this session holds (a copy)."""
        with self._lock:
            return {(entity, value): token for (entity, value, _scope), token in self._known.items()}

    def _load_known(self) -> None:
        """On resume: decrypt the session's values so the detector can find them again in text."""
        stmt = select(Token.token, Token.entity_type, Token.ciphertext, Token.backend).where(
            Token.session_id == self.session_id
        )
        with self._vault._read() as conn:
            rows = conn.execute(stmt).all()
        known: dict[tuple[str, str, str | None], str] = {}
        for token, entity_type, ciphertext, backend in rows:
            try:
                value = decrypt_value(self._dek, self.session_id, token, ciphertext)
            except DecryptError:
                continue  # a tampered row cannot be known; detokenizing it is refused and audited
            scope = None if self.token_for(entity_type, value) == token else backend
            known[(entity_type, value, scope)] = token
        with self._lock:
            self._known.update(known)
            self._stored.update(known.values())

    def stored_tokens(self, items: Sequence[tuple[str, str]], scope: str | None = None) -> list[str] | None:
        """Tokens for pairs this process has already committed or looked up, in order, with no round trip
        and no audit row (as `tokenize` gives them); None if any pair still needs the database."""
        with self._lock:
            tokens = [self._known.get((entity, value, scope)) for entity, value in items]
        return None if None in tokens else tokens  # type: ignore[return-value]

    def tokenize(
        self,
        items: Sequence[tuple[str, str]],
        ctx: AuditContext,
        *,
        ttl: TTL = None,
        scope: str | None = None,
    ) -> list[str]:
        """Tokens for (entity type, value) pairs, in order. New values are encrypted and stored, with
        their audit rows, in one transaction; values already stored cost no round trip. A revoked token
        stays revoked: re-tokenizing its value returns the same token.

        `ttl`: how long a new token stays usable — one timedelta for all, or a map entity type -> timedelta
        (the policy's per-entity `ttl`; types absent or None never expire). A token's expiry is fixed when
        it is first stored.

        `scope`: the backend the values came from when several share the session; the tokens are
        derived from it and record it (`Token.backend`), so detokenizing can be bound to it."""
        keys = [(entity, value, scope) for entity, value in items]
        with self._lock:  # values seen before in this process: no HMAC, no round trip
            tokens: list[str | None] = [self._known.get(key) for key in keys]
        derived = {i: self.token_for(*items[i], scope) for i, token in enumerate(tokens) if token is None}
        new: dict[str, tuple[str, str]] = {}
        with self._lock:
            for i, token in derived.items():
                tokens[i] = token
                if token not in self._stored:
                    new.setdefault(token, items[i])
        if new:
            self._store(new, items, ctx, ttl)
        done = [t for t in tokens if t is not None]
        with self._lock:  # only after commit: the caches hold committed tokens only
            self._stored.update(new)
            self._known.update(zip(keys, done, strict=True))
        return done

    def _store(
        self,
        new: dict[str, tuple[str, str]],
        items: Sequence[tuple[str, str]],
        ctx: AuditContext,
        ttl: TTL,
    ) -> None:
        vault, sid = self._vault, self.session_id
        now = vault.clock.now()

        def expiry(entity_type: str) -> datetime | None:
            lifetime = ttl.get(entity_type) if isinstance(ttl, Mapping) else ttl
            return now + lifetime if lifetime is not None else None

        rows = [
            {
                "session_id": sid,
                "token": token,
                "entity_type": entity_type,
                "ciphertext": encrypt_value(self._dek, sid, token, value),
                "created_at": now,
                "expires_at": expiry(entity_type),
                "backend": ctx.backend,
            }
            for token, (entity_type, value) in sorted(new.items())  # one lock order across processes
        ]
        with vault._tx() as conn:
            self._check_usable(conn, now, len(rows))
            stmt = (
                _insert(conn)(Token)
                .on_conflict_do_nothing(index_elements=["session_id", "token"])
                .returning(Token.token)
            )
            created = sorted(conn.execute(stmt, rows).scalars())
            if created:
                conn.execute(
                    update(Session).where(Session.id == sid).values(dek_uses=Session.dek_uses + len(created))
                )
            events: list[AuditEvent] = [
                audit.TokenCreated.of(ctx, session_id=sid, entity_type=new[t][0], token=t, count=1)
                for t in created
            ]
            per_type = Counter(entity_type for entity_type, _ in items)
            events.append(audit.TokenizeSummary.of(ctx, session_id=sid, count=len(items), detail=per_type))
            audit.append(conn, events, vault.clock)

    def _check_usable(self, conn: Connection, now: datetime, encryptions: int) -> None:
        """Lock the session row so a concurrent shred waits for this write, then check it, including the
        data key's use budget (each stored value is one more random GCM nonce under it)."""
        row = conn.execute(
            select(Session.shredded_at, Session.expires_at, Session.dek_uses)
            .where(Session.id == self.session_id)
            .with_for_update()
        ).first()
        if row is None or row.shredded_at is not None:
            raise SessionGone(self.session_id, RefusalReason.SHREDDED)
        if _expired(row.expires_at, now):
            raise SessionGone(self.session_id, RefusalReason.SESSION_EXPIRED)
        if row.dek_uses + encryptions > self._vault.key_use_limit:
            raise KeyBudgetExhausted(self.session_id)

    def detokenize(
        self, tokens: Sequence[str], ctx: AuditContext, *, may_receive: Receiver | None = None
    ) -> dict[str, str]:
        """token -> value for every token, or TokenRefused for the first that cannot be honoured.

        `may_receive(entity type, producing backend)`: when given (several backends), a token whose
        producer the receiving backend may not get a value of is refused (`other-backend`).

        One query for all tokens, read fresh every call (revocation, expiry and shredding by any process
        are honoured). Audit rows are committed before anything is returned or raised.
        """
        if not tokens:
            return {}
        counts = Counter(tokens)
        parsed = {t: parse_token(t) for t in counts}
        now = self._vault.clock.now()
        with self._vault._tx() as conn:
            rows = conn.execute(self._lookup([t for t, p in parsed.items() if p])).all()
            values, refused = self._resolve(counts, parsed, rows, now, may_receive)
            if refused:
                events = [
                    self._refusal_event(ctx, t, parsed[t] is not None, counts[t], r) for t, r in refused
                ]
            else:
                events = [
                    audit.TokenDetokenized.of(
                        ctx, session_id=self.session_id, entity_type=_entity_type(t), token=t, count=n
                    )
                    for t, n in counts.items()
                ]
            audit.append(conn, events, self._vault.clock)
        if refused:
            token, reason = refused[0]
            raise TokenRefused(token if parsed[token] else "(malformed)", reason)
        return values

    def _lookup(self, valid: list[str]) -> Any:
        """The session's state joined to every row holding one of the tokens, in any session."""
        s, t = Session.__table__, Token.__table__
        return (
            select(
                s.c.expires_at.label("session_expires_at"),
                s.c.shredded_at,
                t.c.token,
                t.c.session_id,
                t.c.ciphertext,
                t.c.revoked_at,
                t.c.expires_at,
                t.c.backend,
            )
            .select_from(s.outerjoin(t, t.c.token.in_(valid)))
            .where(s.c.id == self.session_id)
            .with_for_update(read=True, of=s)  # PostgreSQL: a concurrent shred waits for this read
        )

    def _resolve(
        self,
        counts: Counter[str],
        parsed: dict[str, ParsedToken | None],
        rows: Sequence[Row[Any]],
        now: datetime,
        may_receive: Receiver | None = None,
    ) -> tuple[dict[str, str], list[tuple[str, RefusalReason]]]:
        own = {r.token: r for r in rows if r.session_id == self.session_id}
        elsewhere = {r.token for r in rows if r.session_id is not None and r.session_id != self.session_id}
        session = rows[0] if rows else None
        values: dict[str, str] = {}
        refused: list[tuple[str, RefusalReason]] = []
        for token in counts:
            reason = self._reason(token, parsed[token], session, own.get(token), token in elsewhere, now)
            if (
                reason is None
                and may_receive is not None
                and not may_receive(_entity_type(token), own[token].backend)
            ):
                reason = RefusalReason.OTHER_BACKEND
            if reason is None:
                row = own[token]
                try:
                    values[token] = decrypt_value(self._dek, self.session_id, token, row.ciphertext)
                except DecryptError:
                    reason = RefusalReason.UNDECRYPTABLE
            if reason is not None:
                refused.append((token, reason))
        return values, refused

    @staticmethod
    def _reason(
        token: str,
        parsed: ParsedToken | None,
        session: Row[Any] | None,
        row: Row[Any] | None,
        foreign: bool,
        now: datetime,
    ) -> RefusalReason | None:
        if parsed is None:
            return RefusalReason.MALFORMED
        if session is None or session.shredded_at is not None:
            return RefusalReason.SHREDDED
        if _expired(session.session_expires_at, now):
            return RefusalReason.SESSION_EXPIRED
        if row is None:
            return RefusalReason.FOREIGN_SESSION if foreign else RefusalReason.UNKNOWN
        if row.revoked_at is not None:
            return RefusalReason.REVOKED
        if _expired(row.expires_at, now):
            return RefusalReason.EXPIRED
        return None

    def _refusal_event(
        self, ctx: AuditContext, token: str, well_formed: bool, count: int, reason: RefusalReason
    ) -> AuditEvent:
        if well_formed:
            return audit.DetokenizeRefused.of(
                ctx,
                session_id=self.session_id,
                entity_type=_entity_type(token),
                token=token,
                count=count,
                outcome="error" if reason is RefusalReason.UNDECRYPTABLE else "refused",
                reason=reason.value,
            )
        # What the model wrote may hold a value: record only a keyed fingerprint of it.
        fingerprint = hmac.new(
            self._hmac_key, b"malformed\x1f" + token.encode("utf-8", "surrogatepass"), hashlib.sha256
        ).hexdigest()[:20]
        return audit.DetokenizeRefused.of(
            ctx,
            session_id=self.session_id,
            count=count,
            outcome="refused",
            reason=reason.value,
            detail={"fingerprint": fingerprint},
        )

    def store_result(self, text: str, ttl: timedelta, ctx: AuditContext) -> str:
        """Keep a full tokenized result for paging; returns its id. Encrypted under the session's key and
        bound to the session and the id, like a token's value."""
        result_id = secrets.token_hex(16)
        now = self._vault.clock.now()
        with self._vault._tx() as conn:
            self._check_usable(conn, now, 1)
            conn.execute(
                update(Session).where(Session.id == self.session_id).values(dek_uses=Session.dek_uses + 1)
            )
            conn.execute(
                insert(StoredResult).values(
                    id=result_id,
                    session_id=self.session_id,
                    ciphertext=encrypt_value(self._dek, self.session_id, "result:" + result_id, text),
                    created_at=now,
                    expires_at=now + ttl,
                )
            )
            audit.append(
                conn,
                [audit.ResultStored.of(ctx, session_id=self.session_id, count=len(text), reason=result_id)],
                self._vault.clock,
            )
        return result_id

    def load_result(self, result_id: str) -> str:
        """A stored result of this session; ResultUnavailable if unknown, expired, or not this session's."""
        with self._vault._read() as conn:
            row = conn.execute(
                select(StoredResult.ciphertext, StoredResult.expires_at).where(
                    StoredResult.id == result_id, StoredResult.session_id == self.session_id
                )
            ).first()
        if row is None or row.expires_at <= self._vault.clock.now():
            raise ResultUnavailable(result_id)
        try:
            return decrypt_value(self._dek, self.session_id, "result:" + result_id, row.ciphertext)
        except DecryptError:
            raise ResultUnavailable(result_id) from None

    def record(self, events: Sequence[AuditEvent]) -> None:
        """Append standalone audit events (message-blocked, policy-loaded, ...) in their own transaction."""
        with self._vault._tx() as conn:
            audit.append(conn, events, self._vault.clock)

    def close(self, ctx: AuditContext) -> None:
        """Mark the session closed (the connection ended). A named session can still be resumed."""
        with self._vault._tx() as conn:
            conn.execute(
                update(Session).where(Session.id == self.session_id).values(closed_at=self._vault.clock.now())
            )
            audit.append(conn, [audit.SessionClosed.of(ctx, session_id=self.session_id)], self._vault.clock)


__all__ = [
    "SessionInfo",
    "SessionVault",
    "TokenFilter",
    "TokenInfo",
    "Vault",
    "create_vault_engine",
]
