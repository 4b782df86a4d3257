"""To the client, after tokenization: a cacheable result that now carries tokens is marked
`cacheScope: "private"`.

Protocol 2026-07-28 lets a server mark a list or read result `public`: a shared client cache may then
serve it to every user of that cache. Once the proxy has put tokens in it, the result belongs to one
session: served to another session, its tokens would be refused there (tokens are per session) and would
link two sessions' values. So it becomes private whatever the backend said. A result without tokens keeps
the backend's own scope; a handshake-era result (no `ttlMs`/`cacheScope` on the wire) is left as it is.
"""

from __future__ import annotations

from functools import cache

from proxy.filters.flow import Flow

CACHE_FIELDS = ("cacheScope", "ttlMs")


class PrivateWhenTokenized:
    def __call__(self, flow: Flow) -> None:
        payload = flow.payload
        if flow.kind != "response" or type(payload) is not dict:
            return
        if not any(flow.counts.values()) or not any(k in payload for k in CACHE_FIELDS):
            return
        if flow.method not in cacheable_methods():
            return
        if payload.get("cacheScope") != "private":
            payload["cacheScope"] = "private"
            flow.changed = True


@cache
def cacheable_methods() -> frozenset[str]:
    """The SDK's `CACHEABLE_METHODS`, looked up when a result first carries a cache field: its module builds
    every protocol version's models (a third of a second), which a handshake-era session never needs."""
    from mcp_types.methods import CACHEABLE_METHODS

    return CACHEABLE_METHODS
