"""The pump: read a message, find or open its `Call`, run the chain, write.

Built on the SDK's transports: each side is a (read, write) pair of streams of `SessionMessage |
Exception`. The relay never re-implements MCP handlers: every JSON-RPC message passes, known or not. The
guardrails are filters (`proxy.chain`, `proxy.filters`); the calls in flight live in a `CallTable`, so a
response is scanned knowing what it answers (and which tool), and a backend that goes away leaves no client
request unanswered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import mcp_types as types

from proxy.call import Call, CallTable, Outcome, log_failure
from proxy.chain import Chain, Verdict, error_reply
from proxy.envelope import (
    GarbageLines,
    call_of,
    cancelled_id,
    exception_error,
    is_own,
    routed,
)
from proxy.errors import BACKEND_UNAVAILABLE, INVALID_REQUEST, LineTooLong, LineUnparsable, to_jsonrpc_error
from proxy.filters import Direction, Stage
from proxy.filters.flood import Flood
from proxy.filters.request_order import RequestFilters
from proxy.session import ProxySession
from proxy.transports.wire import SessionMessage

log = logging.getLogger(__name__)

Streams = tuple[Any, Any]  # (read stream of SessionMessage | Exception, write stream of SessionMessage)
# A front transport reports a line over the size limit (discarded unread) as this notification.
OVERSIZE_METHOD = "$/veil/oversize"
_error = error_reply  # the name transports and tests import


@dataclass
class RelayStats:
    to_client: int = 0
    to_backend: int = 0
    blocked: int = 0
    ended_by: str = ""
    backend_exited: bool = False  # the backend closed its end on its own

    def count_blocked(self) -> None:
        self.blocked += 1


@dataclass
class Relay:
    session: ProxySession
    stage_chains: dict[Direction, list[Stage]] | None = None  # the scan filters; default `filters.chains()`
    stats: RelayStats = field(default_factory=RelayStats)
    drain_timeout: float = 10.0

    def __post_init__(self) -> None:
        self.chain = Chain(self.session, self.stage_chains, on_blocked=self.stats.count_blocked)
        self.calls = CallTable(self.chain.call_filters, log_failure)  # client → backend, awaiting the backend
        self._backend_calls = CallTable()  # backend → client, awaiting the client
        filters = RequestFilters(self.chain, self)
        self.chain.call_filters[:] = filters.ordered
        self.approvals, self.limits = filters.approvals, filters.limits
        self.flood = Flood(self.session, self.stats.count_blocked)
        self.garbage = GarbageLines()
        self._tg: anyio.abc.TaskGroup | None = None

    async def run(self, client: Streams, backend: Streams) -> RelayStats:
        client_read, self._client_write = client
        backend_read, self._backend_write = backend
        try:
            async with anyio.create_task_group() as tg:
                self._tg = tg

                async def from_client() -> None:
                    await self._pump_client(client_read)
                    self.stats.ended_by = self.stats.ended_by or "client"
                    # A client that closes its end right after a request still gets the answer (bounded).
                    with anyio.move_on_after(self.drain_timeout):
                        while self.calls:
                            await anyio.sleep(0.01)
                    tg.cancel_scope.cancel()

                async def from_backend() -> None:
                    await self._pump_backend(backend_read)
                    self.stats.ended_by = self.stats.ended_by or "backend"
                    self.stats.backend_exited = True
                    await self._fail_pending("the backend exited before answering")
                    tg.cancel_scope.cancel()

                tg.start_soon(from_client)
                tg.start_soon(from_backend)
                tg.start_soon(self.limits.watch, self.calls, self)
        finally:
            for request_id in self.calls:  # never answered: the relay stops
                self.calls.close(request_id, Outcome("interrupted"))
            self.garbage.report()  # the lines dropped since the last report
            # The front transport ends when its write side closes: the client then sees a clean EOF.
            with anyio.CancelScope(shield=True):
                await self._client_write.aclose()
        return self.stats

    # ------------------------------------------------------------------ client → backend
    async def _pump_client(self, client_read: Any) -> None:
        async for item in client_read:
            if isinstance(item, Exception):
                await self.to_client(error_reply(None, exception_error(item)))
                continue
            msg = item.message
            if isinstance(msg, types.JSONRPCRequest):
                call = call_of(self.session, msg, item.metadata)
                await self._proceed(call, await self.chain.request(call))
                continue
            if isinstance(msg, types.JSONRPCNotification):
                if msg.method == OVERSIZE_METHOD:
                    err = {"code": INVALID_REQUEST, "message": "mcp-veil: message exceeds the size limit"}
                    await self.to_client(error_reply(None, err))
                    continue
                out = await self.chain.scan(msg, Direction.TO_BACKEND, "notification", msg.method, None)
                if isinstance(out, Exception):
                    continue
                if msg.method == "notifications/cancelled":
                    request_id = cancelled_id(msg.params)
                    if await self.approvals.withdraw(request_id):
                        continue
                    cancelled = self.calls.close(request_id, Outcome("cancelled"))
                    if cancelled is not None and cancelled.on_unanswered is not None:
                        await cancelled.on_unanswered()
            elif is_own(msg.id):
                self.approvals.answered(msg, by_client=True)  # consumed, never forwarded
                continue
            else:  # the client's answer to a backend request
                pending = self._backend_calls.close(msg.id)
                out, _ = await self.chain.answer(msg, Direction.TO_BACKEND, pending)
            await self.to_backend(out, count=True)

    async def _proceed(self, call: Call, verdict: Verdict) -> None:
        """What the chain decided for a client request: forward it, answer it, refuse it, or nothing yet."""
        if verdict.pause:
            return
        if verdict.answer is not None:
            call.ended = Outcome.local(verdict.answer)
            await self.to_client(verdict.answer)
            self.calls.end(call)
        elif verdict.refuse is not None:
            await self.refuse(call, verdict.refuse)
        else:
            self.calls.open(call)
            await self.to_backend(SessionMessage(call.outgoing), count=True)

    async def resume(self, call: Call) -> None:
        await self._proceed(call, await self.chain.request(call, call.position + 1))

    # ------------------------------------------------------------------ backend → client
    async def _pump_backend(self, backend_read: Any) -> None:
        async for item in backend_read:
            if isinstance(item, Exception):
                if isinstance(item, LineTooLong | LineUnparsable) and item.request_id in self.calls:
                    await self._answer_unreadable(item)
                else:
                    self.garbage.add(item)
                continue
            msg, call = item.message, None
            if isinstance(msg, types.JSONRPCRequest | types.JSONRPCNotification):
                kind = "request" if isinstance(msg, types.JSONRPCRequest) else "notification"
                if kind == "notification" and not await self.flood.admit(msg.method):
                    continue  # dropped before any scanning: a flood costs this session next to nothing
                with self.flood.timed(kind):
                    scan = self.chain.scan
                    out = await scan(msg, Direction.TO_CLIENT, kind, msg.method, None, item.metadata)
                if isinstance(out, Exception):
                    if isinstance(msg, types.JSONRPCRequest):
                        await self.to_backend(error_reply(msg.id, to_jsonrpc_error(out)))
                    continue
                if isinstance(msg, types.JSONRPCRequest):
                    self._backend_calls.open(Call(msg.id, msg.method))
                elif msg.method == "notifications/cancelled":
                    self._backend_calls.close(cancelled_id(msg.params))
            elif is_own(msg.id):
                self.approvals.answered(msg, by_client=False)
                continue
            else:
                call = self.calls.get(msg.id)
                if call is None:
                    # Nobody is waiting: it timed out, was cancelled, or never was a request of the client.
                    log.info("backend answered a request that is not in flight; dropped")
                    continue
                self.chain.on_response(call, msg)  # before this very answer is scanned (it ends the timeout)
                out, call.outcome = await self.chain.answer(msg, Direction.TO_CLIENT, call, item.metadata)
                call.ended = Outcome.answered(out, call.outcome)
            self.stats.to_client += 1
            await self.to_client(routed(out, msg, self.calls))
            while self.chain.follow_ups:
                note = types.JSONRPCNotification(jsonrpc="2.0", method=self.chain.follow_ups.pop(0))
                await self.to_client(SessionMessage(note))
            if call is not None:  # only now no longer in flight: a draining relay waits for the delivery too
                self.calls.close(call.id)

    async def _answer_unreadable(self, exc: LineTooLong | LineUnparsable) -> None:
        """The backend's answer to a request in flight was too large to read, or unparsable: the request
        gets the error now, instead of waiting for its call timeout; the message is audited as blocked."""
        call = self.calls.get(exc.request_id)
        if call is not None:
            call.outcome, call.ended = "blocked", Outcome.refused(exc, blocked=True)
            self.calls.close(call.id)
            await self.refuse(call, exc, Direction.TO_CLIENT)

    async def _fail_pending(self, why: str) -> None:
        err = {"code": BACKEND_UNAVAILABLE, "message": f"mcp-veil: {why}"}
        for request_id in self.calls:
            self.calls.close(request_id, Outcome("error", BACKEND_UNAVAILABLE))
            await self.to_client(error_reply(request_id, err))

    # ------------------------------------------------------------------ Pump (for the filters)
    async def refuse(self, call: Call, exc: Exception, direction: Direction = Direction.TO_BACKEND) -> None:
        self.stats.count_blocked()
        call.ended = call.ended or Outcome.refused(exc, blocked=direction is Direction.TO_CLIENT)
        await self.to_client(error_reply(call.id, to_jsonrpc_error(exc)))
        self.end(call)  # a call closed already (timed out, its answer unreadable) is not ended twice
        await self.chain.audit_blocked(direction, call.method, call.tool, exc)

    def end(self, call: Call) -> None:
        self.calls.end(call)

    async def to_client(self, message: SessionMessage) -> None:
        await _send(self._client_write, message)

    async def to_backend(self, message: SessionMessage, *, count: bool = False) -> None:
        if count:
            self.stats.to_backend += 1
        await _send(self._backend_write, message)

    def start_soon(self, func: Callable[..., Any], *args: Any) -> None:
        assert self._tg is not None, "the relay is not running"
        self._tg.start_soon(func, *args)


async def _send(stream: Any, message: SessionMessage) -> None:
    try:
        await stream.send(message)
    except (anyio.ClosedResourceError, anyio.BrokenResourceError):
        log.info("peer closed; message not delivered")
