"""Health probes for a load balancer: `/healthz` (the process answers) and `/readyz` (it can serve).

Ready means: not draining (SIGTERM received), the vault answers a query, policies are loaded, and the
backend is startable (its executable is on PATH, or its HTTP host accepts a TCP connection). A probe
result is kept for `cache_seconds`, so a balancer probing every instance often costs the database one
query per instance per interval. Answers are value-free: check names and `ok`/`failed` only.
"""

from __future__ import annotations

import json
import shutil
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import anyio
from starlette.responses import Response

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
PROBE_PATHS = frozenset({HEALTH_PATH, READY_PATH})
CHECK_TIMEOUT = 2.0

Check = Callable[[], None]
"""A readiness check: returns if fine, raises (anything) if not."""


def command_check(command: Sequence[str]) -> Check:
    """The backend command's executable can be found (a subprocess per session is started from it)."""

    def check() -> None:
        if not command or shutil.which(command[0]) is None:
            raise FileNotFoundError("backend command not found")

    return check


def http_check(url: str, timeout: float = CHECK_TIMEOUT) -> Check:
    """The HTTP backend's host accepts a TCP connection (no request: it may count or bill requests)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = parts.port or (443 if parts.scheme == "https" else 80)

    def check() -> None:
        socket.create_connection((host, port), timeout=timeout).close()

    return check


@dataclass
class Readiness:
    """Named checks, run in a worker thread, their result cached briefly; `draining` makes it not ready."""

    checks: dict[str, Check]
    cache_seconds: float = 1.0
    draining: bool = False
    _cached: tuple[float, dict[str, str]] | None = field(default=None, repr=False)

    async def report(self) -> tuple[bool, dict[str, str]]:
        if self.draining:
            return False, {"draining": "yes"}
        now = time.monotonic()
        if self._cached is None or now - self._cached[0] >= self.cache_seconds:
            results = {}
            for name, check in self.checks.items():
                results[name] = await _run(check)
            self._cached = (time.monotonic(), results)
        results = self._cached[1]
        return all(v == "ok" for v in results.values()), dict(results)

    async def respond(self, path: str) -> Response:
        if path == HEALTH_PATH:
            return _json(200, {"status": "ok"})
        ready, checks = await self.report()
        return _json(200 if ready else 503, {"status": "ready" if ready else "not ready", "checks": checks})


async def _run(check: Check) -> str:
    try:
        with anyio.fail_after(CHECK_TIMEOUT + 1):
            await anyio.to_thread.run_sync(check, abandon_on_cancel=True)
    except Exception:
        return "failed"
    return "ok"


def _json(status: int, body: dict[str, object]) -> Response:
    headers = {"Cache-Control": "no-store"}
    return Response(json.dumps(body), status_code=status, media_type="application/json", headers=headers)
