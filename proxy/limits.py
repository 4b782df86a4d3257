"""Per-tool rate and concurrency limits, checked before a call is forwarded.

Rate: a token bucket per tool refilled continuously (`rate_per_minute`). Concurrency: calls of that tool in
flight. A refusal is a clear JSON-RPC error and an audit event; the backend never sees the call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from proxy.errors import RATE_LIMITED, ProxyError
from proxy.policy import Policy


class CallRefused(ProxyError):
    code = RATE_LIMITED


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class CallLimiter:
    def __init__(self, policy: Policy, clock: Callable[[], float] = time.monotonic) -> None:
        self._policy = policy
        self._clock = clock
        # Keyed by (backend, tool): behind a multiplexer, two backends' `search` are two budgets.
        self._buckets: dict[tuple[str | None, str], _Bucket] = {}
        self._in_flight: dict[tuple[str | None, str], int] = {}
        self._lock = threading.Lock()

    def acquire(self, tool: str, backend: str | None = None) -> None:
        """Take a slot for a call of `tool` (on `backend`), or raise CallRefused."""
        limits = self._policy.call_limits(tool)
        key = (backend, tool)
        with self._lock:
            if limits.max_concurrent is not None and self._in_flight.get(key, 0) >= limits.max_concurrent:
                raise CallRefused(
                    f"mcp-veil refused this call: {limits.max_concurrent} call(s) of {tool!r} already in "
                    "flight (concurrency limit)",
                    data={"tool": tool, "limit": "concurrency"},
                )
            if limits.rate_per_minute is not None:
                now = self._clock()
                capacity = float(limits.rate_per_minute)
                bucket = self._buckets.setdefault(key, _Bucket(capacity, now))
                bucket.tokens = min(capacity, bucket.tokens + (now - bucket.stamp) * capacity / 60.0)
                bucket.stamp = now
                if bucket.tokens < 1.0:
                    raise CallRefused(
                        f"mcp-veil refused this call: {tool!r} is limited to {limits.rate_per_minute} "
                        "call(s) per minute (rate limit)",
                        data={"tool": tool, "limit": "rate"},
                    )
                bucket.tokens -= 1.0
            self._in_flight[key] = self._in_flight.get(key, 0) + 1

    def release(self, tool: str, backend: str | None = None) -> None:
        key = (backend, tool)
        with self._lock:
            n = self._in_flight.get(key, 0)
            if n <= 1:
                self._in_flight.pop(key, None)
            else:
                self._in_flight[key] = n - 1


class RateGate:
    """A token bucket for a stream of messages: `rate` a second on average, bursts of up to 5 s of it."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._capacity = rate * 5
        self._tokens = self._capacity
        self._clock = clock
        self._stamp = clock()

    def admit(self) -> bool:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True


class TimeShare:
    """A token bucket of seconds: work of one kind may take `share` of the wall clock on average, in bursts
    of up to `burst` seconds. `spend` charges what a piece of work took; `allows` says whether there is any
    left. Unlike a count of messages, it holds however the messages arrive: a backend held back by the
    pipe sends only as fast as the proxy reads, so a count per second never trips, while the time spent
    scanning what it sends still adds up."""

    def __init__(self, share: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._share = share
        self._burst = burst
        self._seconds = burst
        self._clock = clock
        self._stamp = clock()

    def allows(self) -> bool:
        now = self._clock()
        self._seconds = min(self._burst, self._seconds + (now - self._stamp) * self._share)
        self._stamp = now
        return self._seconds > 0.0

    def spend(self, seconds: float) -> None:
        self._seconds -= seconds
