"""Several backends as one: a virtual backend for the relay.

The relay sees one (read, write) stream pair, as with a single backend, so its stages, limits and
in-flight bookkeeping stay as they are. Behind it, each named backend keeps its own connection:

- the client's handshake (`initialize`, or `server/discover` in 2026-07-28) is sent to every backend and
  answered with the union of their capabilities, the oldest protocol version any of them chose (the
  versions they all support, for `server/discover`) and one instructions section per backend;
- tools and prompts are namespaced `backend__name`; resources keep their URIs and are routed by the URI
  learned from `resources/list` and `resources/templates/list` (URIs then stay valid in links and text);
- list methods are fanned out and merged; the cursor the client sees maps each backend to its own cursor;
- request ids and progress tokens are rewritten per backend both ways, so two backends may use the same
  ids; a backend's own requests (sampling, elicitation, roots) get ids of the proxy's, and the client's
  answers go back to the backend that asked;
- a backend that exits fails its own pending requests; the others keep working.

Every message toward the client carries its backend's name (`Origin` metadata) so its values are
tokenized as that backend's; `target()` tells which backend a message toward the backends goes to.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from proxy.backend_config import SEPARATOR
from proxy.errors import BACKEND_UNAVAILABLE, INVALID_PARAMS

log = logging.getLogger(__name__)

Streams = tuple[Any, Any]
METHOD_NOT_FOUND = -32601
LIST_KEYS = {
    "tools/list": "tools",
    "prompts/list": "prompts",
    "resources/list": "resources",
    "resources/templates/list": "resourceTemplates",
}
HANDSHAKES = ("initialize", "server/discover")
ACKED = ("logging/setLevel",)  # fanned out; the client gets one empty result
NAMED = ("tools/call", "prompts/get")
BY_URI = ("resources/read", "resources/subscribe", "resources/unsubscribe")


@dataclass(frozen=True)
class Origin:
    """SessionMessage metadata: the backend a message toward the client comes from."""

    backend: str
    related_request_id: Any = None  # read by fronts that route server messages per request


class RouteError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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


class Mux:
    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.live: set[str] = set(names)
        self._writers: dict[str, Any] = {}
        self._ids = itertools.count(1)
        self._sent: dict[int, _Sent] = {}  # backend-facing id -> what it was
        self._by_client: dict[Any, list[int]] = {}  # client request id -> backend-facing ids
        self._progress: dict[int, Any] = {}  # proxy token -> the client's progress token
        self._asked: dict[int, tuple[str, Any]] = {}  # client-facing id of a backend request -> (backend, id)
        self._their_progress: dict[int, tuple[str, Any]] = {}  # proxy token -> (backend, its token)
        self._asked_progress: dict[int, list[int]] = {}  # client-facing id -> the proxy tokens it carries
        self._uris: dict[str, str] = {}  # resource URI -> backend
        self._templates: list[tuple[re.Pattern[str], str]] = []
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

    def local_tool(self, name: str | None) -> str | None:
        """`ads__list_campaigns` -> `list_campaigns`: policy rules name a backend's own tools."""
        if name is None or SEPARATOR not in name:
            return name
        prefix, rest = name.split(SEPARATOR, 1)
        return rest if prefix in self.names else name

    def _route(self, method: str, params: dict[str, Any] | None) -> tuple[str, dict[str, Any]] | None:
        """(backend, params as the backend expects them) for a routed request; None for a fan-out."""
        p = dict(params or {})
        if method in NAMED:
            backend, p["name"] = self._split(p.get("name"))
            return backend, p
        if method in BY_URI:
            return self._by_uri(p.get("uri")), p
        if method == "completion/complete":
            ref = dict(p.get("ref") or {})
            if ref.get("type") == "ref/prompt":
                backend, ref["name"] = self._split(ref.get("name"))
            else:
                backend = self._by_uri(ref.get("uri"))
            p["ref"] = ref
            return backend, p
        if method in HANDSHAKES or method in LIST_KEYS or method in ACKED or method == "ping":
            return None
        raise RouteError(
            METHOD_NOT_FOUND, f"mcp-veil: method {method!r} cannot be routed to one of several backends"
        )

    def _split(self, name: Any) -> tuple[str, str]:
        if isinstance(name, str) and SEPARATOR in name:
            backend, rest = name.split(SEPARATOR, 1)
            if backend in self.names and rest:
                return backend, rest
        # The name itself is not quoted: it comes from the model and may hold a (detokenized) value.
        raise RouteError(
            INVALID_PARAMS,
            "mcp-veil: unknown name: tools and prompts are named BACKEND__NAME with BACKEND one of "
            + ", ".join(self.names),
        )

    def _by_uri(self, uri: Any) -> str:
        if isinstance(uri, str):
            if uri in self._uris:
                return self._uris[uri]
            for pattern, backend in self._templates:
                if pattern.fullmatch(uri):
                    return backend
        raise RouteError(
            INVALID_PARAMS,
            "mcp-veil: unknown resource: list resources (or templates) first; each URI is routed to the "
            "backend that listed it",
        )

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
        request = types.JSONRPCRequest(jsonrpc="2.0", id=mux_id, method=method, params=params or None)
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

    def _merge_list(self, method: str, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
        key = LIST_KEYS[method]
        items: list[Any] = []
        cursors: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for backend in sorted(results):
            result = results[backend]
            for k, v in result.items():
                if k not in (key, "nextCursor"):
                    merged.setdefault(k, v)
            if result.get("nextCursor"):
                cursors[backend] = result["nextCursor"]
            for entry in result.get(key) or []:
                if not isinstance(entry, dict):
                    continue
                entry = dict(entry)
                if method in ("tools/list", "prompts/list") and isinstance(entry.get("name"), str):
                    entry["name"] = f"{backend}{SEPARATOR}{entry['name']}"
                elif method == "resources/list" and isinstance(entry.get("uri"), str):
                    self._uris[entry["uri"]] = backend
                elif method == "resources/templates/list" and isinstance(entry.get("uriTemplate"), str):
                    self._templates.append((_template_pattern(entry["uriTemplate"]), backend))
                items.append(entry)
        if "ttlMs" in merged:
            merged["ttlMs"] = min(int(r.get("ttlMs") or 0) for r in results.values())
        merged[key] = items
        if cursors:
            merged["nextCursor"] = json.dumps(cursors, separators=(",", ":"), sort_keys=True)
        return merged

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


# --------------------------------------------------------------------------- merging


def _merge_handshake(method: str, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Union of capabilities, one instructions section per backend, the proxy's own server info."""
    first = results[sorted(results)[0]]
    merged: dict[str, Any] = {k: v for k, v in first.items() if k not in ("instructions",)}
    merged["capabilities"] = _union([r.get("capabilities") or {} for r in results.values()])
    merged["serverInfo"] = {"name": "mcp-veil", "version": _version(), "title": " + ".join(sorted(results))}
    if method == "initialize":
        versions = [
            r["protocolVersion"] for r in results.values() if isinstance(r.get("protocolVersion"), str)
        ]
        if versions:
            merged["protocolVersion"] = min(versions)  # dated versions: the oldest every backend speaks
    else:
        lists = [r.get("supportedVersions") or [] for r in results.values()]
        common = [v for v in lists[0] if all(v in other for other in lists[1:])]
        merged["supportedVersions"] = common or sorted({v for lst in lists for v in lst})
        merged["ttlMs"] = 0
    sections = [
        f"## {backend}\n{r['instructions']}"
        for backend, r in sorted(results.items())
        if isinstance(r.get("instructions"), str) and r["instructions"].strip()
    ]
    if sections:
        merged["instructions"] = f"Tools and prompts are named BACKEND{SEPARATOR}NAME.\n\n" + "\n\n".join(
            sections
        )
    return merged


def _union(caps: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cap in caps:
        for key, value in cap.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                for sub, flag in value.items():
                    prev = out[key].get(sub)
                    out[key][sub] = prev or flag  # a feature any backend offers is offered
            elif key not in out:
                out[key] = dict(value) if isinstance(value, dict) else value
    return out


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mcp-veil")
    except PackageNotFoundError:
        return "0"


def _template_pattern(template: str) -> re.Pattern[str]:
    """`crm://contacts/{id}` -> a regex; `{+path}` and `{/x}`-style operators match any run of text."""
    parts = re.split(r"(\{[^}]*\})", template)
    wide = ("+", "#", "/", "?", "&", ".", ";")
    regex = "".join(
        (".+" if p[1:2] in wide else "[^/]+") if p.startswith("{") else re.escape(p) for p in parts
    )
    return re.compile(regex)


def _decode_cursor(cursor: Any, names: list[str]) -> dict[str, Any]:
    try:
        cursors = json.loads(cursor) if isinstance(cursor, str) else None
    except ValueError:
        cursors = None
    if not isinstance(cursors, dict) or not cursors or not set(cursors) <= set(names):
        raise RouteError(INVALID_PARAMS, "mcp-veil: invalid cursor (pass back the nextCursor of a list)")
    return cursors


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


Router = Callable[[types.JSONRPCMessage], str | None]
