"""A stdio backend that is started again after it exits, on the client's next message.

To the relay it is one continuous (read, write) pair. When the process ends, every request it had not
answered gets an error; the next message from the client starts a new process, which is first given the
client's own `initialize` request and `notifications/initialized` again (their answer is not the client's
business and is dropped), so a handshake-era session carries on. Chosen by `sandbox.on_exit: restart`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio
import mcp_types as types

from proxy.errors import BACKEND_UNAVAILABLE
from proxy.transports.wire import SessionMessage, Streams

log = logging.getLogger(__name__)
_REPLAY_ID = "veil-restart-initialize"


@asynccontextmanager
async def restarting_backend(
    open_backend: Callable[[], AbstractAsyncContextManager[Streams]],
) -> AsyncIterator[Streams]:
    to_relay_send, to_relay_recv = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    from_relay_send, from_relay_recv = anyio.create_memory_object_stream[SessionMessage](0)
    state: dict[str, Any] = {"initialize": None, "initialized": None, "pending": set(), "restarts": 0}

    async def one_process(first: SessionMessage | None) -> SessionMessage | None:
        """Run one backend process; returns the client message that arrived after it exited (or None)."""
        async with open_backend() as (read, write):
            if first is not None:  # a restart: replay the handshake first
                if state["initialize"] is not None:
                    await write.send(SessionMessage(state["initialize"]))
                    async for item in read:  # wait for (and drop) its answer
                        if (
                            isinstance(item, SessionMessage)
                            and getattr(item.message, "id", None) == _REPLAY_ID
                        ):
                            break
                    if state["initialized"] is not None:
                        await write.send(SessionMessage(state["initialized"]))
                await _forward_to_backend(first, write)
            exited = anyio.Event()
            async with anyio.create_task_group() as tg:

                async def pump_back() -> None:
                    async for item in read:
                        if isinstance(item, SessionMessage):
                            msg = item.message
                            if isinstance(msg, types.JSONRPCResponse | types.JSONRPCError):
                                state["pending"].discard(msg.id)
                        await to_relay_send.send(item)
                    exited.set()
                    tg.cancel_scope.cancel()

                async def pump_out() -> None:
                    async for item in from_relay_recv:
                        await _forward_to_backend(item, write)
                    tg.cancel_scope.cancel()  # the relay closed: we are done

                tg.start_soon(pump_back)
                tg.start_soon(pump_out)
            if not exited.is_set():
                return None
        # The process is gone: its unanswered requests fail now, then wait for the client's next message.
        for request_id in sorted(state["pending"], key=str):
            err = types.ErrorData(
                code=BACKEND_UNAVAILABLE,
                message="mcp-veil: the backend exited; it will be started again on the next request",
            )
            await to_relay_send.send(
                SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=request_id, error=err))
            )
        state["pending"].clear()
        log.warning("backend exited; it will be started again on the next message")
        try:
            nxt = await from_relay_recv.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            return None
        state["restarts"] += 1
        return nxt

    async def _forward_to_backend(item: SessionMessage, write: Any) -> None:
        msg = item.message
        if isinstance(msg, types.JSONRPCRequest):
            if msg.method == "initialize":
                state["initialize"] = msg.model_copy(update={"id": _REPLAY_ID})
            state["pending"].add(msg.id)
        elif isinstance(msg, types.JSONRPCNotification) and msg.method == "notifications/initialized":
            state["initialized"] = msg
        await write.send(item)

    async def supervise() -> None:
        first: SessionMessage | None = None
        try:
            while True:
                first = await one_process(first)
                if first is None:
                    return
        finally:
            await to_relay_send.aclose()

    async with anyio.create_task_group() as tg:
        tg.start_soon(supervise)
        try:
            yield to_relay_recv, from_relay_send
        finally:
            await from_relay_send.aclose()
            tg.cancel_scope.cancel()
