"""ASGI pieces of the HTTP front: session ids, JSON-RPC error responses, reading a body once and replaying
it, and the status a response was sent with.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping

from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

log = logging.getLogger("proxy.transports.http")


def new_session_id() -> str:
    """128 bits from the OS CSPRNG, as 32 hex characters (visible ASCII, as the spec requires)."""
    return secrets.token_hex(16)


def json_error(status: int, code: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    body = {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}
    return Response(json.dumps(body), status_code=status, media_type="application/json", headers=headers)


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
