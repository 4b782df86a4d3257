"""A real stdio MCP server whose tool declares a strict `outputSchema` and returns personal data in it.

    python tests/e2e/typed_output_backend.py

`contact` returns one record whose fields are typed so that a token would fail the original schema: an
`integer` customer id, an email with `format: email`, a phone with a `pattern`, a name with a `maxLength`,
a contact email drawn from an `enum`, and a list of emails. Run as a script (not a package module): the
tests start it the way a client's config would.
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
    ListToolsResult,
    PaginatedRequestParams,
    TextContent,
    Tool,
)

RECORD: dict[str, Any] = {
    "customerId": 7157461338,
    "email": "jane.miller@acme-plumbing.example",
    "phone": "+1 415 555 0134",
    "name": "Jane Miller",
    "owner": "ops.lead@acme-plumbing.example",
    "cc": ["ann.lee@acme-plumbing.example", "bo.chan@acme-plumbing.example"],
    "status": "active",
}

OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "customerId": {"type": "integer", "minimum": 1},
        "email": {"type": "string", "format": "email"},
        "phone": {"type": "string", "pattern": r"^\+[0-9 ]{7,20}$"},
        "name": {"type": "string", "maxLength": 12},
        "owner": {"enum": ["ops.lead@acme-plumbing.example", "desk@acme-plumbing.example"]},
        "cc": {"type": "array", "items": {"type": "string", "format": "email", "maxLength": 40}},
        "status": {"enum": ["active", "paused"]},
    },
    "required": ["customerId", "email", "phone", "name", "owner", "cc", "status"],
    "additionalProperties": False,
}

TOOLS = [
    Tool(
        name="contact",
        description="The account's contact record.",
        input_schema={"type": "object", "properties": {}},
        output_schema=OUTPUT_SCHEMA,
    )
]


async def _list_tools(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListToolsResult:
    return ListToolsResult(tools=TOOLS)


async def _call_tool(ctx: ServerRequestContext[Any], params: CallToolRequestParams) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text="one contact record")], structured_content=dict(RECORD)
    )


async def _run() -> None:
    server = Server("veil-typed-output", version="0.1.0", on_list_tools=_list_tools, on_call_tool=_call_tool)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


if __name__ == "__main__":
    anyio.run(_run)
