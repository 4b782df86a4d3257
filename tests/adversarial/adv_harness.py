"""Shared pieces of the adversarial suite: sizes (CI slice or soak), the tally the soak summary reads, the
canaries every test hides, a raw relay harness and a scan for plaintext in the files a run wrote.

Sizes: every test has a CI size and a soak size; `VEIL_SOAK=1` (set by `make soak`) picks the soak one,
and `VEIL_FUZZ_EXAMPLES` / `VEIL_CANARY_CASES` override either.

Tally: with `VEIL_SOAK_STATS=FILE`, each test appends `{"kind": n}` lines (examples, canaries, attacks,
faults, leaks, losses) that `python -m benchmarks.soak` sums into its summary. Leaks and losses are tallied
*before* the assertion that fails on them, so a failing soak still reports how many it found.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from proxy.relay import Relay
from proxy.session import ProxySession

SOAK = os.environ.get("VEIL_SOAK") == "1"


def size(ci: int, soak: int, env: str | None = None) -> int:
    if env and os.environ.get(env):
        return int(os.environ[env])
    return soak if SOAK else ci


def tally(**counts: int) -> None:
    path = os.environ.get("VEIL_SOAK_STATS")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(counts) + "\n")


# Values every recognizer finds on its own, whatever surrounds them (given a separator on each side).
CANARIES: dict[str, str] = {
    "jane.miller@acme-plumbing.example": "email",
    "omar.haddad77@northwind.co.uk": "email",
    "+1 415 555 0134": "phone",
    "+44 20 7946 0321": "phone",
    "4111111111111111": "card",
    "DE89370400440532013000": "iban",
    "GB82WEST12345698765432": "iban",
    "203.0.113.77": "ip",
    "customers/7157461338": "customer-id",
}
# The part of each canary that must never reach the client (the `customers/` prefix is not personal data).
SECRET_PART = {c: c.removeprefix("customers/") for c in CANARIES}


def leaks_in(text: str, canaries: Iterable[str] = CANARIES) -> list[str]:
    return [c for c in canaries if SECRET_PART.get(c, c) in text]


def dump(message: SessionMessage | types.JSONRPCMessage) -> str:
    msg = message.message if isinstance(message, SessionMessage) else message
    return json.dumps(msg.model_dump(by_alias=True, exclude_none=True), ensure_ascii=False)


@dataclass
class RawEnds:
    """The outer ends of a relay whose both sides are plain in-memory streams."""

    client_send: Any  # what the client writes
    backend_send: Any  # what the backend writes
    to_client: list[SessionMessage] = field(default_factory=list)
    to_backend: list[SessionMessage] = field(default_factory=list)
    relay: Relay | None = None

    async def client(self, item: SessionMessage | Exception) -> None:
        await _offer(self.client_send, item)

    async def backend(self, item: SessionMessage | Exception) -> None:
        await _offer(self.backend_send, item)


async def _offer(stream: Any, item: Any) -> None:
    with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError):
        await stream.send(item)  # a side already gone drops it: what a real peer would see as EPIPE


@asynccontextmanager
async def raw_relay(session: ProxySession, *, drain_timeout: float = 0.5) -> AsyncIterator[RawEnds]:
    """A relay between two in-memory peers the test scripts message by message. On exit both peers
    disconnect and the relay must end within a bound; everything either side received is in the ends."""
    inf = float("inf")
    c2r_send, c2r_recv = anyio.create_memory_object_stream[Any](inf)
    r2c_send, r2c_recv = anyio.create_memory_object_stream[Any](inf)
    b2r_send, b2r_recv = anyio.create_memory_object_stream[Any](inf)
    r2b_send, r2b_recv = anyio.create_memory_object_stream[Any](inf)
    relay = Relay(session, drain_timeout=drain_timeout)
    ends = RawEnds(c2r_send, b2r_send, relay=relay)

    async def collect(stream: Any, into: list[SessionMessage]) -> None:
        async for item in stream:
            into.append(item)

    async with anyio.create_task_group() as tg:
        tg.start_soon(collect, r2c_recv, ends.to_client)
        tg.start_soon(collect, r2b_recv, ends.to_backend)
        done = anyio.Event()

        async def run() -> None:
            try:
                await relay.run((c2r_recv, r2c_send), (b2r_recv, r2b_send))
            finally:
                await r2b_send.aclose()
                done.set()

        tg.start_soon(run)
        try:
            yield ends
        finally:
            await c2r_send.aclose()
            await b2r_send.aclose()
            with anyio.fail_after(drain_timeout + 10):
                await done.wait()


def request(rid: Any, method: str, params: dict[str, Any] | None = None) -> SessionMessage:
    return SessionMessage(types.JSONRPCRequest(jsonrpc="2.0", id=rid, method=method, params=params))


def notification(method: str, params: dict[str, Any] | None = None) -> SessionMessage:
    return SessionMessage(types.JSONRPCNotification(jsonrpc="2.0", method=method, params=params))


def response(rid: Any, result: dict[str, Any]) -> SessionMessage:
    return SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=rid, result=result))


def error(rid: Any, code: int, message: str, data: Any = None) -> SessionMessage:
    err = types.ErrorData(code=code, message=message, data=data)
    return SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=rid, error=err))


def plaintext_in_files(root: Path, needles: Iterable[str]) -> list[tuple[str, str]]:
    """(file, needle) for every needle found, as UTF-8 bytes, in any file under `root`: the vault database
    and its -wal/-shm, logs, temp files."""
    wanted = [(n, n.encode()) for n in needles]
    hits: list[tuple[str, str]] = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        hits.extend((str(path), n) for n, b in wanted if b in data)
    return hits


@asynccontextmanager
async def proxied_client(session: ProxySession, server: Any, **client_kw: Any) -> AsyncIterator[Any]:
    """A real SDK Client talking to an in-process MCP server through a relay on `session`."""
    from mcp import Client
    from mcp.client._memory import InMemoryTransport
    from mcp.shared.memory import create_client_server_memory_streams

    async with (
        InMemoryTransport(server) as backend,
        create_client_server_memory_streams() as (client_end, front_end),
    ):

        @asynccontextmanager
        async def transport() -> AsyncIterator[Any]:
            yield client_end

        relay = Relay(session)
        async with anyio.create_task_group() as tg:
            tg.start_soon(relay.run, front_end, backend)
            async with Client(transport(), mode=client_kw.pop("mode", "legacy"), **client_kw) as client:
                yield client
            tg.cancel_scope.cancel()
