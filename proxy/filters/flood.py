"""The flood filter: a backend's notifications beyond `limits.notifications_per_second` are dropped, and so
are those that arrive while scanning notifications has taken more than its share of the proxy's time.

It runs before anything is scanned, so a backend flooding the client costs the session next to nothing;
a flood is logged and audited at most once a second. The time share (`NOTIFICATION_SHARE` of the wall clock
on average, bursts of `NOTIFICATION_BURST` seconds) is what keeps answers flowing: a backend writing log
lines full of personal data as fast as the pipe takes them is held back by the pipe to the rate the proxy
scans them, which no count per second catches, and every answer behind them would wait.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import anyio

from proxy.filters.flow import Direction
from proxy.limits import RateGate, TimeShare
from proxy.session import ProxySession

log = logging.getLogger(__name__)

NOTIFICATION_SHARE = 0.5
NOTIFICATION_BURST = 2.0


class Flood:
    def __init__(self, session: ProxySession, on_blocked: Callable[[], None]) -> None:
        self.session = session
        self._gate = RateGate(session.policy.notifications_per_second)
        self._time = TimeShare(NOTIFICATION_SHARE, NOTIFICATION_BURST)
        self._reported = 0.0
        self._on_blocked = on_blocked

    async def admit(self, method: str) -> bool:
        """Whether a backend notification may go on; a dropped one is counted (and audited, once a second)."""
        if self._time.allows() and self._gate.admit():
            return True
        self._on_blocked()
        now = time.monotonic()
        if now - self._reported >= 1.0:
            self._reported = now
            log.warning(
                "backend notification flood; dropping notifications", extra={"backend": self.session.backend}
            )
            await anyio.to_thread.run_sync(
                lambda: self.session.record_blocked(
                    direction=Direction.TO_CLIENT.value, method=method, tool=None, reason="NotificationFlood"
                )
            )
        return False

    def spent(self, seconds: float) -> None:
        """Charge the time an admitted notification took to scan."""
        self._time.spend(seconds)

    @contextmanager
    def timed(self, kind: str) -> Iterator[None]:
        """Charge what the block takes (the scan of a backend message) when the message is a notification."""
        started = time.monotonic()
        try:
            yield
        finally:
            if kind == "notification":
                self.spent(time.monotonic() - started)
