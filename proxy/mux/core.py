"""The mux itself: ids, progress tokens and backend requests rewritten both ways, fan-outs gathered,
a backend that exits failing only its own requests; `multiplexed` opens the backends behind it."""

from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import mcp_types as types

from proxy.errors import BACKEND_UNAVAILABLE
from proxy.mux.handshake import _merge_handshake
from proxy.mux.routing import HANDSHAKES, LIST_KEYS, Origin, RouteError, Routes, _decode_cursor
from proxy.transports.wire import SessionMessage, Streams

log = logging.getLogger("proxy.mux")


@dataclass
class _Gather:
    """One client request fanned out to several backends."""

    client_id: Any
    method: str
    waiting: set[str]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # backend -> the id it was sent


@dataclass
class _Sent:
    """A request the mux sent to a backend, by the id the backend saw."""

    backend: str
    client_id: Any
    method: str
    gather: _Gather | None = None
    progress: int | None = None  # the proxy's progress token given with it


class Mux(Routes):
    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.live: set[str] = set(names)
        self._writers: dict[str, Any] = {}
        self._ids = itertools.count(1)
        self._sent: dict[int, _Sent] = {}  # backend-facing id -> what it was
        self._by_client: dict[Any, list[int]] = {}  # client request id -> backend-facing ids
        self._progress: dict[int, Any] = {}  # proxy token -> the client's progress token
        self._asked: dict[int, tuple[str, Any]] = {}  # client-facing id of a backend request -> (backend, id)
        self._their_progress: dict[int, tuple[str, Any]] = {}  # proxy token -> (backend, its token)
        self._asked_progress: dict[int, list[int]] = {}  # client-facing id -> the proxy tokens it carries
        self._to_relay: Any = None

    # ------------------------------------------------------------------ routing, shared with the session

    def target(self, msg: types.JSONRPCMessage) -> str | None:
        """The backend a message from the client goes to; None when it goes to all (or none)."""
        if isinstance(msg, types.JSONRPCRequest):
            try:
                routed = self._route(msg.method, msg.params)
            except RouteError:
                return None
            return routed[0] if routed else None
        if isinstance(msg, types.JSONRPCResponse | types.JSONRPCError):
            asked = self._asked.get(msg.id) if isinstance(msg.id, int) else None
            return asked[0] if asked else None
        return None

    # ------------------------------------------------------------------ client -> backends
    async def _from_relay(self, read: Any) -> None:
        async for item in read:
            msg = item.message
            try:
                if isinstance(msg, types.JSONRPCRequest):
                    await self._request(msg)
                elif isinstance(msg, types.JSONRPCNotification):
                    await self._notification(msg)
                else:
                    await self._answer(msg)
            except RouteError as exc:
                if isinstance(msg, types.JSONRPCRequest):
                    await self._error(msg.id, exc.code, exc.message, None)

    async def _request(self, msg: types.JSONRPCRequest) -> None:
        if msg.method == "ping":
            await self._emit(types.JSONRPCResponse(jsonrpc="2.0", id=msg.id, result={}), None)
            return
        routed = self._route(msg.method, msg.params)
        if routed is None:
            await self._fan_out(msg)
            return
        backend, params = routed
        if backend not in self.live:
            raise RouteError(BACKEND_UNAVAILABLE, f"mcp-veil: backend {backend!r} has exited")
        await self._send(backend, msg.id, msg.method, params, None)

    async def _fan_out(self, msg: types.JSONRPCRequest) -> None:
        params = dict(msg.params or {})
        targets = sorted(self.live)
        cursors: dict[str, Any] = {}
        if msg.method in LIST_KEYS and params.get("cursor") is not None:
            cursors = _decode_cursor(params["cursor"], self.names)
            targets = [b for b in targets if b in cursors]
        if not targets:
            raise RouteError(BACKEND_UNAVAILABLE, "mcp-veil: no backend is available")
        gather = _Gather(msg.id, msg.method, set(targets))
        for backend in targets:
            p = dict(params)
            p.pop("cursor", None)
            if backend in cursors:
                p["cursor"] = cursors[backend]
            gather.ids[backend] = await self._send(backend, msg.id, msg.method, p, gather)

    async def _send(
        self, backend: str, client_id: Any, method: str, params: dict[str, Any], gather: _Gather | None
    ) -> int:
        mux_id = next(self._ids)
        sent = _Sent(backend, client_id, method, gather)
        meta = params.get("_meta")
        if isinstance(meta, dict) and meta.get("progressToken") is not None:
            sent.progress = next(self._ids)
            self._progress[sent.progress] = meta["progressToken"]
            params = {**params, "_meta": {**meta, "progressToken": sent.progress}}
        self._sent[mux_id] = sent
        self._by_client.setdefault(client_id, []).append(mux_id)
        # No `params` member rather than `"params": null`, which server-everything never answers.
        extra = {"params": params} if params else {}
        request = types.JSONRPCRequest(jsonrpc="2.0", id=mux_id, method=method, **extra)
        await self._write(backend, request)
        return mux_id

    async def _notification(self, msg: types.JSONRPCNotification) -> None:
        params = msg.params or {}
        if msg.method == "notifications/cancelled":
            for mux_id in self._by_client.get(params.get("requestId"), []):
                sent = self._sent.get(mux_id)
                if sent is not None:
                    note = {**params, "requestId": mux_id}
                    await self._write(sent.backend, _note(msg.method, note))
            return
        if msg.method == "notifications/progress":  # progress of a backend's request, from the client
            theirs = self._their_progress.get(params.get("progressToken"))  # type: ignore[arg-type]
            if theirs is not None:
                await self._write(theirs[0], _note(msg.method, {**params, "progressToken": theirs[1]}))
            return
        for backend in sorted(self.live):  # initialized, roots/list_changed, anything else
            await self._write(backend, msg)

    async def _answer(self, msg: types.JSONRPCResponse | types.JSONRPCError) -> None:
        """The client's answer to a backend's request goes back to that backend, under its own id."""
        mine = msg.id if isinstance(msg.id, int) else -1
        asked = self._asked.pop(mine, None)
        if asked is None:
            log.info("client answered a request no backend made; dropped")
            return
        backend, their_id = asked
        for token in self._asked_progress.pop(mine, ()):
            self._their_progress.pop(token, None)
        await self._write(backend, msg.model_copy(update={"id": their_id}))

    async def _write(self, backend: str, msg: types.JSONRPCMessage) -> None:
        try:
            await self._writers[backend].send(SessionMessage(msg))
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            log.info("backend closed; message not delivered", extra={"backend": backend})

    # ------------------------------------------------------------------ backends -> client
    async def _from_backend(self, backend: str, read: Any) -> None:
        async for item in read:
            if isinstance(item, Exception):
                log.warning("backend sent a line that is not JSON-RPC; dropped", extra={"backend": backend})
                continue
            msg = item.message
            if isinstance(msg, types.JSONRPCRequest):
                await self._backend_request(backend, msg)
            elif isinstance(msg, types.JSONRPCNotification):
                await self._backend_notification(backend, msg)
            else:
                await self._backend_answer(backend, msg)
        await self._backend_gone(backend)

    async def _backend_request(self, backend: str, msg: types.JSONRPCRequest) -> None:
        client_id = next(self._ids)
        self._asked[client_id] = (backend, msg.id)
        params = msg.params
        meta = params.get("_meta") if params else None
        if isinstance(meta, dict) and meta.get("progressToken") is not None:
            token = next(self._ids)
            self._their_progress[token] = (backend, meta["progressToken"])
            self._asked_progress.setdefault(client_id, []).append(token)
            params = {**(params or {}), "_meta": {**meta, "progressToken": token}}
        await self._emit(msg.model_copy(update={"id": client_id, "params": params}), backend)

    async def _backend_notification(self, backend: str, msg: types.JSONRPCNotification) -> None:
        params = msg.params or {}
        if msg.method == "notifications/progress":
            token = params.get("progressToken")
            client_token = self._progress.get(token) if isinstance(token, int) else None
            if client_token is None:
                return  # not a request of the client's (or already answered)
            msg = _note(msg.method, {**params, "progressToken": client_token})
        elif msg.method == "notifications/cancelled":  # the backend withdraws one of its requests
            rid = params.get("requestId")
            mine = next((k for k, v in self._asked.items() if v == (backend, rid)), None)
            if mine is None:
                return
            del self._asked[mine]
            msg = _note(msg.method, {**params, "requestId": mine})
        await self._emit(msg, backend)

    async def _backend_answer(self, backend: str, msg: types.JSONRPCResponse | types.JSONRPCError) -> None:
        sent = self._sent.pop(msg.id, None) if isinstance(msg.id, int) else None
        if sent is None or sent.backend != backend:
            log.info("backend answered a request that is not in flight; dropped", extra={"backend": backend})
            return
        self._forget(msg.id, sent)  # type: ignore[arg-type]
        if sent.gather is not None:
            await self._gathered(sent.gather, backend, msg)
            return
        if isinstance(msg, types.JSONRPCError):
            out: types.JSONRPCMessage = msg.model_copy(update={"id": sent.client_id})
        else:
            out = msg.model_copy(update={"id": sent.client_id})
        await self._emit(out, backend)

    def _forget(self, mux_id: int, sent: _Sent) -> None:
        ids = self._by_client.get(sent.client_id)
        if ids is not None:
            ids[:] = [i for i in ids if i != mux_id]
            if not ids:
                del self._by_client[sent.client_id]
        if sent.progress is not None:
            self._progress.pop(sent.progress, None)

    async def _gathered(
        self, gather: _Gather, backend: str, msg: types.JSONRPCResponse | types.JSONRPCError
    ) -> None:
        gather.waiting.discard(backend)
        if isinstance(msg, types.JSONRPCError):
            gather.errors[backend] = msg.error.model_dump(exclude_none=True)
        else:
            gather.results[backend] = dict(msg.result or {})
        if gather.waiting:
            return
        if not gather.results:
            err = next(iter(gather.errors.values()))
            await self._error(gather.client_id, err["code"], err.get("message", "error"), None)
            return
        for failed in gather.errors:
            log.warning(
                "backend failed a fanned-out request", extra={"backend": failed, "method": gather.method}
            )
        if gather.method in HANDSHAKES:
            for failed in gather.errors:  # a backend that refused the handshake cannot be used
                self.live.discard(failed)
            result = _merge_handshake(gather.method, gather.results)
        elif gather.method in LIST_KEYS:
            result = self._merge_list(gather.method, gather.results)
        else:
            result = {}
        await self._emit(types.JSONRPCResponse(jsonrpc="2.0", id=gather.client_id, result=result), None)

    async def _backend_gone(self, backend: str) -> None:
        """Its pending requests get errors (or drop out of their fan-out); the others carry on."""
        log.warning("backend exited", extra={"backend": backend})
        self.live.discard(backend)
        for mux_id, sent in list(self._sent.items()):
            if sent.backend != backend:
                continue
            del self._sent[mux_id]
            self._forget(mux_id, sent)
            why = f"mcp-veil: backend {backend!r} exited"
            if sent.gather is not None:
                error = types.ErrorData(code=BACKEND_UNAVAILABLE, message=why)
                await self._gathered(
                    sent.gather, backend, types.JSONRPCError(jsonrpc="2.0", id=mux_id, error=error)
                )
            else:
                await self._error(sent.client_id, BACKEND_UNAVAILABLE, why, backend)
        self._asked = {k: v for k, v in self._asked.items() if v[0] != backend}
        self._their_progress = {k: v for k, v in self._their_progress.items() if v[0] != backend}
        if not self.live and self._to_relay is not None:
            await self._to_relay.aclose()  # the relay sees its backend end

    async def _error(self, client_id: Any, code: int, message: str, backend: str | None) -> None:
        error = types.ErrorData(code=code, message=message)
        await self._emit(types.JSONRPCError(jsonrpc="2.0", id=client_id, error=error), backend)

    async def _emit(self, msg: types.JSONRPCMessage, backend: str | None) -> None:
        metadata = Origin(backend) if backend is not None else None
        try:
            await self._to_relay.send(SessionMessage(msg, metadata=metadata))  # type: ignore[arg-type]
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            log.info("relay closed; message not delivered")


def _note(method: str, params: dict[str, Any]) -> types.JSONRPCNotification:
    return types.JSONRPCNotification(jsonrpc="2.0", method=method, params=params)


# --------------------------------------------------------------------------- lifecycle


@asynccontextmanager
async def multiplexed(
    mux: Mux, openers: Mapping[str, AbstractAsyncContextManager[Streams]]
) -> AsyncIterator[Streams]:
    """Open every backend and present them as one (read, write) pair. A backend that cannot be started
    is logged and left out; if none starts, the first error is raised."""
    to_relay_send, to_relay_recv = anyio.create_memory_object_stream[SessionMessage | Exception](64)
    from_relay_send, from_relay_recv = anyio.create_memory_object_stream[SessionMessage](64)
    mux._to_relay = to_relay_send
    async with AsyncExitStack() as stack:
        streams: dict[str, Streams] = {}
        first_error: BaseException | None = None
        for name, opener in openers.items():
            try:
                streams[name] = await stack.enter_async_context(opener)
            except Exception as exc:
                log.error(
                    "backend could not be started", extra={"backend": name, "error": type(exc).__name__}
                )
                mux.live.discard(name)
                first_error = first_error or exc
        if not streams and first_error is not None:
            raise first_error
        mux._writers = {name: s[1] for name, s in streams.items()}
        async with anyio.create_task_group() as tg:
            tg.start_soon(mux._from_relay, from_relay_recv)
            for name, (read, _write) in streams.items():
                tg.start_soon(mux._from_backend, name, read)
            try:
                yield to_relay_recv, from_relay_send
            finally:
                tg.cancel_scope.cancel()
