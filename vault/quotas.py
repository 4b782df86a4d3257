"""API quota counts in the vault database: one row per (backend, quota, window), shared by every proxy
process and fleet instance that opens this database.

Windows are calendar hours or days in UTC, read from the vault's clock (on PostgreSQL the database
server's, so every process agrees on when a window resets). A call quota is taken with one conditional
`UPDATE ... SET used = used + n WHERE used + n <= limit`: the database serializes it per row (SQLite's
write lock, PostgreSQL's row lock and re-check), so of two processes asking for the last call exactly one
gets it. A row quota is checked before the call and added to once the rows are known (it can overshoot by
the rows of calls in flight, never by a call started after the limit was reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, select, update

from vault.engine import VaultBase, dialect_insert
from vault.models import QuotaUsage

PERIODS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}


def window_of(per: str, now: datetime) -> tuple[datetime, datetime]:
    """The window `now` falls in: its start and its reset time (UTC)."""
    if per not in PERIODS:
        raise ValueError(f"unknown quota period {per!r}: hour or day")
    now = now.astimezone(UTC)
    start = now.replace(minute=0, second=0, microsecond=0)
    if per == "day":
        start = start.replace(hour=0)
    return start, start + PERIODS[per]


@dataclass(frozen=True)
class QuotaKey:
    """Which count: a backend's quota by its policy name, with the figures it runs with."""

    backend: str
    quota: str
    per: str
    unit: str  # "calls" | "rows"
    limit: int


@dataclass(frozen=True)
class QuotaUse:
    """A quota's use in one window: `used` of `limit`, resetting at `resets_at`."""

    backend: str
    quota: str
    per: str
    unit: str
    limit: int
    used: int
    window_start: datetime
    resets_at: datetime

    @property
    def fraction(self) -> float:
        return self.used / self.limit if self.limit else 1.0


def current_quotas(engine: Engine, now: datetime) -> list[QuotaUse]:
    """Every quota counted in a window that has not reset at `now`, by backend and quota name (read-only:
    `veil quota status` and `veil top` need no master key)."""
    q = QuotaUsage
    stmt = select(q.backend, q.quota, q.per, q.unit, q.limit, q.used, q.window_start).where(
        q.window_start > now - PERIODS["day"]
    )
    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        rows = conn.execute(stmt).all()
    out = []
    for backend, quota, per, unit, limit, used, window_start in rows:
        start, reset = window_of(per, window_start)
        if reset > now:
            out.append(QuotaUse(backend, quota, per, unit, int(limit), int(used), start, reset))
    return sorted(out, key=lambda u: (u.backend, u.quota))


class Quotas(VaultBase):
    """The quota verbs of a Vault (mixed into vault.store.Vault)."""

    def take_quota(self, key: QuotaKey, amount: int = 1) -> tuple[bool, QuotaUse]:
        """Count `amount` against the quota if it stays within the limit: (taken, use after)."""
        with self._tx() as conn:
            now = self.clock.now()
            start, reset = window_of(key.per, now)
            taken = (
                self._increment(conn, key, start, amount, now, bounded=True)
                or (amount <= key.limit and self._insert(conn, key, start, amount, now))
                # another process inserted the window's row between our update and insert: count again
                or self._increment(conn, key, start, amount, now, bounded=True)
            )
            return taken, self._use(conn, key, start, reset)

    def add_quota(self, key: QuotaKey, amount: int) -> QuotaUse:
        """Count `amount` (rows a call returned) whatever the limit: the call has happened."""
        with self._tx() as conn:
            now = self.clock.now()
            start, reset = window_of(key.per, now)
            _ = (
                self._increment(conn, key, start, amount, now, bounded=False)
                or self._insert(conn, key, start, amount, now)
                or self._increment(conn, key, start, amount, now, bounded=False)
            )
            return self._use(conn, key, start, reset)

    def quota_use(self, key: QuotaKey) -> QuotaUse:
        """The quota's use in the current window (0 if nothing was counted yet)."""
        with self._read() as conn:
            start, reset = window_of(key.per, self.clock.now())
            return self._use(conn, key, start, reset)

    def quota_status(self) -> list[QuotaUse]:
        """Every quota counted in a window that has not reset yet (see `current_quotas`)."""
        return current_quotas(self.engine, self.clock.now())

    @staticmethod
    def _increment(
        conn: Connection, key: QuotaKey, start: datetime, amount: int, now: datetime, *, bounded: bool
    ) -> bool:
        q = QuotaUsage
        stmt = update(q).where(q.backend == key.backend, q.quota == key.quota, q.window_start == start)
        if bounded:
            stmt = stmt.where(q.used + amount <= key.limit)
        values = {"used": q.used + amount, "limit": key.limit, "per": key.per, "unit": key.unit}
        return conn.execute(stmt.values(**values, updated_at=now)).rowcount == 1

    @staticmethod
    def _insert(conn: Connection, key: QuotaKey, start: datetime, amount: int, now: datetime) -> bool:
        row = {
            "backend": key.backend, "quota": key.quota, "window_start": start, "per": key.per,
            "unit": key.unit, "limit": key.limit, "used": amount, "updated_at": now,
        }  # fmt: skip
        # RETURNING, not rowcount: psycopg reports no rowcount for an INSERT ... ON CONFLICT DO NOTHING.
        stmt = dialect_insert(conn)(QuotaUsage).values(**row).on_conflict_do_nothing()
        return conn.execute(stmt.returning(QuotaUsage.used)).first() is not None

    @staticmethod
    def _use(conn: Connection, key: QuotaKey, start: datetime, reset: datetime) -> QuotaUse:
        q = QuotaUsage
        used = conn.execute(
            select(q.used).where(q.backend == key.backend, q.quota == key.quota, q.window_start == start)
        ).scalar()
        return QuotaUse(key.backend, key.quota, key.per, key.unit, key.limit, int(used or 0), start, reset)
