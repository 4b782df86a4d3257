"""The flood filter: a backend's notifications beyond `limits.notifications_per_second` are dropped.

It runs before anything is scanned, so a backend flooding the client costs the session next to nothing;
a flood is logged and audited at most once a second.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import anyio

from proxy.filters.flow import Direction
from proxy.limits import RateGate
from proxy.session import ProxySession

log = logging.getLogger(__name__)


class Flood:
    def __init__(self, session: ProxySession, on_blocked: Callable[[], None]) -> None:
        self.session = session
        self._gate = RateGate(session.policy.notifications_per_second)
        self._reported = 0.0
        self._on_blocked = on_blocked

    async def admit(self, method: str) -> bool:
        """Whether a backend notification may go on; a dropped one is counted (and audited, once a second)."""
        if self._gate.admit():
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
