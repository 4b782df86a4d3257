"""`veil serve` in-process over real HTTP on 127.0.0.1 (ephemeral ports), and small real HTTP backends."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
import uvicorn
from mcp.client._memory import InMemoryTransport
from mcp.server.mcpserver import MCPServer

from proxy.config import Settings
from proxy.server import FrontPolicy, VeilApp, bind, build_app, serving
from proxy.transports.http import HttpBackend, HttpSessions
from proxy.wiring import Assembly


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def engine(veil_home: Path) -> Iterator[Assembly]:
    eng = Assembly.load(Settings.resolve())
    yield eng
    eng.vault.close()


@dataclass
class Served:
    url: str
    app: VeilApp
    port: int

    @property
    def sessions(self) -> HttpSessions:
        return self.app.sessions


Serve = Callable[..., AbstractAsyncContextManager[Served]]


@pytest.fixture
def serve(engine: Assembly) -> Serve:
    """`async with serve(backend=..., **front) as served`: `veil serve` on an ephemeral loopback port.

    `backend` is an in-process MCPServer (one in-memory connection per client session), a command list
    (a subprocess per session) or an `HttpBackend`."""

    @asynccontextmanager
    async def start(
        backend: MCPServer | list[str] | HttpBackend,
        *,
        max_sessions: int = 100,
        idle_timeout: float = 60.0,
        **front: Any,
    ) -> AsyncIterator[Served]:
        sock = bind("127.0.0.1", 0)
        port = sock.getsockname()[1]
        policy = FrontPolicy.for_listen("127.0.0.1", port, **front)
        limits = {"max_sessions": max_sessions, "idle_timeout": idle_timeout}
        if isinstance(backend, MCPServer):
            server = backend
            app = build_app(
                engine,
                policy,
                command=["in-memory"],
                open_backend=lambda: InMemoryTransport(server),
                **limits,
            )
        elif isinstance(backend, HttpBackend):
            app = build_app(engine, policy, http=backend, **limits)
        else:
            app = build_app(engine, policy, command=backend, **limits)
        async with serving(app, [sock]):
            yield Served(f"http://127.0.0.1:{port}{policy.path}", app, port)

    return start


@asynccontextmanager
async def http_mcp_server(
    server: MCPServer,
    *,
    sse: bool = False,
    port: int = 0,
    headers_seen: list[dict[str, str]] | None = None,
) -> AsyncIterator[str]:
    """Run an MCPServer over Streamable HTTP (or legacy SSE) on a loopback port (ephemeral by default);
    yields its URL. With `headers_seen`, every request's headers are recorded there."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(64)
    sock.setblocking(False)
    port = sock.getsockname()[1]
    inner = server.sse_app() if sse else server.streamable_http_app()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and headers_seen is not None:
            headers_seen.append({k.decode().lower(): v.decode() for k, v in scope["headers"]})
        await inner(scope, receive, send)

    config = uvicorn.Config(
        app, lifespan="on", log_config=None, access_log=False, timeout_graceful_shutdown=1
    )
    srv = uvicorn.Server(config)

    async with anyio.create_task_group() as tg:
        tg.start_soon(srv._serve, [sock])
        while not srv.started:
            await anyio.sleep(0.01)
        try:
            yield f"http://127.0.0.1:{port}" + ("/sse" if sse else "/mcp")
        finally:
            srv.should_exit = True
