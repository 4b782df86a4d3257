"""Behind a multiplexer, a merged list result is private as soon as one backend's part is (a shared client
cache must not serve a per-user list to everyone), and public only when every part is."""

from __future__ import annotations

from proxy.mux import Routes


def part(scope: str, ttl: int) -> dict:
    return {"tools": [{"name": "t", "inputSchema": {"type": "object"}}], "ttlMs": ttl, "cacheScope": scope}


def test_one_private_part_makes_the_merged_list_private_whichever_backend_comes_first() -> None:
    merged = Routes(["a", "b"])._merge_list(
        "tools/list", {"a": part("public", 500), "b": part("private", 900)}
    )
    assert merged["cacheScope"] == "private" and merged["ttlMs"] == 500
    assert [t["name"] for t in merged["tools"]] == ["a__t", "b__t"]


def test_a_merged_list_of_public_parts_stays_public() -> None:
    merged = Routes(["a", "b"])._merge_list("tools/list", {"a": part("public", 5), "b": part("public", 9)})
    assert merged["cacheScope"] == "public"


def test_a_handshake_era_merged_list_gets_no_cache_fields() -> None:
    merged = Routes(["a", "b"])._merge_list("tools/list", {"a": {"tools": []}, "b": {"tools": []}})
    assert "cacheScope" not in merged and "ttlMs" not in merged
