"""What one client talks to on the HTTP front: a session (one `StreamableHTTPServerTransport`, with a
bounded store of the events it sent so a lost stream resumes with `Last-Event-ID`), or, for protocol
2026-07-28 requests (self-contained POSTs, no session id), a lane per client credential.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import logging
import math
from dataclasses import dataclass, field
from typing import Any

import anyio
import mcp_types as types
from anyio.streams.memory import MemoryObjectSendStream
from mcp.server.streamable_http import (
    EventCallback,
    EventMessage,
    EventStore,
    StreamableHTTPServerTransport,
)
from mcp.shared.inbound import ERROR_CODE_HTTP_STATUS
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from proxy.errors import (
    BACKEND_UNAVAILABLE,
)
from proxy.relay import _error
from proxy.transports.wire import ServerMessageMetadata, SessionMessage, Streams
from proxy.transports.wire import dump as _dump
from proxy.transports.wire import sse_frame as _sse_frame

log = logging.getLogger("proxy.transports.http")


@dataclass
class _Session:
    sid: str
    transport: StreamableHTTPServerTransport
    scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)
    in_flight: int = 0  # POSTs being answered: a draining server ends the session when this is 0


class SessionEvents(EventStore):
    """Resumability for one session: the messages sent on its SSE streams, kept (already tokenized) so a
    client that lost a stream can resume it with `Last-Event-ID`. Bounded: the oldest events go first once
    `max_events` or `max_bytes` is exceeded; a cursor that has been evicted replays nothing."""

    def __init__(self, max_events: int = 1000, max_bytes: int = 4 * 1024 * 1024) -> None:
        self.max_events = max_events
        self.max_bytes = max_bytes
        self._events: collections.OrderedDict[str, tuple[str, types.JSONRPCMessage | None, int]] = (
            collections.OrderedDict()
        )
        self._bytes = 0
        self._ids = itertools.count(1)

    async def store_event(self, stream_id: str, message: types.JSONRPCMessage | None) -> str:
        event_id = f"{next(self._ids)}"
        size = len(_dump(message)) if message is not None else 0
        self._events[event_id] = (stream_id, message, size)
        self._bytes += size
        while self._events and (len(self._events) > self.max_events or self._bytes > self.max_bytes):
            _, (_, _, dropped) = self._events.popitem(last=False)
            self._bytes -= dropped
        return event_id

    async def replay_events_after(self, last_event_id: str, send_callback: EventCallback) -> str | None:
        if last_event_id not in self._events:
            return None
        stream_id = self._events[last_event_id][0]
        after = False
        for event_id, (sid, message, _) in list(self._events.items()):
            if after and sid == stream_id and message is not None:
                await send_callback(EventMessage(message, event_id))
            after = after or event_id == last_event_id
        return stream_id


class _ModernLane:
    """Requests of the 2026-07-28 era for one credential: each gets a proxy-unique JSON-RPC id on its way
    through the relay (two clients may both send id 1), and its answer, with any notification the relay
    tags as belonging to it, goes back on its own HTTP response: JSON, or SSE once a notification comes
    first. Cancelled after `idle_timeout` seconds with no request in flight."""

    def __init__(self, idle_timeout: float) -> None:
        self.idle_timeout = idle_timeout
        self.scope = anyio.CancelScope()
        self.closed = False
        self._ids = itertools.count(1)
        self._waiting: dict[str, MemoryObjectSendStream[SessionMessage]] = {}
        self._to_relay, relay_read = anyio.create_memory_object_stream[SessionMessage | Exception](16)
        relay_write, self._from_relay = anyio.create_memory_object_stream[SessionMessage](16)
        self.client_streams: Streams = (relay_read, relay_write)

    async def dispatch(self) -> None:
        async for item in self._from_relay:
            msg = item.message
            target: Any = None
            if isinstance(msg, types.JSONRPCResponse | types.JSONRPCError):
                target = msg.id
            elif isinstance(item.metadata, ServerMessageMetadata):
                target = item.metadata.related_request_id
            inbox = self._waiting.get(str(target)) if target is not None else None
            if inbox is None:
                log.debug("modern-era message with no request to carry it; dropped")
                continue
            with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                await inbox.send(item)

    async def serve(self, request: types.JSONRPCRequest, scope: Scope, receive: Receive, send: Send) -> None:
        internal = f"veil-{next(self._ids)}"
        inbox, answers = anyio.create_memory_object_stream[SessionMessage](32)
        self._waiting[internal] = inbox
        self.scope.deadline = math.inf
        try:
            async with inbox, answers:
                try:
                    await self._to_relay.send(SessionMessage(request.model_copy(update={"id": internal})))
                    first = await answers.receive()
                except (anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError):
                    err = {"code": BACKEND_UNAVAILABLE, "message": "mcp-veil: the session ended"}
                    first = _error(internal, err)
                if _is_answer(first):
                    await _write_json(_with_id(first, request.id), scope, receive, send)
                    return
                await send({"type": "http.response.start", "status": 200, "headers": _SSE_HEADERS})
                item = first
                while True:
                    done = _is_answer(item)
                    out = _with_id(item, request.id) if done else item.message
                    await send({"type": "http.response.body", "body": _sse_frame(out), "more_body": not done})
                    if done:
                        return
                    try:
                        item = await answers.receive()
                    except anyio.EndOfStream:
                        err = {"code": BACKEND_UNAVAILABLE, "message": "mcp-veil: the session ended"}
                        item = _error(internal, err)
        finally:
            self._waiting.pop(internal, None)
            if not self._waiting:
                self.scope.deadline = anyio.current_time() + self.idle_timeout

    @property
    def idle(self) -> bool:
        return not self._waiting

    def close(self) -> None:
        self.closed = True
        self._to_relay.close()
        for inbox in self._waiting.values():
            inbox.close()


_SSE_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache, no-transform"),
    (b"x-accel-buffering", b"no"),
]


def _is_answer(item: SessionMessage) -> bool:
    return isinstance(item.message, types.JSONRPCResponse | types.JSONRPCError)


def _with_id(item: SessionMessage, request_id: Any) -> types.JSONRPCMessage:
    return item.message.model_copy(update={"id": request_id})


async def _write_json(msg: types.JSONRPCMessage, scope: Scope, receive: Receive, send: Send) -> None:
    status = 200
    if isinstance(msg, types.JSONRPCError):
        status = ERROR_CODE_HTTP_STATUS.get(msg.error.code, 200)
    await Response(_dump(msg), status_code=status, media_type="application/json")(scope, receive, send)
