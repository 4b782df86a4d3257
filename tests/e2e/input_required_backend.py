"""A real stdio MCP server that asks for input the 2026-07-28 way: an input-required result.

    python tests/e2e/input_required_backend.py

`update_contact(contact_id, email)` answers its first call with `inputRequests` (an elicitation whose
message quotes the contact's email, and a sampling request whose message quotes it too) and a plaintext
`requestState` holding the email and characters a re-serializer would change. The retry must echo that
state byte for byte, or the tool fails; it then reports what it got. Every call is appended as a JSON line
to `$VEIL_EXAMPLE_TRACE` (if set), so a test sees what reached the backend.
"""

from __future__ import annotations

import json
import os
from typing import Any

import anyio
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.types import (
    CallToolRequestParams,
    CallToolResult,
    CreateMessageRequest,
    CreateMessageRequestParams,
    ElicitRequest,
    ElicitRequestFormParams,
    InputRequiredResult,
    ListToolsResult,
    PaginatedRequestParams,
    SamplingMessage,
    TextContent,
    Tool,
)

EMAIL = "jane.miller@acme-plumbing.example"


def state_for(email: str) -> str:
    """The backend's own state: the email, a non-ASCII word, an escaped quote and a lone tab."""
    return '{"email": "' + email + '", "step": 1, "note": "caf\\u00e9 \\"x\\"\t"}'


TOOLS = [
    Tool(
        name="update_contact",
        description="Update a contact after the user confirms.",
        input_schema={
            "type": "object",
            "properties": {"contact_id": {"type": "string"}, "email": {"type": "string"}},
            "required": ["contact_id", "email"],
        },
    )
]


def _trace(record: dict[str, Any]) -> None:
    path = os.environ.get("VEIL_EXAMPLE_TRACE")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")


async def _list_tools(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListToolsResult:
    return ListToolsResult(tools=TOOLS)


async def _call_tool(
    ctx: ServerRequestContext[Any], params: CallToolRequestParams
) -> CallToolResult | InputRequiredResult:
    args = dict(params.arguments or {})
    email = str(args.get("email"))
    responses = {
        k: v.model_dump(mode="json", by_alias=True) for k, v in (params.input_responses or {}).items()
    }
    _trace({"arguments": args, "requestState": params.request_state, "inputResponses": responses})
    if params.request_state is None:
        ask = ElicitRequestFormParams(
            message=f"Update the record of {email}?",
            requested_schema={"type": "object", "properties": {"note": {"type": "string"}}},
        )
        sample = CreateMessageRequestParams(
            messages=[
                SamplingMessage(role="user", content=TextContent(type="text", text=f"Summarize {email}"))
            ],
            max_tokens=50,
        )
        return InputRequiredResult(
            input_requests={
                "confirm": ElicitRequest(params=ask),
                "summary": CreateMessageRequest(params=sample),
            },
            request_state=state_for(email),
        )
    if params.request_state != state_for(email):
        return CallToolResult(content=[TextContent(type="text", text="requestState altered")], is_error=True)
    note = responses.get("confirm", {}).get("content", {}).get("note")
    return CallToolResult(content=[TextContent(type="text", text=f"updated {email}; note: {note}")])


async def _run() -> None:
    server = Server(
        "veil-input-required", version="0.1.0", on_list_tools=_list_tools, on_call_tool=_call_tool
    )
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


if __name__ == "__main__":
    anyio.run(_run)
