"""To the client, after tokenization: a cacheable result that now carries tokens is marked
`cacheScope: "private"`.

Protocol 2026-07-28 lets a server mark a list or read result `public`: a shared client cache may then
serve it to every user of that cache. Once the proxy has put tokens in it, the result belongs to one
session: served to another session, its tokens would be refused there (tokens are per session) and would
link two sessions' values. So it becomes private whatever the backend said. A result without tokens keeps
the backend's own scope; a handshake-era result (no `ttlMs`/`cacheScope` on the wire) is left as it is.
"""

from __future__ import annotations

from mcp_types.methods import CACHEABLE_METHODS

from proxy.filters.flow import Flow

CACHE_FIELDS = ("cacheScope", "ttlMs")


class PrivateWhenTokenized:
    def __call__(self, flow: Flow) -> None:
        payload = flow.payload
        if flow.kind != "response" or flow.method not in CACHEABLE_METHODS or type(payload) is not dict:
            return
        if not any(flow.counts.values()) or not any(k in payload for k in CACHE_FIELDS):
            return
        if payload.get("cacheScope") != "private":
            payload["cacheScope"] = "private"
            flow.changed = True
