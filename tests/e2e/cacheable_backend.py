"""A real stdio MCP server whose list and read results are marked `cacheScope: "public"` (2026-07-28).

    python tests/e2e/cacheable_backend.py

`resources/list` names a contact by email, `resources/read` returns the contact's email: both carry
personal data the proxy tokenizes. `tools/list` carries none. Every result says `public` with a minute's
`ttlMs`, as a server whose data is the same for every user would.
"""

from __future__ import annotations

from typing import Any

import anyio
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.types import (
    CallToolRequestParams,
    CallToolResult,
    ListResourcesResult,
    ListToolsResult,
    PaginatedRequestParams,
    ReadResourceRequestParams,
    ReadResourceResult,
    Resource,
    TextContent,
    TextResourceContents,
    Tool,
)

EMAIL = "jane.miller@acme-plumbing.example"
URI = "crm://contacts/1"
TTL_MS = 60_000


async def _list_resources(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListResourcesResult:
    resource = Resource(uri=URI, name="contact", description=f"Contact card of {EMAIL}")
    return ListResourcesResult(resources=[resource], ttl_ms=TTL_MS, cache_scope="public")


async def _read_resource(
    ctx: ServerRequestContext[Any], params: ReadResourceRequestParams
) -> ReadResourceResult:
    contents = [TextResourceContents(uri=URI, mime_type="text/plain", text=f"Email: {EMAIL}")]
    return ReadResourceResult(contents=contents, ttl_ms=TTL_MS, cache_scope="public")


async def _list_tools(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListToolsResult:
    tool = Tool(name="ping", description="Answer pong.", input_schema={"type": "object"})
    return ListToolsResult(tools=[tool], ttl_ms=TTL_MS, cache_scope="public")


async def _call_tool(ctx: ServerRequestContext[Any], params: CallToolRequestParams) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text="pong")])


async def _run() -> None:
    server = Server(
        "veil-cacheable",
        version="0.1.0",
        on_list_resources=_list_resources,
        on_read_resource=_read_resource,
        on_list_tools=_list_tools,
        on_call_tool=_call_tool,
    )
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


if __name__ == "__main__":
    anyio.run(_run)
