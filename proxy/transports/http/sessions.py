"""The HTTP front's session map: `Mcp-Session-Id` → one session (transport, vault session, backend
connection) pumped by the relay, and one lane per credential for protocol 2026-07-28 requests.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio
import mcp_types as types
from anyio.abc import TaskGroup, TaskStatus
from mcp.server.streamable_http import (
    MCP_SESSION_ID_HEADER,
    StreamableHTTPServerTransport,
)
from mcp.shared.inbound import MCP_PROTOCOL_VERSION_HEADER
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from proxy.errors import (
    INVALID_REQUEST,
    PARSE_ERROR,
    BackendUnavailable,
    to_jsonrpc_error,
)
from proxy.relay import Relay
from proxy.session import ProxySession
from proxy.transports.http.asgi import (
    _buffer_body,
    _is_initialize,
    _only,
    _serve_reporting_status,
    json_error,
    new_session_id,
)
from proxy.transports.http.backend import BackendOpener
from proxy.transports.http.lanes import SessionEvents, _ModernLane, _Session
from proxy.transports.no_backend import answer_without_backend
from proxy.transports.wire import Streams

log = logging.getLogger("proxy.transports.http")

SessionOpener = Callable[[str], Awaitable[ProxySession]]


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
