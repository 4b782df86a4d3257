"""`catalog: search` through real `veil run` subprocesses, with the SDK client: `tools/list` holds only
`veil_search_tools` and `veil_call_tool`, and every tool of server-everything (alone, or behind a veil.toml
with the bundled Google backends) is found and called, answering as it does without the proxy.

The sizes are measured by `benchmarks.catalog_bench` (tests/e2e/test_compact_catalog.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters

from benchmarks import catalog_bench
from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
LISTED = ["veil_search_tools", "veil_call_tool"]


def search_policy(tmp_path: Path) -> Path:
    path = tmp_path / "search.yaml"
    path.write_text("version: 1\nname: search\ncatalog: search\n")
    return path


def audit(env: dict[str, str], event: str) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "proxy", "audit", "query", "--event", event, "--json", "--oldest-first"],
        env=env, cwd=catalog_bench.ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def contents(result: Any) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json", by_alias=True, exclude_none=True) for c in result.content]


async def test_in_search_mode_a_tool_found_described_and_called_through_the_proxy_answers_as_without_it(
    tmp_path: Path,
    veil_env: dict[str, str],
    veil_stdio: Callable[..., StdioServerParameters],
    direct_stdio: Callable[..., StdioServerParameters],
    node_package_cmd: Callable[..., list[str]],
):
    everything = node_package_cmd("@modelcontextprotocol/server-everything", "stdio")
    steps: list[float] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        steps.append(value)

    with anyio.fail_after(120):
        async with Client(direct_stdio(everything), mode="legacy") as client:
            full = {
                t.name: t.model_dump(mode="json", by_alias=True, exclude_none=True)
                for t in (await client.list_tools()).tools
            }
            direct_sum = contents(await client.call_tool("get-sum", {"a": 2, "b": 3}))
            direct_echo = contents(await client.call_tool("echo", {"message": "hello"}))
        async with Client(
            veil_stdio(everything, "--policy", str(search_policy(tmp_path))), mode="legacy"
        ) as client:
            listed = [t.name for t in (await client.list_tools()).tools]
            found = (
                await client.call_tool("veil_search_tools", {"query": "sum of two numbers"})
            ).structured_content
            every = (await client.call_tool("veil_search_tools", {})).structured_content
            described = await client.call_tool("veil_describe_tools", {"names": ["get-sum"]})
            via_call = await client.call_tool(
                "veil_call_tool",
                {"name": "veil_describe_tools", "arguments": {"names": ["gzip-file-as-resource"]}},
            )
            summed = contents(
                await client.call_tool("veil_call_tool", {"name": "get-sum", "arguments": {"a": 2, "b": 3}})
            )
            by_name = contents(await client.call_tool("get-sum", {"a": 2, "b": 3}))
            call_echo = {"name": "echo", "arguments": {"message": "hello"}}
            echoed = [contents(await client.call_tool("veil_call_tool", call_echo)) for _ in range(2)]
            long_op = await client.call_tool(
                "veil_call_tool",
                {"name": "trigger-long-running-operation", "arguments": {"duration": 0.3, "steps": 3}},
                progress_callback=on_progress,
            )
            with pytest.raises(MCPError) as nameless:
                await client.call_tool("veil_call_tool", {"arguments": {"message": "hello"}})
            mail = {"name": "echo", "arguments": {"message": "write to jane.doe@example.com"}}
            tokenized = contents(await client.call_tool("veil_call_tool", mail))[0]["text"]
            token = tokenized.removeprefix("Echo: write to ")
            back = {"name": "echo", "arguments": {"message": token}}
            echoed_back = contents(await client.call_tool("veil_call_tool", back))[0]["text"]
    assert listed == LISTED
    assert found is not None and every is not None
    hit = found["tools"][0]
    assert hit["name"] == "get-sum" and found["call_with"] == "veil_call_tool"
    assert hit["inputSchema"]["properties"] == {"a": {"type": "number"}, "b": {"type": "number"}}
    assert hit["inputSchema"]["required"] == ["a", "b"]
    assert [t["name"] for t in every["tools"]] == list(full) and every["of"] == len(full)
    assert described.structured_content["tools"] == [full["get-sum"]]
    assert (
        via_call.structured_content["tools"][0]["inputSchema"] == full["gzip-file-as-resource"]["inputSchema"]
    )
    assert summed == direct_sum == by_name  # described first: no definition rides on its result
    first, second = echoed
    assert first[:-1] == direct_echo and second == direct_echo  # the definition on the first result only
    attached = first[-1]["text"]
    assert attached.startswith("mcp-veil: the full definition of tool `echo`")
    assert json.loads(attached.split(": ", 2)[2]) == full["echo"]
    assert not long_op.is_error and steps == [1, 2, 3]  # the request's progress token went along
    assert "veil_call_tool needs `name`" in nameless.value.error.message
    # Policy and audit see the named tool: its result was tokenized, its argument detokenized, as echo's.
    assert TOKEN_RE.fullmatch(token) and echoed_back == f"Echo: {token}"
    detokenized = audit(veil_env, "token-detokenized")
    assert [(r["tool"], r["token"]) for r in detokenized] == [("echo", token)]


async def test_in_search_mode_behind_a_veil_toml_veil_call_tool_reaches_the_backend_its_name_names(
    tmp_path: Path, veil_env: dict[str, str], node_package_cmd: Callable[..., list[str]]
):
    everything = node_package_cmd("@modelcontextprotocol/server-everything", "stdio")
    config = catalog_bench.write_config(
        tmp_path / "veil.toml", {**catalog_bench.google_backends(), "everything": everything}
    )
    config.write_text('catalog = "search"\n' + config.read_text())  # a top-level key: before the tables
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--config", str(config)],
        env=dict(veil_env),
        cwd=str(catalog_bench.ROOT),
    )
    with anyio.fail_after(180):
        async with Client(params, mode="legacy") as client:
            listed = [t.name for t in (await client.list_tools()).tools]
            every = (await client.call_tool("veil_search_tools", {})).structured_content
            summed = await client.call_tool(
                "veil_call_tool", {"name": "everything__get-sum", "arguments": {"a": 40, "b": 2}}
            )
            sites = await client.call_tool("veil_call_tool", {"name": "console__list_sites"})
    assert listed == LISTED
    assert every is not None and {"everything__get-sum", "console__list_sites", "ads__search"} <= {
        t["name"] for t in every["tools"]
    }
    assert contents(summed)[0]["text"] == "The sum of 40 and 2 is 42."
    assert not sites.is_error and "siteUrl" in contents(sites)[0]["text"]
