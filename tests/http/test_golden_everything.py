"""server-everything (npm, streamableHttp mode) directly vs through `veil serve --url`: listings, tools,
resources and prompts that carry no personal data come back exactly as the server sent them."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError

from proxy.scan.output_schema import rewrite_tools
from proxy.transports.http import HttpBackend

pytestmark = [pytest.mark.anyio, pytest.mark.e2e, pytest.mark.node]
ROOT = Path(__file__).resolve().parents[2]
EVERYTHING = (
    ROOT / ".node" / "node_modules" / "@modelcontextprotocol" / "server-everything" / "dist" / "index.js"
)
# Tools that need a client callback, take time, or flip server state are covered elsewhere.
SKIP_TOOLS = ("trigger-", "toggle-", "get-roots-list", "simulate-research-query")


@pytest.fixture
def everything_url(tmp_path: Path) -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH: server-everything cannot run")
    if not EVERYTHING.is_file():
        pytest.skip("npm package @modelcontextprotocol/server-everything is not installed (run `make node`)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open(tmp_path / "everything.log", "wb") as log:
        proc = subprocess.Popen(
            [node, str(EVERYTHING), "streamableHttp"],
            env={**os.environ, "PORT": str(port)},
            stdout=log,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None, "server-everything exited"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


CLOCK = re.compile(r"created at \d{1,2}:\d\d:\d\d [AP]M")


def dump(model: Any) -> Any:
    """What went over the wire, with the one value that differs between two runs normalized: dynamic
    resources say when they were created (a wall-clock time)."""
    text = json.dumps(model.model_dump(mode="json", by_alias=True, exclude_none=True))
    return json.loads(CLOCK.sub("created at <time>", text))


def arguments(tool: Any) -> dict[str, Any]:
    schema = tool.input_schema or {}
    out: dict[str, Any] = {}
    for name, spec in schema.get("properties", {}).items():
        if name not in schema.get("required", []):
            continue
        kind = spec.get("type")
        out[name] = spec.get(
            "default", 3 if kind in ("number", "integer") else True if kind == "boolean" else "hi"
        )
        if "enum" in spec:
            out[name] = spec["enum"][0]
    return out


async def script(url: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    async with Client(url, mode="legacy") as client:
        tools = (await client.list_tools()).tools
        seen["tools/list"] = [dump(t) for t in tools]
        seen["prompts/list"] = dump(await client.list_prompts())
        resources = await client.list_resources()
        seen["resources/list"] = dump(resources)
        seen["resources/templates/list"] = dump(await client.list_resource_templates())
        for tool in tools:
            if tool.name.startswith(SKIP_TOOLS):
                continue
            try:
                seen[f"tools/call {tool.name}"] = dump(await client.call_tool(tool.name, arguments(tool)))
            except MCPError as exc:
                seen[f"tools/call {tool.name}"] = {"error": dump(exc.error)}
        for resource in resources.resources[:5]:
            seen[f"resources/read {resource.uri}"] = dump(await client.read_resource(resource.uri))
    return seen


async def test_server_everything_gives_the_same_results_directly_and_through_veil_serve(
    serve, everything_url
):
    with anyio.fail_after(60):
        direct = await script(everything_url)
        async with serve(HttpBackend(everything_url)) as served:
            proxied = await script(served.url)
    assert direct.keys() == proxied.keys()
    # The one intended difference: each output schema accepts the tokens its results may carry.
    rewrite_tools({"tools": direct["tools/list"]})
    differ = [k for k in direct if direct[k] != proxied[k]]
    assert differ == [], "\n".join(
        f"{k}\n direct:  {json.dumps(direct[k])[:600]}\n proxied: {json.dumps(proxied[k])[:600]}"
        for k in differ
    )
    assert len([k for k in direct if k.startswith("tools/call")]) >= 8


async def sampling_script(url: str, prompts: list[str]) -> Any:
    import mcp_types as types

    async def on_sample(context: Any, params: Any) -> types.CreateMessageResult:
        prompts.append(params.messages[0].content.text)
        reply = types.TextContent(type="text", text="Reply to jane.miller@acme-plumbing.example")
        return types.CreateMessageResult(role="assistant", content=reply, model="m")

    async with Client(url, mode="legacy", sampling_callback=on_sample) as client:
        return dump(
            await client.call_tool("trigger-sampling-request", {"prompt": "Write to ann@example.org"})
        )


async def test_a_sampling_round_trip_with_server_everything_is_tokenized_toward_the_client(
    serve, everything_url
):
    direct_prompts: list[str] = []
    proxied_prompts: list[str] = []
    with anyio.fail_after(60):
        direct = await sampling_script(everything_url, direct_prompts)
        async with serve(HttpBackend(everything_url)) as served:
            proxied = await sampling_script(served.url, proxied_prompts)
    assert "ann@example.org" in direct_prompts[0]
    assert "ann@example.org" not in proxied_prompts[0] and "[[EMAIL_ADDRESS:" in proxied_prompts[0]
    # the server got the client's reply as is and quotes it in its result: tokenized on the way back
    assert "jane.miller@acme-plumbing.example" in json.dumps(direct)
    assert "jane.miller@acme-plumbing.example" not in json.dumps(
        proxied
    ) and "[[EMAIL_ADDRESS:" in json.dumps(proxied)
