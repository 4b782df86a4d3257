"""HTTP on both sides: a Streamable HTTP front with its own session map, and HTTP backends.

Front. The SDK's `StreamableHTTPSessionManager` drives a low-level `Server`; a proxy has none, so this
module keeps its own map of `Mcp-Session-Id` → one `StreamableHTTPServerTransport`, one vault session and
one backend connection, pumped by the relay. Session ids are 128-bit random hex. A session ends on the
client's DELETE, after `idle_timeout` seconds with no request in flight, or when its backend goes away;
its backend (a subprocess, an HTTP session) is closed with it. Requests without a session id must be an
`initialize` (400 otherwise); an unknown or ended session id is 404, as the spec says. Each session keeps
a bounded store of the events it sent, so a client that lost a stream resumes it with `Last-Event-ID`.
Protocol 2026-07-28 requests (self-contained POSTs, no session id) are served by a lane per client
credential: one vault session and backend connection, with proxy-unique request ids.

Back. `backend_http(spec)` connects to a Streamable HTTP server (`streamable_http_client` with no cap on
SSE event size: a 5 MB result passes) or a legacy SSE server. Its headers come from the operator's
configuration only. A backend that cannot be reached answers each request with a JSON-RPC error at once
(the next request tries again); it never hangs the client.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import logging
import math
import os
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio
import httpx2
import mcp_types as types
from anyio.abc import TaskGroup, TaskStatus
from anyio.streams.memory import MemoryObjectSendStream
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.streamable_http import (
    MCP_SESSION_ID_HEADER,
    EventCallback,
    EventMessage,
    EventStore,
    StreamableHTTPServerTransport,
)
from mcp.shared._httpx_utils import McpHttpClientFactory
from mcp.shared.inbound import ERROR_CODE_HTTP_STATUS, MCP_PROTOCOL_VERSION_HEADER
from mcp.shared.message import ServerMessageMetadata, SessionMessage
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from proxy.errors import (
    BACKEND_UNAVAILABLE,
    INVALID_REQUEST,
    PARSE_ERROR,
    BackendUnavailable,
    to_jsonrpc_error,
)
from proxy.relay import Relay, Streams, _error
from proxy.session import ProxySession

log = logging.getLogger(__name__)

BackendOpener = Callable[[], AbstractAsyncContextManager[Streams]]
SessionOpener = Callable[[str], Awaitable[ProxySession]]

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


# ============================================================================ back: HTTP backends


@dataclass(frozen=True)
class HttpBackend:
    """Where and how to reach an HTTP backend. `headers` are the operator's (API keys): never the client's."""

    url: str
    transport: Literal["streamable-http", "sse"] = "streamable-http"
    headers: Mapping[str, str] = field(default_factory=dict)
    connect_timeout: float = 10.0
    read_timeout: float = 300.0

    @property
    def label(self) -> str:
        """A value-free name for audit rows and logs: scheme, host and port, never a query or userinfo."""
        url = httpx2.URL(self.url)
        port = f":{url.port}" if url.port else ""
        return f"{url.scheme}://{url.host}{port}"


def guess_transport(url: str) -> Literal["streamable-http", "sse"]:
    """`…/sse` is the legacy SSE endpoint by convention; anything else is Streamable HTTP."""
    return "sse" if httpx2.URL(url).path.rstrip("/").endswith("/sse") else "streamable-http"


def parse_header(text: str, env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """`Name: value`, with `${VAR}` replaced from the environment, so a secret stays out of argv and
    config files: `--header 'Authorization: Bearer ${ADS_MCP_TOKEN}'`."""
    env = os.environ if env is None else env
    name, sep, value = text.partition(":")
    name = name.strip()
    if not sep or not name or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
        raise ValueError("a backend header is written 'Name: value'")

    def expand(m: re.Match[str]) -> str:
        if m.group(1) not in env:
            raise ValueError(f"backend header {name}: environment variable ${m.group(1)} is not set")
        return env[m.group(1)]

    return name, _ENV_REF.sub(expand, value.strip())


class _UnreachableAsError(httpx2.AsyncBaseTransport):
    """A connection failure becomes an HTTP 502 whose body is a JSON-RPC error: the SDK's client then
    answers the request that failed with that error (instead of ending the whole connection), and the
    next request simply tries again."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, label: str) -> None:
        self._inner = inner
        self._label = label

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            return await self._inner.handle_async_request(request)
        except httpx2.TransportError as exc:
            log.warning("backend unreachable", extra={"backend": self._label, "error": type(exc).__name__})
            body = {
                "jsonrpc": "2.0",
                "id": None,
                "error": {
                    "code": BACKEND_UNAVAILABLE,
                    "message": "mcp-veil: the backend is unreachable; try again later",
                },
            }
            return httpx2.Response(502, json=body, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _client_factory(spec: HttpBackend) -> McpHttpClientFactory:
    def make(
        headers: dict[str, str] | None = None,
        timeout: httpx2.Timeout | None = None,
        auth: httpx2.Auth | None = None,
    ) -> httpx2.AsyncClient:
        return _http_client(spec)

    return make


def _http_client(spec: HttpBackend) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        headers=dict(spec.headers),
        timeout=httpx2.Timeout(spec.connect_timeout, read=spec.read_timeout),
        transport=_UnreachableAsError(httpx2.AsyncHTTPTransport(), spec.label),
        trust_env=False,
    )


@asynccontextmanager
async def backend_http(spec: HttpBackend) -> AsyncIterator[Streams]:
    """Streams to an HTTP backend. Streamable HTTP connects lazily (per request); legacy SSE opens its
    event stream here and raises `BackendUnavailable` if it cannot."""
    if spec.transport == "sse":
        try:
            cm = sse_client(
                spec.url,
                headers=dict(spec.headers),
                timeout=spec.connect_timeout,
                sse_read_timeout=spec.read_timeout,
                httpx_client_factory=_client_factory(spec),
            )
            streams = await cm.__aenter__()
        except Exception as exc:
            log.warning("backend unreachable", extra={"backend": spec.label, "error": type(exc).__name__})
            raise BackendUnavailable("mcp-veil: the backend is unreachable; try again later") from exc
        try:
            yield streams
        except BaseException as exc:
            if not await cm.__aexit__(type(exc), exc, exc.__traceback__):
                raise
        else:
            await cm.__aexit__(None, None, None)
        return
    async with (
        _http_client(spec) as client,
        streamable_http_client(spec.url, http_client=client, max_sse_event_size=None) as streams,
    ):
        yield streams


# ============================================================================ front: Streamable HTTP


def new_session_id() -> str:
    """128 bits from the OS CSPRNG, as 32 hex characters (visible ASCII, as the spec requires)."""
    return secrets.token_hex(16)


def json_error(status: int, code: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    body = {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}
    return Response(json.dumps(body), status_code=status, media_type="application/json", headers=headers)


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


def _dump(msg: types.JSONRPCMessage) -> str:
    return msg.model_dump_json(by_alias=True, exclude_unset=True)


def _sse_frame(msg: types.JSONRPCMessage) -> bytes:
    return f"event: message\r\ndata: {_dump(msg)}\r\n\r\n".encode()


async def _write_json(msg: types.JSONRPCMessage, scope: Scope, receive: Receive, send: Send) -> None:
    status = 200
    if isinstance(msg, types.JSONRPCError):
        status = ERROR_CODE_HTTP_STATUS.get(msg.error.code, 200)
    await Response(_dump(msg), status_code=status, media_type="application/json")(scope, receive, send)


class HttpSessions:
    """The front's session map: `await handle(scope, receive, send)` for every HTTP request on the MCP
    endpoint (after the app's Host/Origin/auth/body checks), inside `async with sessions.running():`."""

    def __init__(
        self,
        open_session: SessionOpener,
        open_backend: BackendOpener,
        *,
        max_sessions: int = 100,
        idle_timeout: float = 30 * 60,
    ) -> None:
        if max_sessions <= 0:
            raise ValueError("max_sessions must be positive")
        if idle_timeout <= 0:
            raise ValueError("idle_timeout must be positive")
        self._open_session = open_session
        self._open_backend = open_backend
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self._sessions: dict[str, _Session] = {}
        self._lanes: dict[str, _ModernLane] = {}
        self._lock = anyio.Lock()
        self._tg: TaskGroup | None = None
        self.draining = False  # set (from a signal handler) when the server stops: see _drain

    @property
    def open_count(self) -> int:
        return len(self._sessions) + len(self._lanes)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[HttpSessions]:
        async with anyio.create_task_group() as tg:
            self._tg = tg
            tg.start_soon(self._drain)
            try:
                yield self
            finally:
                tg.cancel_scope.cancel()
                for session in list(self._sessions.values()):
                    session.scope.cancel()
                for lane in list(self._lanes.values()):
                    lane.scope.cancel()
                self._tg = None

    async def _drain(self, poll: float = 0.05) -> None:
        """Once `draining` is set: end every session with no request in flight (its GET stream closes, so
        the server's shutdown need not wait for it); the others end as their last answer is sent. The
        flag is polled: a signal handler may set it, and it must not touch the event loop."""
        while not self.draining:
            await anyio.sleep(0.2)
        log.info("draining: no new sessions", extra={"open_sessions": self.open_count})
        while True:
            for session in list(self._sessions.values()):
                if session.in_flight == 0:
                    self._end(session)
            for principal, lane in list(self._lanes.items()):
                if lane.idle:
                    lane.scope.cancel()
                    self._lanes.pop(principal, None)
            await anyio.sleep(poll)

    def _end(self, session: _Session) -> None:
        """End a session from outside its task: terminating the transport first lets its open GET stream
        finish as a complete response; _run_session then closes the backend and the vault session."""
        self._forget(session)
        if self._tg is None:
            session.scope.cancel()
            return

        async def terminate() -> None:
            with anyio.move_on_after(1):
                await session.transport.terminate()
            session.scope.cancel()

        self._tg.start_soon(terminate)

    # ---------------------------------------------------------------- requests
    async def handle(
        self, scope: Scope, receive: Receive, send: Send, *, actor: str, principal: str = "anonymous"
    ) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        sid = headers.get(MCP_SESSION_ID_HEADER)
        version = headers.get(MCP_PROTOCOL_VERSION_HEADER)
        if sid is None and version is not None and version not in HANDSHAKE_PROTOCOL_VERSIONS:
            await self._modern(scope, receive, send, actor=actor, principal=principal)
            return
        if sid is not None:
            session = self._sessions.get(sid)
            if session is None:
                await json_error(404, INVALID_REQUEST, "Not Found: unknown or expired session")(
                    scope, receive, send
                )
                return
            posting = scope["method"] == "POST"
            session.in_flight += posting
            try:
                await session.transport.handle_request(scope, receive, send)
            finally:
                session.in_flight -= posting
            if self.draining and session.in_flight == 0 and self._sessions.get(sid) is session:
                self._end(session)
            elif session.transport.is_terminated:
                self._forget(session)
                session.scope.cancel()
            return
        if scope["method"] != "POST":
            await json_error(400, INVALID_REQUEST, "Bad Request: missing Mcp-Session-Id header")(
                scope, receive, send
            )
            return
        body, receive = await _buffer_body(receive)
        opening = _is_initialize(body)
        if opening is None:
            await json_error(400, PARSE_ERROR, "Parse error: the body is not a JSON-RPC message")(
                scope, receive, send
            )
            return
        if not opening:
            await json_error(400, INVALID_REQUEST, "Bad Request: missing Mcp-Session-Id header")(
                scope, receive, send
            )
            return
        await self._open(scope, receive, send, actor=actor)

    async def _open(self, scope: Scope, receive: Receive, send: Send, *, actor: str) -> None:
        if self.draining:
            await json_error(503, INVALID_REQUEST, "Service Unavailable: the server is shutting down")(
                scope, receive, send
            )
            return
        async with self._lock:
            if len(self._sessions) + len(self._lanes) >= self.max_sessions:
                session = None
            else:
                sid = new_session_id()
                transport = StreamableHTTPServerTransport(
                    sid, event_store=SessionEvents(), idle_timeout=self.idle_timeout
                )
                session = _Session(sid, transport)
                self._sessions[sid] = session
        if session is None:
            log.warning("session limit reached", extra={"max_sessions": self.max_sessions})
            await json_error(503, INVALID_REQUEST, "Service Unavailable: too many open sessions")(
                scope, receive, send
            )
            return
        assert self._tg is not None, "HttpSessions.handle() outside running()"
        await self._tg.start(self._run_session, session, actor)
        status = await _serve_reporting_status(session.transport.handle_request, scope, receive, send)
        if status is None or status >= 400:
            self._forget(session)
            session.scope.cancel()

    def _forget(self, session: _Session) -> None:
        if self._sessions.get(session.sid) is session:
            del self._sessions[session.sid]

    # ---------------------------------------------------------------- protocol 2026-07-28
    async def _modern(
        self, scope: Scope, receive: Receive, send: Send, *, actor: str, principal: str
    ) -> None:
        """A 2026-07-28 request: a self-contained POST with no session id. The transport has no session, so
        these requests share one lane (vault session + backend connection) per client credential."""
        if scope["method"] != "POST":
            await Response(status_code=405, headers={"Allow": "POST"})(scope, receive, send)
            return
        body, receive = await _buffer_body(receive)
        try:
            decoded = json.loads(body)
        except (ValueError, RecursionError):
            await json_error(400, PARSE_ERROR, "Parse error")(scope, receive, send)
            return
        if isinstance(decoded, dict) and "id" not in decoded:
            await Response(status_code=202)(scope, receive, send)  # no client notifications at 2026-07-28
            return
        try:
            request = types.JSONRPCRequest.model_validate(decoded)
        except ValidationError:
            await json_error(400, INVALID_REQUEST, "Body must be a single JSON-RPC request")(
                scope, receive, send
            )
            return
        lane = None if self.draining else await self._modern_lane(principal, actor)
        if lane is None:
            await json_error(503, INVALID_REQUEST, "Service Unavailable: too many open sessions")(
                scope, receive, send
            )
            return
        await lane.serve(request, scope, receive, send)

    async def _modern_lane(self, principal: str, actor: str) -> _ModernLane | None:
        async with self._lock:
            lane = self._lanes.get(principal)
            if lane is not None and not lane.closed:
                return lane
            if len(self._sessions) + len(self._lanes) >= self.max_sessions:
                return None
            lane = _ModernLane(self.idle_timeout)
            self._lanes[principal] = lane
        assert self._tg is not None, "HttpSessions.handle() outside running()"
        await self._tg.start(self._run_lane, principal, lane, actor)
        return lane

    async def _run_lane(
        self, principal: str, lane: _ModernLane, actor: str, *, task_status: TaskStatus[None]
    ) -> None:
        proxy_session: ProxySession | None = None
        try:
            with lane.scope:
                task_status.started()
                async with anyio.create_task_group() as tg:
                    tg.start_soon(lane.dispatch)
                    try:
                        proxy_session = await self._start(actor, lane.client_streams)
                        if proxy_session is not None:
                            await self._relay(proxy_session, lane.client_streams)
                    finally:
                        tg.cancel_scope.cancel()
        except Exception as exc:
            log.error("modern-era lane failed", extra={"error": type(exc).__name__})
        finally:
            lane.close()
            if self._lanes.get(principal) is lane:
                del self._lanes[principal]
            if proxy_session is not None:
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(proxy_session.close)

    # ---------------------------------------------------------------- one session's life
    async def _run_session(self, session: _Session, actor: str, *, task_status: TaskStatus[None]) -> None:
        proxy_session: ProxySession | None = None
        try:
            with session.scope:
                async with session.transport.connect() as client:
                    task_status.started()
                    idle = session.transport.idle_scope
                    assert idle is not None
                    with idle:
                        proxy_session = await self._start(actor, client)
                        if proxy_session is not None:
                            await self._relay(proxy_session, client)
                    if idle.cancelled_caught:
                        log.info("session idle; closed", extra={"idle_timeout": self.idle_timeout})
        except Exception as exc:
            if session.transport.is_terminated and _only(exc, anyio.ClosedResourceError):
                log.info("session terminated")  # DELETE or drain closed its streams under the relay
            else:
                log.error("session failed", extra={"error": type(exc).__name__})
        finally:
            self._forget(session)
            with anyio.CancelScope(shield=True):
                if not session.transport.is_terminated:
                    await session.transport.terminate()
                if proxy_session is not None:
                    await anyio.to_thread.run_sync(proxy_session.close)

    async def _start(self, actor: str, client: Streams) -> ProxySession | None:
        """The session's vault session; if it cannot be opened (the vault is down, or locked), the client's
        requests get the JSON-RPC error at once, and the session ends (fail closed, never a hang)."""
        try:
            return await self._open_session(actor)
        except Exception as exc:
            log.error("vault session could not be opened", extra={"error": type(exc).__name__})
            error = to_jsonrpc_error(exc)
            await answer_without_backend(client, error["message"], first_only=False, code=error["code"])
            return None

    async def _relay(self, proxy_session: ProxySession, client: Streams) -> None:
        try:
            async with self._open_backend() as backend:
                await Relay(proxy_session).run(client, backend)
        except (OSError, BackendUnavailable) as exc:
            # Nothing to relay to: answer what the client sent, then end the session (the client's next
            # initialize opens a new one and tries the backend again).
            why = (
                exc.message
                if isinstance(exc, BackendUnavailable)
                else "mcp-veil: the backend could not be started"
            )
            log.error("backend could not be opened", extra={"error": type(exc).__name__})
            await answer_without_backend(client, why, first_only=False)


async def answer_without_backend(
    client: Streams, why: str, grace: float = 5.0, *, first_only: bool = True, code: int = BACKEND_UNAVAILABLE
) -> None:
    """Give every request a JSON-RPC error instead of silence, for up to `grace` seconds, until the client
    closes its end or (with `first_only`) the first request was answered. An HTTP session keeps answering
    for the grace period: its transport must still deliver the answer when this returns."""
    read, write = client
    with anyio.move_on_after(grace):
        async for item in read:
            msg = getattr(item, "message", None)
            if isinstance(msg, types.JSONRPCRequest):
                await write.send(_error(msg.id, {"code": code, "message": why}))
                if first_only:
                    break


def _only(exc: BaseException, kind: type[BaseException]) -> bool:
    """True if `exc` is a `kind`, or a group holding nothing else."""
    if isinstance(exc, BaseExceptionGroup):
        return all(_only(e, kind) for e in exc.exceptions)
    return isinstance(exc, kind)


async def _buffer_body(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body (the app already capped its size) and a `receive` that replays it."""
    chunks: list[bytes] = []
    trailing: list[Message] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            trailing.append(message)
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replay: list[Message] = [{"type": "http.request", "body": body, "more_body": False}, *trailing]

    async def again() -> Message:
        if replay:
            return replay.pop(0)
        return await receive()

    return body, again


def _is_initialize(body: bytes) -> bool | None:
    """True for an `initialize` request, False for another JSON-RPC message, None if not JSON."""
    try:
        decoded = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return isinstance(decoded, dict) and decoded.get("method") == "initialize" and "id" in decoded


async def _serve_reporting_status(
    app: Callable[[Scope, Receive, Send], Awaitable[None]], scope: Scope, receive: Receive, send: Send
) -> int | None:
    status: int | None = None

    async def watch(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        await send(message)

    await app(scope, receive, watch)
    return status


__all__ = [
    "BackendOpener",
    "HttpBackend",
    "HttpSessions",
    "answer_without_backend",
    "backend_http",
    "guess_transport",
    "new_session_id",
    "parse_header",
]
