"""A client whose backend is gone (or never came) gets a JSON-RPC error for each request, not silence.

Its own module, apart from the HTTP front that also uses it, so `veil run` over stdio reaches it without
importing the HTTP stack (Starlette, httpx, the MCP SDK's server): see `proxy.transports.wire`.
"""

from __future__ import annotations

import anyio
import mcp_types as types

from proxy.errors import BACKEND_UNAVAILABLE
from proxy.relay import _error
from proxy.transports.wire import Streams


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
