"""The MCP call as the unit: one client request, from the moment the proxy reads it until it is answered.

A `Call` holds what every guardrail needs to know about the request it belongs to — its method, tool and
backend, its deadline, whether it holds a slot of the call limiter — so a response is scanned knowing what
it answers, and so no request is left unanswered when the backend goes away. The `CallTable` is the only
place calls are opened and closed; closing one frees whatever it holds (its limiter slot), the way the MCP
SDK's `RequestResponder` completes a request exactly once, whichever of answer, cancel or timeout comes
first.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """A request in flight (a client's toward the backend, or a backend's toward the client)."""

    id: Any
    method: str
    tool: str | None = None  # the backend's own name of the tool (policies name those)
    backend: str | None = None  # behind a multiplexer: the one backend the request went to
    progress_token: Any = None
    # Set by a front that must end a request's response stream itself when the request is cancelled
    # (Streamable HTTP, 2025 era): the SDK's transport answers it with "Request cancelled".
    on_unanswered: Callable[[], Awaitable[None]] | None = None
    started: float = field(default_factory=time.monotonic)
    deadline: float = float("inf")
    release: Callable[[], None] | None = None  # frees the call limiter's slot this call holds
    message: Any = None  # the request as the client sent it (tokens)
    outgoing: Any = None  # the request as the backend gets it (real values), set by the scan filter
    position: int = 0  # the call filter the chain is at (a paused call resumes after it)
    usage: Any = None  # the backend's resource window while it is forwarded (`proxy.resources.Window`)
    # What the scans of its request and answer replaced, as `Flow.counts` (entity type -> values tokenized,
    # "detokenized" -> tokens resolved): counts only, never a value or token (the call's span reports them).
    counts: dict[str, int] = field(default_factory=dict)
    span: Any = None  # the call's trace span while telemetry is on (`proxy.telemetry`), else None

    @property
    def seconds(self) -> float:
        """How long it has been in flight."""
        return time.monotonic() - self.started


class CallTable:
    """The calls in flight, by request id. A call leaves it exactly once (`close`), which frees its slot."""

    def __init__(self) -> None:
        self._calls: dict[Any, Call] = {}

    def open(self, call: Call) -> Call:
        self._calls[call.id] = call
        return call

    def get(self, request_id: Any) -> Call | None:
        return self._calls.get(request_id)

    def close(self, request_id: Any) -> Call | None:
        """The call is answered, cancelled or timed out: it leaves the table and frees its limiter slot.
        None if it was not in flight (already closed, or never a call)."""
        call = self._calls.pop(request_id, None)
        if call is not None and call.release is not None:
            release, call.release = call.release, None
            release()
        return call

    def overdue(self, now: float) -> list[Call]:
        """The calls past their deadline, closed."""
        late = [c for c in self._calls.values() if now >= c.deadline]
        for call in late:
            self.close(call.id)
        return late

    def by_progress_token(self, token: Any) -> Call | None:
        if token is None:
            return None
        return next((c for c in self._calls.values() if c.progress_token == token), None)

    def only(self) -> Call | None:
        """The one call in flight, if exactly one is."""
        return next(iter(self._calls.values())) if len(self._calls) == 1 else None

    def __len__(self) -> int:
        return len(self._calls)

    def __contains__(self, request_id: Any) -> bool:
        return request_id in self._calls

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._calls))
