"""A conformance-suite client command with mcp-veil in the middle: `python veil_client.py <server-url>`.

The suite starts its test server and runs this command with the server's URL; the scenario is in
`$MCP_CONFORMANCE_SCENARIO`. The SDK client here talks to `veil run --url <server-url>` over stdio, so
what the suite's server observes (the handshake, tool calls, answers to elicitation, SSE reconnection
timing) is what mcp-veil's HTTP backend client does. With `VEIL_CONFORMANCE_DIRECT=1` the same client
connects to the server directly: the baseline the proxied run is compared with.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp import Client, StdioServerParameters

ROOT = Path(__file__).resolve().parents[2]


def _value_for(schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if "default" in schema:
        return schema["default"]
    if kind in ("number", "integer"):
        return 2
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object":
        return {}
    return "test"


def _arguments(tool: types.Tool) -> dict[str, Any]:
    schema = tool.input_schema or {}
    props = schema.get("properties", {})
    return {name: _value_for(spec) for name, spec in props.items() if name in schema.get("required", [])}


async def _on_elicit(context: Any, params: Any) -> types.ElicitResult:
    """Accept, leaving every field out: the client applies the schema's defaults (SEP-1034)."""
    schema = getattr(params, "requested_schema", None) or {}
    content = {
        name: spec["default"] for name, spec in schema.get("properties", {}).items() if "default" in spec
    }
    return types.ElicitResult(action="accept", content=content)


async def main(url: str) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--log-level", "ERROR", "--url", url],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=str(ROOT),
    )
    target: Any = url if os.environ.get("VEIL_CONFORMANCE_DIRECT") == "1" else params
    with anyio.fail_after(60):
        async with Client(target, mode="legacy", elicitation_callback=_on_elicit) as client:
            tools = (await client.list_tools()).tools
            for tool in tools:
                await client.call_tool(tool.name, _arguments(tool))


if __name__ == "__main__":
    anyio.run(main, sys.argv[-1])
