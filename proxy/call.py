"""The MCP call as the unit: one client request, from the moment the proxy reads it until it is answered.

A `Call` holds what every guardrail needs to know about the request it belongs to — its method, tool and
backend, its deadline, whether it holds a slot of the call limiter — so a response is scanned knowing what
it answers, and so no request is left unanswered when the backend goes away. The `CallTable` is the only
place calls are opened and closed. Closing one tells every call filter (`on_done`), whatever ended the
call (`Call.ended` says what did; a call answered before it was forwarded ends there too, `CallTable.end`),
so each frees what it holds itself (the limits filter its limiter slot, the accounting filter writes the
call's row, the telemetry filter ends its span) and the table knows nothing of any filter's state: the way
the MCP SDK's `RequestResponder` completes a request exactly once, whichever of answer, cancel or timeout
comes first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import mcp_types as types

from proxy.errors import CallTimedOut, to_jsonrpc_error
from proxy.transports.wire import SessionMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """How a client's call ended, for the call filters' `on_done` (`Call.ended`): `name` is ok, error (the
    backend's), blocked (its answer could not be scanned), refused (the proxy answered it with an error of its
    own and never forwarded it), timeout, cancelled (by the client) or interrupted (the relay stopped);
    `code` the JSON-RPC error code the client got, `reason` the refusing exception's type name. Value-free."""

    name: str
    code: int | None = None
    reason: str | None = None

    @classmethod
    def refused(cls, exc: Exception, *, blocked: bool = False) -> Outcome:
        name = "timeout" if isinstance(exc, CallTimedOut) else "blocked" if blocked else "refused"
        return cls(name, to_jsonrpc_error(exc)["code"], type(exc).__name__)

    @classmethod
    def answered(cls, message: SessionMessage, result: str) -> Outcome:
        """What the client got: `result` (ok/error/blocked/refused), with the error's code if it is one."""
        msg = message.message
        return cls(result, msg.error.code if isinstance(msg, types.JSONRPCError) else None)

    @classmethod
    def local(cls, message: SessionMessage) -> Outcome:
        """The proxy answered the call itself, never forwarding it: an error is a refusal, a result ok or
        error as the client sees it (`isError`)."""
        msg = message.message
        if isinstance(msg, types.JSONRPCError):
            return cls.answered(message, "refused")
        result = getattr(msg, "result", None)
        return cls("error" if isinstance(result, dict) and result.get("isError") is True else "ok")


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
    holds_slot: bool = False  # holds a slot of the call limiter (freed by the limits filter's `on_done`)
    message: Any = None  # the request as the client sent it (tokens)
    outgoing: Any = None  # the request as the backend gets it (real values), set by the scan filter
    position: int = 0  # the call filter the chain is at (a paused call resumes after it)
    usage: Any = None  # the backend's resource window while it is forwarded (`proxy.resources.Window`)
    outcome: str | None = None  # what the client got — ok, error, blocked — once the backend answered
    # How the call ended, whatever ended it (set just before it ends, read by the filters' `on_done`): wider
    # than `outcome`, which accounting records only for a call the backend answered.
    ended: Outcome | None = None
    closed: bool = False  # its `on_done` hooks have run (`CallTable.end`): they run once
    # What the scans of its request and answer replaced, as `Flow.counts` (entity type -> values tokenized,
    # "detokenized" -> tokens resolved): counts only, never a value or token (the call's span reports them).
    counts: dict[str, int] = field(default_factory=dict)
    span: Any = None  # the call's trace span while telemetry is on (`proxy.telemetry`), else None

    @property
    def seconds(self) -> float:
        """How long it has been in flight."""
        return time.monotonic() - self.started


class CallTable:
    """The calls in flight, by request id. A call ends exactly once (`close`, or `end` for one answered
    before it was forwarded), and every filter of `filters` that has an `on_done` hook hears of it then (the
    list is shared, not copied: the relay fills the chain's list after the table is made)."""

    def __init__(
        self, filters: Sequence[object] = (), on_failure: Callable[[Exception], None] | None = None
    ) -> None:
        self._calls: dict[Any, Call] = {}
        self.filters = filters
        self.on_failure = on_failure  # told a hook's error instead of raising it (the relay logs it)

    def open(self, call: Call) -> Call:
        self._calls[call.id] = call
        return call

    def get(self, request_id: Any) -> Call | None:
        return self._calls.get(request_id)

    def close(self, request_id: Any, ended: Outcome | None = None) -> Call | None:
        """The call is answered, cancelled or timed out (`ended` says how, if not set already): it leaves the
        table, and each filter's `on_done` runs (in list order; one that raises does not keep the others from
        theirs). None if it was not in flight (already closed, or never a call)."""
        call = self._calls.get(request_id)
        if call is not None:
            call.ended = ended or call.ended
            self.end(call)
        return call

    def end(self, call: Call) -> None:
        """`call` ended: it leaves the table if it is in it, and the filters' `on_done` run, once per call.
        Also for a call that never entered the table (answered or refused before it was forwarded, or while
        it waited for an approval), so every call's end is heard here and nowhere else."""
        if self._calls.get(call.id) is call:
            del self._calls[call.id]
        if call.closed:
            return
        call.closed = True
        try:
            _done(self.filters, call)
        except Exception as exc:
            if self.on_failure is None:
                raise
            self.on_failure(exc)

    def overdue(self, now: float, ended: Callable[[Call], Outcome]) -> list[Call]:
        """The calls past their deadline, closed (all of them before any is answered: an answer arriving
        meanwhile then finds its call gone), each `ended` as `ended(call)` says."""
        late = [c for c in self._calls.values() if now >= c.deadline]
        for call in late:
            call.ended = ended(call)
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


def log_failure(exc: Exception) -> None:
    """A call filter's `on_done` raised: the call is over all the same, and the relay goes on (logged)."""
    log.warning("a call filter failed at a call's end", extra={"reason": type(exc).__name__})


def _done(filters: Sequence[object], call: Call) -> None:
    failed: Exception | None = None
    for f in filters:
        hook = getattr(f, "on_done", None)
        if hook is None:
            continue
        try:
            hook(call)
        except Exception as exc:  # the others still free what they hold; the first error is raised after
            failed = failed or exc
    if failed is not None:
        raise failed
