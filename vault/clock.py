"""An injectable clock, so TTL and expiry logic is testable without sleeping."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to (tests)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


SYSTEM_CLOCK: Clock = SystemClock()


class DatabaseClock:
    """The database server's clock, read without a round trip per call.

    Several proxy processes on one PostgreSQL vault must agree on time: a token's expiry written by one
    and checked by another, and the audit chain's timestamps. Each process measures the server's clock
    against its own monotonic clock (`sync`, one `SELECT clock_timestamp()`), so a wrong or stepped wall
    clock on a proxy host changes nothing; `due()` says when to measure again (monotonic drift is a few
    ms per hour). The error is half the measuring round trip (sub-millisecond on a LAN).
    """

    def __init__(self, read_server_time: Callable[[], datetime], resync_seconds: float = 300.0) -> None:
        self._read = read_server_time
        self.resync_seconds = resync_seconds
        self._base: datetime | None = None
        self._mono = 0.0

    def sync(self) -> None:
        """Measure the server's clock now (raises what reading it raises; the old offset is kept)."""
        before = time.monotonic()
        server = self._read()
        after = time.monotonic()
        self._base = server.astimezone(UTC) - timedelta(seconds=(after - before) / 2)
        self._mono = after

    def due(self) -> bool:
        return self._base is None or time.monotonic() - self._mono >= self.resync_seconds

    def now(self) -> datetime:
        if self._base is None:
            return datetime.now(UTC)  # never measured (the server was down at start): the local clock
        return self._base + timedelta(seconds=time.monotonic() - self._mono)
