"""Which backend a client's request goes to: tools and prompts by their `backend__name` prefix, resources
by the URI (or URI template) the backend listed. Listings are merged here too, since merging a listing is
how routes are learned."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from proxy.backend_config import SEPARATOR
from proxy.errors import INVALID_PARAMS

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


class Routes:
    """The routing half of the mux: backend names and the resource URIs and templates learned so far."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._uris: dict[str, str] = {}  # resource URI -> backend
        self._templates: list[tuple[re.Pattern[str], str]] = []

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
        if any(r.get("cacheScope") != "public" for r in results.values() if "cacheScope" in r):
            merged["cacheScope"] = "private"  # one backend's private list makes the merged one private
        merged[key] = items
        if cursors:
            merged["nextCursor"] = json.dumps(cursors, separators=(",", ":"), sort_keys=True)
        return merged


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
