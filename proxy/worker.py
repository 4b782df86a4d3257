"""How a scan filter's blocking half reaches a worker thread, explicitly.

Scanning a small message takes microseconds on the event loop; the vault and Presidio take milliseconds
and block. A scan filter that may block has two entry points (`proxy.filters.flow.Stage`): calling it runs
it whole, blocking allowed (in a worker); its `on_loop(flow)` does what needs no I/O and returns either
None (done) or a `Finish`, the rest of its own work, which the chain (`proxy.chain`) awaits in a worker
thread before the following filters run there. Nothing done on the loop is done twice.

`NeedsWorker` is the guard left in the blocking code itself (`ProxySession.tokenize`, the detectors):
called on the loop (`Flow.on_loop`), it raises before doing anything, instead of blocking the loop. The
filters ask first (`ProxySession.stored_tokens`, `cached_detect`), so on their paths it is never raised.
This module imports nothing, so the detectors, the session and the filters can all use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Finish = Callable[[], None]  # a filter's blocking rest, run in a worker thread


class NeedsWorker(Exception):
    """Raised on the event loop (`Flow.on_loop`) by work that would wait on the vault or run Presidio."""


def cached_detect(detector: Any, texts: list[str], known: Any, deadline: Any) -> dict[str, Any] | None:
    """The detector's spans from what needs no Presidio run (its cached verdicts, known values, the
    recognizers' triggers), or None when some text needs Presidio (or detectors still loading): then the
    caller detects in a worker. The detectors' own guard is read here, in one place."""
    try:
        found: dict[str, Any] = detector.detect(texts, known, deadline, on_loop=True)
    except NeedsWorker:
        return None
    return found
