"""The chain: every guardrail is a filter, and the order of the filters lives in one list.

A client request passes the call filters in `REQUEST_ORDER` (`proxy.filters.request_order`: local pages,
the request scan — egress, detokenize —, approvals, quotas, limits/timeout, accounting), each returning a
`Verdict`: continue, answer locally, refuse, or pause (the filter took the call over and resumes the chain
from the next filter when it is done: the approval wait); `on_response` and `on_done` hooks follow the call
to its end. An answer or a backend message toward the client passes tokenize and budget; a backend
notification passes the flood gate before anything is scanned. A filter that raises fails its message
closed — an error is better than a leak — where mitmproxy would log an addon's error and let the flow go on.

The scan filters (egress, detokenize, tokenize, budget) are functions of a `Flow`. Blocking work has one
home: a small message runs through them on the event loop, each filter that may block through its
`on_loop` attempt (`proxy.worker`), which does the part that needs no I/O and hands back the rest — the
vault, Presidio — as a `Finish`; the chain awaits that in a worker thread, and the filters after it run
there too (one hop, not one per filter). A large message runs whole in a worker. The two thread hops of a
small call were about half a millisecond, most of what the proxy added to it: a call whose values are all
known makes none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import anyio
import mcp_types as types

from proxy.envelope import activate_packs, outcome
from proxy.errors import to_jsonrpc_error
from proxy.filters import Direction, Flow, Stage, chains
from proxy.transports.wire import SessionMessage
from proxy.worker import Finish

if TYPE_CHECKING:
    from proxy.call import Call
    from proxy.session import ProxySession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    """What a call filter decided: continue (the default), answer the client itself with `answer` (a result
    or an error member), refuse with `refuse` (a JSON-RPC error, audited), or `pause`: the filter holds the
    call and resumes the chain later (`Chain.resume`)."""

    answer: SessionMessage | None = None
    refuse: Exception | None = None
    pause: bool = False


CONTINUE = Verdict()


class CallFilter(Protocol):
    """A guardrail on a client request, run before the request is forwarded. Two optional hooks besides:
    `on_response(call, msg)`, the backend's answer before it is scanned, and `on_done(call) -> None`, the
    call ended, whatever ended it (`CallTable.end`: once per call, `call.ended` says how), so the filter frees
    what it holds for the call (its limiter slot) itself, or reports it (the call's span)."""

    async def on_request(self, call: Call) -> Verdict: ...


class Pump(Protocol):
    """What a call filter that acts on its own (a timeout, an approval wait) needs from the relay."""

    async def to_client(self, message: SessionMessage) -> None: ...

    async def to_backend(self, message: SessionMessage) -> None: ...

    async def refuse(self, call: Call, exc: Exception) -> None:
        """Answer the call with the error for `exc`, audited as a blocked message."""

    async def resume(self, call: Call) -> None:
        """Run a paused call's chain on from the filter after the one that paused it."""

    def end(self, call: Call) -> None:
        """A call the filter answered itself (or that was withdrawn while paused) ended: `call.ended` says
        how; the call filters' `on_done` run (`CallTable.end`)."""

    def start_soon(self, func: Callable[..., Any], *args: Any) -> None: ...


class Chain:
    """The filters of one session, in order, and how a message runs through them."""

    def __init__(
        self,
        session: ProxySession,
        scan_filters: dict[Direction, list[Stage]] | None = None,
        on_blocked: Callable[[], None] = lambda: None,
    ) -> None:
        self.session = session
        self.scan_filters = scan_filters if scan_filters is not None else chains()
        self.call_filters: list[CallFilter] = []  # set by the relay: they need its streams
        self.follow_ups: list[str] = []  # notifications to send the client after the current message
        self._on_blocked = on_blocked

    # ------------------------------------------------------------------ client requests
    async def request(self, call: Call, start: int = 0) -> Verdict:
        """Run a client request through the call filters from `start`; the first verdict that is not
        `CONTINUE` ends the run. A filter that raises refuses the call (fail closed)."""
        for index in range(start, len(self.call_filters)):
            call.position = index
            try:
                verdict = await self.call_filters[index].on_request(call)
            except Exception as exc:
                return Verdict(refuse=exc)
            if verdict is not CONTINUE:
                return verdict
        return CONTINUE

    # ------------------------------------------------------------------ scanning
    async def scan(
        self,
        msg: types.JSONRPCMessage,
        direction: Direction,
        kind: str,
        method: str | None,
        tool: str | None,
        origin: Any = None,
        call: Call | None = None,
    ) -> SessionMessage | Exception:
        """The message as it may leave in `direction`, or the exception that blocked it (audited). With
        `call` (the client's call it belongs to), what the scan replaced is added to `call.counts`."""
        payload = _payload(msg)
        # A backend's request or notification is screened even without params: its method name and id.
        screened = direction is Direction.TO_CLIENT and kind in ("request", "notification")
        if payload is None and not screened:
            return SessionMessage(msg)
        flow = Flow(direction, self.session, payload, kind, method, tool)
        flow.request_id = getattr(msg, "id", None)
        flow.backend = self.session.backend_of(msg, direction.value, origin)
        try:
            await self.run(self.scan_filters[direction], flow, small=_small(payload))
            # Re-typed here, inside the guard: a payload a filter left ill-typed (an error whose `code` is no
            # longer a number) blocks its message like any filter failure, never crashes the relay.
            out = SessionMessage(_with_payload(msg, flow.payload)) if flow.changed else SessionMessage(msg)
        except Exception as exc:
            await self.blocked(direction, method, tool, exc)
            return exc
        self.follow_ups.extend(flow.follow_ups)
        if call is not None:
            for name, n in flow.counts.items():
                call.counts[name] = call.counts.get(name, 0) + n
        return out

    async def answer(
        self, msg: types.JSONRPCMessage, direction: Direction, call: Call | None, origin: Any = None
    ) -> tuple[SessionMessage, str]:
        """An answer to a request in flight (`call`: None if none is known), as it may be forwarded — its
        error if it was blocked — and what the asker got: ok, error or blocked."""
        kind = "error" if isinstance(msg, types.JSONRPCError) else "response"
        method, tool = (call.method, call.tool) if call is not None else (None, None)
        out = await self.scan(msg, direction, kind, method, tool, origin, call)
        if isinstance(out, Exception):
            return error_reply(getattr(msg, "id", None), to_jsonrpc_error(out)), "blocked"
        return out, outcome(msg, out)

    async def to_client(self, payload: Any, kind: str, method: str, tool: str | None) -> Any:
        """A payload of the proxy's own (an approval prompt) through the to-client filters; raises if
        blocked."""
        flow = Flow(Direction.TO_CLIENT, self.session, payload, kind, method, tool)
        await self.run(self.scan_filters[Direction.TO_CLIENT], flow, small=False)
        return flow.payload

    @staticmethod
    async def run(filters: list[Stage], flow: Flow, *, small: bool) -> None:
        """On the loop while `small` and no filter has blocking work left; from that work on, in a worker."""
        if not small:
            await anyio.to_thread.run_sync(_run_all, None, filters, flow)
            return
        flow.on_loop = True
        try:
            for index, f in enumerate(filters):
                attempt = getattr(f, "on_loop", None)
                if attempt is None:
                    f(flow)
                    continue
                finish = attempt(flow)
                if finish is not None:
                    flow.on_loop = False
                    await anyio.to_thread.run_sync(_run_all, finish, filters[index + 1 :], flow)
                    return
        finally:
            flow.on_loop = False

    async def blocked(
        self, direction: Direction, method: str | None, tool: str | None, exc: Exception
    ) -> None:
        """A message that will not be forwarded: counted, logged without values, audited."""
        self._on_blocked()
        log.warning(
            "message blocked",
            extra={
                "direction": direction.value,
                "method": self.session.safe_name(method),
                "tool": self.session.safe_name(tool),
                "reason": type(exc).__name__,
            },
        )
        await self.audit_blocked(direction, method, tool, exc)

    async def audit_blocked(
        self, direction: Direction, method: str | None, tool: str | None, exc: Exception
    ) -> None:
        """The `message-blocked` audit row (written from a worker: the vault blocks)."""
        reason = type(exc).__name__
        await anyio.to_thread.run_sync(
            lambda: self.session.record_blocked(
                direction=direction.value, method=method, tool=tool, reason=reason
            )
        )

    def on_response(self, call: Call, msg: Any) -> None:
        """An answer to a client's call, before it is scanned: what it shows about the backend's tools (their
        declared hints, the policy packs meant for them) applies from this very answer on."""
        for f in self.call_filters:
            hook = getattr(f, "on_response", None)
            if hook is not None:
                hook(call, msg)
        if call.method in ("tools/list", "tools/call"):
            activate_packs(self.session, call, msg)


def _run_all(finish: Finish | None, filters: list[Stage], flow: Flow) -> None:
    """In a worker: the blocking rest of one filter, then the filters after it, each whole."""
    if finish is not None:
        finish()
    for f in filters:
        f(flow)


# A payload within these bounds is scanned on the event loop (its chain takes microseconds); a larger
# one in a worker thread, so other messages (and, behind `veil serve`, other sessions) keep moving.
_LOOP_NODES = 256
_LOOP_CHARS = 8192


def _small(payload: Any) -> bool:
    """Whether a payload is within the on-loop bounds; stops counting as soon as it is not."""
    nodes, chars = _LOOP_NODES, _LOOP_CHARS
    stack = [payload]
    while stack:
        item = stack.pop()
        nodes -= 1
        if nodes < 0:
            return False
        kind = type(item)
        if kind is str:
            chars -= len(item)
            if chars < 0:
                return False
        elif kind is dict:
            for key, value in item.items():
                chars -= len(key) if type(key) is str else 0
                stack.append(value)
        elif kind is list:
            stack.extend(item)
    return chars >= 0


_PAYLOAD_FIELD: dict[type, str] = {
    types.JSONRPCRequest: "params",
    types.JSONRPCNotification: "params",
    types.JSONRPCResponse: "result",
    types.JSONRPCError: "error",
}


def _payload(msg: types.JSONRPCMessage) -> Any:
    value = getattr(msg, _PAYLOAD_FIELD[type(msg)])
    if isinstance(value, types.ErrorData):
        return value.model_dump(exclude_unset=True)
    return value


def _with_payload(msg: types.JSONRPCMessage, payload: Any) -> types.JSONRPCMessage:
    name = _PAYLOAD_FIELD[type(msg)]
    if name == "error":
        payload = types.ErrorData.model_validate(payload)
    return msg.model_copy(update={name: payload})


def error_reply(request_id: Any, error: dict[str, Any]) -> SessionMessage:
    """A JSON-RPC error answering `request_id`, with an `error` member from `errors.to_jsonrpc_error`."""
    return SessionMessage(
        types.JSONRPCError(jsonrpc="2.0", id=request_id, error=types.ErrorData.model_validate(error))
    )
