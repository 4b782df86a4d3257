"""Key versions: the key-encryption keys that wrap each session's data key, and their life cycle.

A version is made on first open, when the newest reaches its use limit, and by `veil keys rotate`, which
rewraps every live session's data key under it (resumable); `retire` stops using an old version once no
live session needs it. Every change is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from vault import audit
from vault.engine import VaultBase, dialect_insert
from vault.errors import DecryptError, KeyVersionInUse, VaultUnavailable, WrongMasterKey
from vault.models import KeyVersion, Session

ROTATE_BATCH = 500


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


class KeyVersions(VaultBase):
    """The key-version verbs of a Vault (mixed into vault.store.Vault)."""

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
            stmt = dialect_insert(conn)(KeyVersion).values(
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
            dialect_insert(conn)(KeyVersion)
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
        event = audit.KeyVersionCreated(actor=actor, reason=reason, version=version)
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
                event = audit.KeyRotated(
                    actor=actor,
                    rewrapped=done - len(unreadable),
                    to_version=target,
                    resumed=resumed,
                    unreadable=len(unreadable) or None,
                )
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
            audit.append(conn, [audit.KeyRetired(actor=actor, version=version)], self.clock)

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
