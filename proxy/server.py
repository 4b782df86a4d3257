"""`veil serve`: the ASGI app in front of the session map, and the uvicorn server that runs it.

Every request passes, in order: the endpoint path (404), the Host header against the allowed hosts and
the Origin header, when present, against the allowed origins (403: DNS-rebinding protection), the bearer
token when one is configured (401, compared in constant time), the body size limit (413). The client's
credentials (Authorization, Cookie, Proxy-Authorization) are then removed from the request: nothing a
client sends beyond JSON-RPC can reach a backend, whose own headers come from the operator's config.

The probes `/healthz` and `/readyz` (GET) pass the Host and Origin checks like everything else (a
rebinding page cannot read them either) but need no bearer token: a load balancer probes them without
client credentials, and they answer only up/ready and check names. On SIGTERM the server drains: `/readyz`
turns 503, new sessions get 503, sessions with no request in flight end at once, the others when their
last request is answered; after `drain_timeout` seconds what is left is cancelled. Every ended session
closes its backend and records `session-closed`.
"""

from __future__ import annotations

import hmac
import logging
import math
import signal
import socket
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import FrameType

import anyio
import uvicorn
from mcp.server.transport_security import RequestBodyLimitMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from proxy import metrics
from proxy.backend_config import BackendsConfig
from proxy.errors import INVALID_REQUEST
from proxy.health import PROBE_PATHS, Check, Readiness, command_check, http_check
from proxy.session import ProxySession
from proxy.transports.http import BackendOpener, HttpBackend, HttpSessions, json_error
from proxy.wiring import OPENING, Assembly, backend_opener, multiplexed_backends, mux_label

log = logging.getLogger(__name__)
METRICS_PATH = "/metrics"

DEFAULT_MAX_BODY = 4 * 1024 * 1024
_CREDENTIAL_HEADERS = {b"authorization", b"cookie", b"proxy-authorization"}
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class FrontPolicy:
    """What the front accepts. Hosts are `host:port` values of the Host header; origins full origins."""

    allowed_hosts: frozenset[str]
    allowed_origins: frozenset[str]
    path: str = "/mcp"
    max_body: int = DEFAULT_MAX_BODY
    auth_token: bytes | None = field(default=None, repr=False)

    @classmethod
    def for_listen(
        cls,
        host: str,
        port: int,
        *,
        extra_hosts: Iterable[str] = (),
        extra_origins: Iterable[str] = (),
        path: str = "/mcp",
        max_body: int = DEFAULT_MAX_BODY,
        auth_token: bytes | None = None,
    ) -> FrontPolicy:
        """The listening address (and, on loopback, every loopback spelling) plus what the operator adds."""
        names = {f"[{host}]" if ":" in host else host}
        if host in ("127.0.0.1", "localhost", "::1"):
            names.update(_LOOPBACK)
        hosts = {f"{n}:{port}" for n in names} | set(extra_hosts)
        origins = {f"{scheme}://{h}" for h in hosts for scheme in ("http", "https")} | set(extra_origins)
        return cls(frozenset(hosts), frozenset(origins), path, max_body, auth_token)


class VeilApp:
    """The ASGI application: checks, then the session map."""

    def __init__(
        self, sessions: HttpSessions, policy: FrontPolicy, readiness: Readiness | None = None
    ) -> None:
        self.sessions = sessions
        self.policy = policy
        self.readiness = readiness or Readiness({})
        self._guarded = RequestBodyLimitMiddleware(self._mcp, policy.max_body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        metrics_path = scope["path"] == METRICS_PATH
        probe = scope["path"] in PROBE_PATHS
        if scope["path"].rstrip("/") != self.policy.path.rstrip("/") and not (metrics_path or probe):
            await json_error(404, INVALID_REQUEST, "Not Found")(scope, receive, send)
            return
        headers = {k.lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get(b"host") not in self.policy.allowed_hosts:
            log.warning("request refused: Host not allowed")
            await json_error(403, INVALID_REQUEST, "Forbidden: Host not allowed")(scope, receive, send)
            return
        origin = headers.get(b"origin")
        if origin is not None and origin not in self.policy.allowed_origins:
            log.warning("request refused: Origin not allowed")
            await json_error(403, INVALID_REQUEST, "Forbidden: Origin not allowed")(scope, receive, send)
            return
        if probe:  # no bearer token: load balancers probe without client credentials (module docstring)
            if scope["method"] not in ("GET", "HEAD"):
                await Response(status_code=405, headers={"Allow": "GET, HEAD"})(scope, receive, send)
                return
            await (await self.readiness.respond(scope["path"]))(scope, receive, send)
            return
        if self.policy.auth_token is not None and not _bearer_ok(
            headers.get(b"authorization"), self.policy.auth_token
        ):
            log.warning("request refused: missing or wrong bearer token")
            await json_error(
                401, INVALID_REQUEST, "Unauthorized", headers={"WWW-Authenticate": 'Bearer realm="veil"'}
            )(scope, receive, send)
            return
        if metrics_path:  # behind the same Host, Origin and bearer checks as the MCP endpoint
            body = generate_latest(metrics.REGISTRY)
            await Response(body, media_type=CONTENT_TYPE_LATEST)(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() not in _CREDENTIAL_HEADERS]
        await self._guarded(scope, receive, send)

    async def _mcp(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        actor = f"http:{client[0]}" if client else "http:unknown"
        # 2026-07-28 requests carry no session id: they are scoped to the credential that was checked.
        principal = "bearer" if self.policy.auth_token is not None else "anonymous"
        await self.sessions.handle(scope, receive, send, actor=actor, principal=principal)

    def begin_drain(self) -> None:
        """Stop taking sessions (SIGTERM). Only sets flags: it may run inside a signal handler."""
        self.readiness.draining = True
        self.sessions.draining = True

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        if message["type"] != "lifespan.startup":
            return
        async with self.sessions.running():
            await send({"type": "lifespan.startup.complete"})
            while (await receive())["type"] != "lifespan.shutdown":
                pass
        await send({"type": "lifespan.shutdown.complete"})


def _bearer_ok(value: str | None, token: bytes) -> bool:
    if value is None:
        return False
    scheme, _, presented = value.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(presented.strip().encode("utf-8", "replace"), token)


def read_token_file(path: str) -> bytes:
    """The bearer token clients must present: the file's content, surrounding whitespace removed."""
    with open(path, "rb") as f:
        token = f.read().strip()
    if not token:
        raise ValueError(f"the auth token file {path} is empty")
    return token


def parse_listen(text: str) -> tuple[str, int]:
    """`HOST:PORT` (`[::1]:PORT` for IPv6)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError("--listen takes HOST:PORT, e.g. 127.0.0.1:8765")
    host = host.strip("[]")
    return host, int(port)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: an ephemeral one; read it back from `getsockname()`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


@asynccontextmanager
async def serving(app: VeilApp, sockets: Sequence[socket.socket]) -> AsyncIterator[uvicorn.Server]:
    """Run uvicorn on `sockets` in the background for the block's duration."""
    server = _EmbeddedServer(_config(app, graceful=2))
    ended = anyio.Event()

    async def run() -> None:
        try:
            await server._serve(list(sockets))  # no signal handlers: the embedding process owns them
        finally:
            ended.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(run)
        while not server.started:
            if ended.is_set():
                raise OSError("the HTTP server did not start")
            await anyio.sleep(0.01)
        try:
            yield server
        finally:
            server.should_exit = True


DEFAULT_DRAIN_TIMEOUT = 10.0


async def serve_forever(
    app: VeilApp, sockets: Sequence[socket.socket], *, drain_timeout: float = DEFAULT_DRAIN_TIMEOUT
) -> None:
    """Until SIGINT/SIGTERM: then drain (module docstring), end the sessions and their backends."""
    await _DrainingServer(app, _config(app, graceful=drain_timeout)).serve(list(sockets))


class _DrainingServer(uvicorn.Server):
    """uvicorn, telling the app to drain as soon as a signal arrives (uvicorn itself stops accepting)."""

    def __init__(self, app: VeilApp, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._app.begin_drain()
        super().handle_exit(sig, frame)
        # uvicorn would re-raise the signal after shutting down (the process then dies "by SIGTERM");
        # a completed drain is a clean stop, so `veil serve` exits 0 (130 on a second Ctrl-C, as before).
        if sig == signal.SIGTERM:
            self._captured_signals.clear()


def _config(app: VeilApp, *, graceful: float) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        lifespan="on",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=math.ceil(graceful),
    )


class _EmbeddedServer(uvicorn.Server):
    pass


def build_app(
    engine: Assembly,
    front: FrontPolicy,
    *,
    command: Sequence[str] = (),
    http: HttpBackend | None = None,
    max_sessions: int = 100,
    idle_timeout: float = 30 * 60,
    open_backend: BackendOpener | None = None,
    backends: BackendsConfig | None = None,
) -> VeilApp:
    """One vault session and one backend connection (a subprocess of `command`, or an HTTP session
    with `http`, or the backends of a `veil.toml` as one, or what `open_backend` opens) per client
    session."""
    checks = {"vault": engine.vault.ping, "policies": _policies_loaded(engine)}
    if backends is not None:
        label = mux_label(backends)
        config = backends
        engine.backend_policies(config)  # a bad policy file fails at start, not per session
        if open_backend is None:
            checks.update(_backend_checks(config))
        open_backend = open_backend or (lambda: multiplexed_backends(engine, config))
    else:
        label, _ = backend_opener(command, http)
        if open_backend is None:
            checks["backend"] = http_check(http.url) if http is not None else command_check(command)

    async def open_session(actor: str) -> ProxySession:
        session = await anyio.to_thread.run_sync(lambda: engine.open_session(backend=label, actor=actor))
        OPENING.set(session)  # read by the multiplexing opener, later in this same task
        return session

    sessions = HttpSessions(
        open_session,
        open_backend or (lambda: backend_opener(command, http, engine.policy.sandbox)[1]),
        max_sessions=max_sessions,
        idle_timeout=idle_timeout,
    )
    return VeilApp(sessions, front, Readiness(checks))


def _backend_checks(config: BackendsConfig) -> dict[str, Check]:
    """One readiness check per backend of a `veil.toml`, named `backend:NAME`."""
    return {
        f"backend:{b.name}": http_check(b.url) if b.url is not None else command_check(b.command)
        for b in config.backends
    }


def _policies_loaded(engine: Assembly) -> Callable[[], None]:
    def check() -> None:
        if not engine.policy.sources:
            raise RuntimeError("no policy loaded")

    return check
