"""HTTP backends: `backend_http(spec)` connects to a Streamable HTTP server (`streamable_http_client`
with no cap on SSE event size: a 5 MB result passes) or a legacy SSE server. Its headers come from the
operator's configuration only. A backend that cannot be reached answers each request with a JSON-RPC
error at once (the next request tries again); it never hangs the client.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal

import httpx2
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from proxy.errors import (
    BACKEND_UNAVAILABLE,
    BackendUnavailable,
)
from proxy.transports.http.mirrored_headers import HeaderedWriter, MirroredHeaders, observed
from proxy.transports.wire import McpHttpClientFactory, Streams

log = logging.getLogger("proxy.transports.http")

BackendOpener = Callable[[], AbstractAsyncContextManager[Streams]]

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


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
        streamable_http_client(spec.url, http_client=client, max_sse_event_size=None) as (read, write),
    ):
        mirrored = MirroredHeaders()  # 2026-07-28 headers, from the body the backend gets
        yield observed(read, mirrored), HeaderedWriter(write, mirrored)
