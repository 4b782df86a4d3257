"""The pump: client ⇄ stages ⇄ backend, one message at a time per direction.

Built on the SDK's transports: each side is a (read, write) pair of streams of `SessionMessage |
Exception`. The relay never re-implements MCP handlers: every JSON-RPC message passes, known or not. It
keeps the ids of requests in flight in both directions so a response is scanned knowing what it answers
(and which tool), and so a backend that goes away leaves no client request unanswered.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import mcp_types as types
from mcp.shared.message import ServerMessageMetadata, SessionMessage
from pydantic import ValidationError

from proxy import local
from proxy.approvals import ID_PREFIX, ApprovalGate
from proxy.errors import (
    BACKEND_UNAVAILABLE,
    INVALID_REQUEST,
    PARSE_ERROR,
    CallTimedOut,
    LineTooLong,
    LineUnparsable,
    to_jsonrpc_error,
)
from proxy.limits import CallLimiter, CallRefused, RateGate
from proxy.policy import ApprovalRule
from proxy.session import ProxySession
from proxy.stages import Direction, Flow, Stage, chains
from proxy.stages.base import NeedsWorker

log = logging.getLogger(__name__)

Streams = tuple[Any, Any]  # (read stream of SessionMessage | Exception, write stream of SessionMessage)
# A front transport reports a line over the size limit (discarded unread) as this notification.
OVERSIZE_METHOD = "$/veil/oversize"
# A backend printing garbage is logged at most once per this many seconds, with a count.
GARBAGE_LOG_SECONDS = 10.0


@dataclass
class _InFlight:
    method: str
    tool: str | None = None
    progress_token: Any = None
    # Set by a front that must end a request's response stream itself when the request is cancelled
    # (Streamable HTTP, 2025 era): the SDK's transport answers it with "Request cancelled".
    on_unanswered: Callable[[], Awaitable[None]] | None = None
    started: float = field(default_factory=time.monotonic)
    deadline: float = float("inf")
    limited: bool = False  # holds a slot of the call limiter
    backend: str | None = None  # the backend the request went to (behind a multiplexer: one of several)


@dataclass
class RelayStats:
    to_client: int = 0
    to_backend: int = 0
    blocked: int = 0
    ended_by: str = ""
    backend_exited: bool = False  # the backend closed its end on its own


@dataclass
class Relay:
    session: ProxySession
    stage_chains: dict[Direction, list[Stage]] = field(default_factory=chains)
    stats: RelayStats = field(default_factory=RelayStats)
    drain_timeout: float = 10.0

    def __post_init__(self) -> None:
        self._limiter = CallLimiter(self.session.policy)
        self._flood = RateGate(self.session.policy.notifications_per_second)
        self._flood_reported = 0.0
        self._garbage_reported = -GARBAGE_LOG_SECONDS  # the first garbage line is reported at once
        self._garbage_lines = 0
        self._garbage_kind = ""
        self._follow_ups: list[str] = []  # notifications to send the client after the current message
        self._client_requests: dict[Any, _InFlight] = {}  # client → backend, awaiting the backend
        self._backend_requests: dict[Any, _InFlight] = {}  # backend → client, awaiting the client
        self.gate = ApprovalGate(self.session)
        # Client calls waiting for a human's approval: their scope, and how a front ends an unanswered one.
        self._gated: dict[Any, tuple[anyio.CancelScope, Callable[[], Awaitable[None]] | None]] = {}
        # The proxy's own requests (approval prompts, dry runs), by id: their answers are consumed here.
        self._own_to_client: dict[Any, Any] = {}
        self._own_to_backend: dict[Any, Any] = {}
        self._tg: anyio.abc.TaskGroup | None = None

    async def run(self, client: Streams, backend: Streams) -> RelayStats:
        client_read, client_write = client
        backend_read, backend_write = backend
        try:
            async with anyio.create_task_group() as tg:
                self._tg = tg
                self._client_write, self._backend_write = client_write, backend_write

                async def from_client() -> None:
                    await self._pump_client(client_read, client_write, backend_write)
                    self.stats.ended_by = self.stats.ended_by or "client"
                    # A client that closes its end right after a request still gets the answer (bounded).
                    with anyio.move_on_after(self.drain_timeout):
                        while self._client_requests:
                            await anyio.sleep(0.01)
                    tg.cancel_scope.cancel()

                async def from_backend() -> None:
                    await self._pump_backend(backend_read, backend_write, client_write)
                    self.stats.ended_by = self.stats.ended_by or "backend"
                    self.stats.backend_exited = True
                    await self._fail_pending(client_write, "the backend exited before answering")
                    tg.cancel_scope.cancel()

                tg.start_soon(from_client)
                tg.start_soon(from_backend)
                tg.start_soon(self._expire, client_write, backend_write)
        finally:
            self._report_garbage()  # the lines dropped since the last report
            # The front transport ends when its write side closes: the client then sees a clean EOF.
            with anyio.CancelScope(shield=True):
                await client_write.aclose()
        return self.stats

    # ------------------------------------------------------------------ client → backend
    async def _pump_client(self, client_read: Any, client_write: Any, backend_write: Any) -> None:
        async for item in client_read:
            if isinstance(item, Exception):
                await self._send(client_write, _error(None, _exception_error(item)))
                continue
            msg = item.message
            if isinstance(msg, types.JSONRPCRequest):
                if local.handles(msg):
                    await self._answer_locally(client_write, msg)
                    continue
                tool = self.session.local_tool(_tool_name(msg.method, msg.params))
                out = await self._transform(msg, Direction.TO_BACKEND, "request", msg.method, tool)
                if isinstance(out, Exception):
                    await self._send(client_write, _error(msg.id, to_jsonrpc_error(out)))
                    continue
                if msg.method == "initialize":
                    self.gate.learn_initialize(msg.params)
                if tool is not None and self._gate(item, msg, out):
                    continue  # waits for a human in its own task; the pump goes on
                if not await self._register(item, msg, tool, client_write):
                    continue
            elif isinstance(msg, types.JSONRPCNotification):
                if msg.method == OVERSIZE_METHOD:
                    err = {"code": INVALID_REQUEST, "message": "mcp-veil: message exceeds the size limit"}
                    await self._send(client_write, _error(None, err))
                    continue
                out = await self._transform(msg, Direction.TO_BACKEND, "notification", msg.method, None)
                if isinstance(out, Exception):
                    continue
                if msg.method == "notifications/cancelled":
                    waiting = self._gated.pop(_cancelled_id(msg.params), None)
                    if waiting is not None:
                        waiting[0].cancel()  # the call never reached the backend: nothing to tell it
                        if waiting[1] is not None:
                            await waiting[1]()
                        continue
                    cancelled = self._finish(_cancelled_id(msg.params))
                    if cancelled is not None and cancelled.on_unanswered is not None:
                        await cancelled.on_unanswered()
            else:  # the client's answer to a backend request
                if _is_own(msg.id):
                    # An answer to the proxy's own prompt: consumed, never forwarded. One nobody waits for
                    # (a replay, a late or invented answer) is dropped.
                    waiter = self._own_to_client.pop(msg.id, None)
                    if waiter is not None:
                        waiter.send_nowait(msg)
                    else:
                        log.warning("an answer to no pending approval prompt; dropped")
                    continue
                pending = self._backend_requests.pop(msg.id, None)
                method = pending.method if pending else None
                kind = "error" if isinstance(msg, types.JSONRPCError) else "response"
                out = await self._transform(msg, Direction.TO_BACKEND, kind, method, None)
                if isinstance(out, Exception):
                    out = _error(msg.id, to_jsonrpc_error(out))
            self.stats.to_backend += 1
            await self._send(backend_write, out)

    # ------------------------------------------------------------------ backend → client
    async def _pump_backend(self, backend_read: Any, backend_write: Any, client_write: Any) -> None:
        async for item in backend_read:
            if isinstance(item, Exception):
                if (
                    isinstance(item, LineTooLong | LineUnparsable)
                    and item.request_id in self._client_requests
                ):
                    await self._answer_too_long(client_write, item)
                else:
                    self._garbage(item)
                continue
            msg = item.message
            if isinstance(msg, types.JSONRPCRequest):
                out = await self._transform(
                    msg, Direction.TO_CLIENT, "request", msg.method, None, item.metadata
                )
                if isinstance(out, Exception):
                    await self._send(backend_write, _error(msg.id, to_jsonrpc_error(out)))
                    continue
                self._backend_requests[msg.id] = _InFlight(msg.method)
            elif isinstance(msg, types.JSONRPCNotification):
                if not self._flood.admit():
                    await self._flooded(msg.method)
                    continue  # dropped before any scanning: a flood costs this session next to nothing
                out = await self._transform(
                    msg, Direction.TO_CLIENT, "notification", msg.method, None, item.metadata
                )
                if isinstance(out, Exception):
                    continue
                if msg.method == "notifications/cancelled":
                    self._backend_requests.pop(_cancelled_id(msg.params), None)
            else:
                if _is_own(msg.id):
                    waiter = self._own_to_backend.pop(msg.id, None)
                    if waiter is not None:
                        waiter.send_nowait(msg)
                    continue
                pending = self._client_requests.get(msg.id)
                if (
                    pending is not None
                    and pending.method == "tools/list"
                    and isinstance(msg, types.JSONRPCResponse)
                ):
                    self.gate.learn_tools(msg.result)
                if pending is not None and pending.method in ("tools/list", "tools/call"):
                    _activate_packs(self.session, pending, msg)  # before this very answer is scanned
                if pending is None:
                    # Nobody is waiting: it timed out, was cancelled, or never was a request of the client.
                    log.info("backend answered a request that is not in flight; dropped")
                    continue
                method = pending.method if pending else None
                tool = pending.tool if pending else None
                kind = "error" if isinstance(msg, types.JSONRPCError) else "response"
                out = await self._transform(msg, Direction.TO_CLIENT, kind, method, tool, item.metadata)
                outcome = _outcome(msg, out)
                if isinstance(out, Exception):
                    out = _error(msg.id, to_jsonrpc_error(out))
            self.stats.to_client += 1
            await self._send(client_write, self._routed(out, msg))
            while self._follow_ups:
                note = types.JSONRPCNotification(jsonrpc="2.0", method=self._follow_ups.pop(0))
                await self._send(client_write, SessionMessage(note))
            if isinstance(msg, types.JSONRPCResponse | types.JSONRPCError):
                # Only now is it no longer in flight: a draining relay waits for the delivery too.
                self._finish(msg.id)
                if pending is not None:
                    seconds = time.monotonic() - pending.started
                    self.session.call_completed(
                        pending.method, pending.tool, outcome, seconds, backend=pending.backend
                    )

    def _garbage(self, item: Exception) -> None:
        """A backend line that is not JSON-RPC and answers no request in flight: logged at most once per
        `GARBAGE_LOG_SECONDS`, with the count since the last report (a backend printing garbage on every
        line would flood the log); what is left is reported when the relay ends. Never the line itself: it
        may carry personal data."""
        self._garbage_lines += 1
        self._garbage_kind = type(item).__name__
        if time.monotonic() - self._garbage_reported >= GARBAGE_LOG_SECONDS:
            self._report_garbage()

    def _report_garbage(self) -> None:
        if not self._garbage_lines:
            return
        log.warning(
            "backend sent lines that are not JSON-RPC or are over the size limit; dropped",
            extra={"error": self._garbage_kind, "lines": self._garbage_lines},
        )
        self._garbage_reported = time.monotonic()
        self._garbage_lines = 0

    async def _answer_too_long(self, client_write: Any, exc: LineTooLong | LineUnparsable) -> None:
        """The backend's answer to a request in flight was too large to read, or unparsable: the request
        gets the error now, instead of waiting for its call timeout; the message is audited as blocked."""
        inflight = self._finish(exc.request_id)
        if inflight is None:
            return
        self.stats.blocked += 1
        await self._send(client_write, _error(exc.request_id, to_jsonrpc_error(exc)))
        self.session.call_completed(
            inflight.method,
            inflight.tool,
            "blocked",
            time.monotonic() - inflight.started,
            backend=inflight.backend,
        )
        await anyio.to_thread.run_sync(
            lambda: self.session.record_blocked(
                direction=Direction.TO_CLIENT.value,
                method=inflight.method,
                tool=inflight.tool,
                reason=type(exc).__name__,
            )
        )

    # ------------------------------------------------------------------ approvals
    async def _register(
        self, item: SessionMessage, msg: types.JSONRPCRequest, tool: str | None, client_write: Any
    ) -> bool:
        """Put a client request in flight (limits, timeout); False if a limit refused it."""
        inflight = _InFlight(
            msg.method,
            tool,
            _progress_token(msg.params),
            getattr(item.metadata, "on_request_unanswered", None),
        )
        inflight.backend = self.session.backend_of(msg, "to-backend")
        if tool is not None:
            try:
                self._limiter.acquire(tool, inflight.backend)
            except CallRefused as exc:
                await self._refuse(client_write, msg.id, exc, msg.method, tool)
                return False
            inflight.limited = True
        inflight.deadline = inflight.started + self.session.policy.call_limits(tool).timeout_seconds
        self._client_requests[msg.id] = inflight
        return True

    def _gate(self, item: SessionMessage, msg: types.JSONRPCRequest, out: SessionMessage) -> bool:
        """The hook before a tools/call is forwarded: True if the approval gate took it over."""
        real = out.message.params if isinstance(out.message, types.JSONRPCRequest) else None
        rule = self.gate.needs_gate(real)
        unknown = rule is None and self.gate.needs_hints(real)
        if (rule is None and not unknown) or real is None or self._tg is None:
            return False
        scope = anyio.CancelScope()
        self._gated[msg.id] = (scope, getattr(item.metadata, "on_request_unanswered", None))
        self._tg.start_soon(self._approve_then_forward, scope, rule, item, msg, real)
        return True

    async def _approve_then_forward(
        self,
        scope: anyio.CancelScope,
        rule: ApprovalRule | None,
        item: SessionMessage,
        msg: types.JSONRPCRequest,
        real: dict[str, Any],
    ) -> None:
        client_write, backend_write = self._client_write, self._backend_write
        with scope:
            try:
                if rule is None:  # first learn what the backend declares about its tools
                    await self.gate.fetch_hints(self, real.get("_meta"))
                    rule = self.gate.needs_gate(real)
                if rule is None:
                    self._gated.pop(msg.id, None)
                    if await self._register(item, msg, _tool_name(msg.method, real), client_write):
                        self.stats.to_backend += 1
                        await self._send(
                            backend_write, SessionMessage(msg.model_copy(update={"params": real}))
                        )
                    return
                call = self.gate.call_of(msg.id, msg.params or {}, real)
                try:
                    verdict = await self.gate.decide(rule, call, real, self)
                except anyio.get_cancelled_exc_class():
                    with anyio.CancelScope(shield=True):  # withdrawn by the client while waiting
                        await self.gate.withdrawn(msg.id)
                    raise
            except Exception as exc:  # a vault or audit failure: the call does not happen
                self._gated.pop(msg.id, None)
                await self._refuse(client_write, msg.id, exc, msg.method, _tool_name(msg.method, real))
                return
            self._gated.pop(msg.id, None)
            tool = call.tool
            if verdict.error is not None:
                await self._refuse(client_write, msg.id, verdict.error, msg.method, tool)
                return
            if verdict.result is not None:
                reply = types.JSONRPCResponse(jsonrpc="2.0", id=msg.id, result=verdict.result)
                await self._send(client_write, SessionMessage(reply))
                return
            assert verdict.params is not None
            if not await self._register(item, msg, tool, client_write):
                return
            forward = msg.model_copy(update={"params": verdict.params})
            self.stats.to_backend += 1
            await self._send(backend_write, SessionMessage(forward))

    async def ask_client(self, method: str, params: dict[str, Any], timeout: float, related: Any) -> Any:
        request_id = ID_PREFIX + secrets.token_hex(8)
        msg = await self._ask(
            self._client_write, self._own_to_client, request_id, method, params, timeout, related
        )
        if isinstance(msg, types.JSONRPCError):
            return None  # the client could not show it: not an approval
        return msg.result

    async def ask_backend(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        request_id = ID_PREFIX + secrets.token_hex(8)
        msg = await self._ask(
            self._backend_write, self._own_to_backend, request_id, method, params, timeout, None
        )
        if isinstance(msg, types.JSONRPCError):
            return None, msg.error
        return msg.result, None

    async def _ask(
        self,
        write: Any,
        waiters: dict[Any, Any],
        request_id: str,
        method: str,
        params: dict[str, Any],
        timeout: float,
        related: Any,
    ) -> Any:
        send, receive = anyio.create_memory_object_stream[Any](1)
        waiters[request_id] = send
        request = types.JSONRPCRequest(jsonrpc="2.0", id=request_id, method=method, params=params)
        metadata = ServerMessageMetadata(related_request_id=related) if related is not None else None
        try:
            await self._send(write, SessionMessage(request, metadata=metadata))
            with anyio.fail_after(timeout):
                return await receive.receive()
        except TimeoutError:
            note = types.JSONRPCNotification(
                jsonrpc="2.0",
                method="notifications/cancelled",
                params={"requestId": request_id, "reason": "mcp-veil: no answer in time"},
            )
            await self._send(write, SessionMessage(note, metadata=metadata))
            raise
        finally:
            waiters.pop(request_id, None)
            send.close()
            receive.close()

    async def to_client(self, payload: Any, kind: str, method: str, tool: str | None) -> Any:
        flow = Flow(Direction.TO_CLIENT, self.session, payload, kind, method, tool)
        await anyio.to_thread.run_sync(_run_chain, self.stage_chains[Direction.TO_CLIENT], flow)
        return flow.payload

    def _routed(self, out: SessionMessage, msg: types.JSONRPCMessage) -> SessionMessage:
        """Tag a backend request or notification with the client request it belongs to, so a front with
        one response stream per request (Streamable HTTP) sends it there rather than on the standalone
        stream. A progress notification names its request through its token; anything else sent while
        exactly one client request is in flight belongs to that one; otherwise it stays untagged."""
        if not isinstance(msg, types.JSONRPCRequest | types.JSONRPCNotification) or not self._client_requests:
            return out
        related: Any = None
        if msg.method == "notifications/progress" and isinstance(msg.params, dict):
            token = msg.params.get("progressToken")
            related = next(
                (
                    rid
                    for rid, f in self._client_requests.items()
                    if token is not None and f.progress_token == token
                ),
                None,
            )
        if related is None and len(self._client_requests) == 1:
            related = next(iter(self._client_requests))
        if related is None:
            return out
        return SessionMessage(out.message, metadata=ServerMessageMetadata(related_request_id=related))

    async def _answer_locally(self, client_write: Any, msg: types.JSONRPCRequest) -> None:
        """A request the proxy answers itself (pages of budgeted results): never forwarded."""
        try:
            result = await anyio.to_thread.run_sync(local.answer, self.session, msg)
        except Exception as exc:
            await self._send(client_write, _error(msg.id, to_jsonrpc_error(exc)))
            return
        await self._send(
            client_write, SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=msg.id, result=result))
        )

    # ------------------------------------------------------------------ limits
    def _finish(self, request_id: Any) -> _InFlight | None:
        """A client request leaves the in-flight map (answered, cancelled, timed out): free its slot."""
        inflight = self._client_requests.pop(request_id, None)
        if inflight is not None and inflight.limited and inflight.tool is not None:
            self._limiter.release(inflight.tool, inflight.backend)
        return inflight

    async def _refuse(
        self, client_write: Any, request_id: Any, exc: Exception, method: str, tool: str | None
    ) -> None:
        self.stats.blocked += 1
        await self._send(client_write, _error(request_id, to_jsonrpc_error(exc)))
        await anyio.to_thread.run_sync(
            lambda: self.session.record_blocked(
                direction=Direction.TO_BACKEND.value, method=method, tool=tool, reason=type(exc).__name__
            )
        )

    async def _flooded(self, method: str) -> None:
        """Count a dropped notification; audit the flood at most once a second."""
        self.stats.blocked += 1
        now = time.monotonic()
        if now - self._flood_reported >= 1.0:
            self._flood_reported = now
            log.warning(
                "backend notification flood; dropping notifications", extra={"backend": self.session.backend}
            )
            await anyio.to_thread.run_sync(
                lambda: self.session.record_blocked(
                    direction=Direction.TO_CLIENT.value, method=method, tool=None, reason="NotificationFlood"
                )
            )

    async def _expire(self, client_write: Any, backend_write: Any) -> None:
        """Housekeeping every 0.1 s: buffered audit rows are written; per-call timeouts give the client an
        error and the backend `notifications/cancelled`."""
        while True:
            await anyio.sleep(0.1)
            if self.session.calls_due():
                await anyio.to_thread.run_sync(self.session.flush_calls)
            now = time.monotonic()
            for request_id, inflight in list(self._client_requests.items()):
                if now < inflight.deadline:
                    continue
                self._finish(request_id)
                seconds = inflight.deadline - inflight.started
                exc = CallTimedOut(
                    f"mcp-veil: the backend did not answer within {seconds:g} s; the call was cancelled",
                    data={"timeout_seconds": seconds},
                )
                await self._refuse(client_write, request_id, exc, inflight.method, inflight.tool)
                cancel = types.JSONRPCNotification(
                    jsonrpc="2.0",
                    method="notifications/cancelled",
                    params={"requestId": request_id, "reason": "mcp-veil: call timeout"},
                )
                await self._send(backend_write, SessionMessage(cancel))
                if inflight.on_unanswered is not None:
                    await inflight.on_unanswered()

    # ------------------------------------------------------------------ the chain
    async def _transform(
        self,
        msg: types.JSONRPCMessage,
        direction: Direction,
        kind: str,
        method: str | None,
        tool: str | None,
        origin: Any = None,
    ) -> SessionMessage | Exception:
        payload = _payload(msg)
        # A backend's request or notification is screened even without params: its method name and id.
        screened = direction is Direction.TO_CLIENT and kind in ("request", "notification")
        if payload is None and not screened:
            return SessionMessage(msg)
        flow = Flow(direction, self.session, payload, kind, method, tool)
        flow.request_id = getattr(msg, "id", None)
        flow.backend = self.session.backend_of(msg, direction.value, origin)
        stages = self.stage_chains[direction]
        try:
            rest = _run_on_loop(stages, flow) if _small(payload) else 0
            if rest is not None:
                flow.on_loop = False
                await anyio.to_thread.run_sync(_run_chain, stages[rest:], flow)
            # Re-typed here, inside the guard: a payload a stage left ill-typed (an error whose `code` is no
            # longer a number) blocks its message like any stage failure, never crashes the relay.
            out = SessionMessage(_with_payload(msg, flow.payload)) if flow.changed else SessionMessage(msg)
        except Exception as exc:
            self.stats.blocked += 1
            reason = type(exc).__name__
            log.warning(
                "message blocked",
                extra={
                    "direction": direction.value,
                    "method": self.session.safe_name(method),
                    "tool": self.session.safe_name(tool),
                    "reason": reason,
                },
            )
            await anyio.to_thread.run_sync(
                lambda: self.session.record_blocked(
                    direction=direction.value, method=method, tool=tool, reason=reason
                )
            )
            return exc
        self._follow_ups.extend(flow.follow_ups)
        return out

    async def _fail_pending(self, client_write: Any, why: str) -> None:
        pending = list(self._client_requests)
        for request_id in pending:
            self._finish(request_id)
            err = {"code": BACKEND_UNAVAILABLE, "message": f"mcp-veil: {why}"}
            try:
                await self._send(client_write, _error(request_id, err))
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                return

    @staticmethod
    async def _send(stream: Any, message: SessionMessage) -> None:
        try:
            await stream.send(message)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            log.info("peer closed; message not delivered")


def _activate_packs(session: ProxySession, pending: Any, msg: Any) -> None:
    """A backend shows which tools it has in its tools/list result and in the calls it answers: the
    policy packs meant for those tools apply from this answer on (`Policy.activate_packs`)."""
    policy = session.policy_for(pending.backend)
    if not policy.packs:
        return
    names = [pending.tool] if pending.tool else []
    result = getattr(msg, "result", None)
    if pending.method == "tools/list" and isinstance(result, dict) and isinstance(result.get("tools"), list):
        names += [
            t["name"] for t in result["tools"] if isinstance(t, dict) and isinstance(t.get("name"), str)
        ]
    local = [n for n in map(session.local_tool, names) if n]
    for name in policy.activate_packs(local):
        log.info("policy pack applies to this backend", extra={"pack": name})


def _run_chain(stages: list[Stage], flow: Flow) -> None:
    for stage in stages:
        stage(flow)


def _run_on_loop(stages: list[Stage], flow: Flow) -> int | None:
    """Run the chain on the event loop until a stage needs a worker (the vault, Presidio): the index of that
    stage (the rest runs in a worker thread), or None when the chain is done. The two thread hops of a
    small call (one each way) were about half a millisecond, most of what the proxy added to it."""
    flow.on_loop = True
    for index, stage in enumerate(stages):
        try:
            stage(flow)
        except NeedsWorker:
            return index
    return None


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


# --------------------------------------------------------------------------- message helpers

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


def _outcome(msg: types.JSONRPCMessage, out: SessionMessage | Exception) -> str:
    """ok / error / blocked: what the client got for its request."""
    if isinstance(out, Exception):
        return "blocked"
    if isinstance(msg, types.JSONRPCError):
        return "error"
    result = getattr(msg, "result", None)
    return "error" if isinstance(result, dict) and result.get("isError") is True else "ok"


def _cancelled_id(params: dict[str, Any] | None) -> Any:
    return params.get("requestId") if params else None


def _progress_token(params: dict[str, Any] | None) -> Any:
    meta = params.get("_meta") if params else None
    return meta.get("progressToken") if isinstance(meta, dict) else None


def _is_own(request_id: Any) -> bool:
    return isinstance(request_id, str) and request_id.startswith(ID_PREFIX)


def _tool_name(method: str, params: dict[str, Any] | None) -> str | None:
    if method == "tools/call" and params and isinstance(params.get("name"), str):
        return str(params["name"])
    return None


def _error(request_id: Any, error: dict[str, Any]) -> SessionMessage:
    return SessionMessage(
        types.JSONRPCError(jsonrpc="2.0", id=request_id, error=types.ErrorData.model_validate(error))
    )


def _exception_error(exc: Exception) -> dict[str, Any]:
    """What the front's parser could not turn into a message: bad JSON, a batch, an invalid envelope."""
    if isinstance(exc, ValidationError):
        errors = exc.errors(include_input=False, include_url=False)
        if errors and errors[0].get("type") == "json_invalid":
            return {"code": PARSE_ERROR, "message": "Parse error: the message is not valid JSON"}
        if _is_batch(exc):
            return {"code": INVALID_REQUEST, "message": "Invalid Request: JSON-RPC batches are not supported"}
        return {"code": INVALID_REQUEST, "message": "Invalid Request: not a JSON-RPC 2.0 message"}
    return {"code": PARSE_ERROR, "message": "Parse error: the message could not be read"}


def _is_batch(exc: ValidationError) -> bool:
    try:
        return any(e.get("type") == "model_type" and isinstance(e.get("input"), list) for e in exc.errors())
    except Exception:
        return False


OnEnd = Callable[[RelayStats], None]
