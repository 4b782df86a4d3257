"""Caching (2026-07-28): a list or read result the proxy tokenized belongs to its session, so it is marked
`cacheScope: "private"` whatever the backend said, and a client cache shared by two sessions never serves
one session's tokens to the other. Real processes: the SDK client, `veil run`, `cacheable_backend.py`."""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.client.caching import CacheConfig, InMemoryResponseCacheStore

from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
BACKEND = [sys.executable, str(Path(__file__).with_name("cacheable_backend.py"))]
EMAIL = "jane.miller@acme-plumbing.example"


async def test_straight_to_the_server_the_results_are_public(direct_stdio):
    with anyio.fail_after(60):
        async with Client(direct_stdio(BACKEND), mode="2026-07-28") as client:
            listed, read = await client.list_resources(), await client.read_resource("crm://contacts/1")
    assert listed.cache_scope == read.cache_scope == "public" and EMAIL in read.contents[0].text


async def test_a_tokenized_list_or_read_result_is_private_and_one_without_tokens_keeps_its_scope(veil_stdio):
    with anyio.fail_after(60):
        async with Client(veil_stdio(BACKEND), mode="2026-07-28") as client:
            listed = await client.list_resources()
            read = await client.read_resource("crm://contacts/1")
            tools = await client.list_tools()
    assert TOKEN_RE.search(listed.resources[0].description or "") and TOKEN_RE.search(read.contents[0].text)
    assert listed.cache_scope == read.cache_scope == "private"
    assert listed.ttl_ms == read.ttl_ms == 60_000
    assert tools.cache_scope == "public"  # nothing personal in it: the backend's hint stands


async def test_a_shared_client_cache_never_serves_one_sessions_tokens_to_another(veil_stdio):
    store = InMemoryResponseCacheStore()

    def cache(partition: str) -> CacheConfig:
        return CacheConfig(store=store, partition=partition, target_id="veil-crm", share_public=True)

    seen: dict[str, str] = {}
    with anyio.fail_after(90):
        for who in ("alice", "bob"):  # two `veil run` processes: two sessions
            async with Client(veil_stdio(BACKEND), mode="2026-07-28", cache=cache(who)) as client:
                listed = await client.list_resources()
                read = await client.read_resource("crm://contacts/1")
            match = TOKEN_RE.search(listed.resources[0].description or "")
            assert match is not None and match.group(0) in read.contents[0].text
            seen[who] = match.group(0)
    assert seen["alice"] != seen["bob"]  # bob's client asked his own session, not alice's cache entry
