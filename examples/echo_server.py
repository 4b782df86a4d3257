"""A tiny low-level MCP server for end-to-end tests of the proxy: it hands back what it was given.

    python -m examples.echo_server

Tools:
    echo(text)                 -> the text verbatim (text content)
    echo_json(payload)         -> the string as-is, so JSON carried inside text can be tested
    whoami()                   -> a fixed record with a name, email, phone, IBAN and customer id
                                  (JSON text + structuredContent)
    slow_echo(text, steps)     -> the text, after `steps` rounds of a `notifications/message` log entry and a
                                  `notifications/progress` update that both quote the text
    echo_error(text)           -> an isError tool result whose message quotes the text
    echo_rpc_error(text)       -> a JSON-RPC error whose message quotes the text

Log entries reach the client on handshake-era connections (after any `logging/setLevel`), and on 2026-07-28
connections only for requests that opt in through `_meta` (`Client(log_level=...)`). Progress is sent only
when the request carries a progress token. Logs of this process go to stderr only.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import anyio
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPDeprecationWarning, MCPError
from mcp.types import (
    INVALID_PARAMS,
    CallToolRequestParams,
    CallToolResult,
    EmptyResult,
    ListToolsResult,
    PaginatedRequestParams,
    SetLevelRequestParams,
    TextContent,
    Tool,
)

__all__ = ["WHOAMI", "build_server", "main"]

WHOAMI: dict[str, Any] = {
    "fullName": "Jane Miller",
    "email": "jane.miller@acme-plumbing.example",
    "phoneNumber": "+1 415 555 0134",
    "iban": "DE89 3704 0044 0532 0130 00",
    "customerId": "7157461338",
    "company": "Acme Plumbing LLC",
    "role": "Office Manager",
}


def _text_schema(*names: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {n: {"type": "string"} for n in names}
    props.update(extra or {})
    return {"type": "object", "properties": props, "required": list(props)}


TOOLS = [
    Tool(name="echo", description="Return the text verbatim.", input_schema=_text_schema("text")),
    Tool(
        name="echo_json",
        description="Return the payload string as-is (use it to send JSON inside a text block).",
        input_schema=_text_schema("payload"),
    ),
    Tool(
        name="whoami",
        description="Return the caller's fixed profile record.",
        input_schema={"type": "object", "properties": {}},
    ),
    Tool(
        name="slow_echo",
        description="Return the text after `steps` log and progress notifications that quote it.",
        input_schema=_text_schema("text", extra={"steps": {"type": "integer", "minimum": 0, "maximum": 100}}),
    ),
    Tool(
        name="echo_error",
        description="Fail as a tool error whose message quotes the text.",
        input_schema=_text_schema("text"),
    ),
    Tool(
        name="echo_rpc_error",
        description="Fail as a JSON-RPC error whose message quotes the text.",
        input_schema=_text_schema("text"),
    ),
]


def _text(text: str, *, is_error: bool = False) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=is_error)


def _arg(arguments: dict[str, Any], name: str) -> str:
    value = arguments.get(name)
    if not isinstance(value, str):
        raise MCPError(code=INVALID_PARAMS, message=f"argument {name!r} must be a string")
    return value


async def _list_tools(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListToolsResult:
    return ListToolsResult(tools=TOOLS)


async def _set_level(ctx: ServerRequestContext[Any], params: SetLevelRequestParams) -> EmptyResult:
    return EmptyResult()  # the session applies handshake-era levels itself; accepting the request is enough


async def _slow_echo(ctx: ServerRequestContext[Any], text: str, steps: int) -> CallToolResult:
    for step in range(1, steps + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MCPDeprecationWarning)
            await ctx.session.send_log_message(
                level="info",
                data=f"slow_echo step {step}/{steps}: {text}",
                logger="echo",
                related_request_id=ctx.request_id,
            )
        await ctx.session.report_progress(step, steps, f"echoing {text}")
        await anyio.sleep(0.01)
    return _text(text)


async def _call_tool(ctx: ServerRequestContext[Any], params: CallToolRequestParams) -> CallToolResult:
    args = dict(params.arguments or {})
    match params.name:
        case "echo":
            return _text(_arg(args, "text"))
        case "echo_json":
            return _text(_arg(args, "payload"))
        case "whoami":
            return CallToolResult(
                content=[TextContent(type="text", text=json.dumps(WHOAMI))], structured_content=dict(WHOAMI)
            )
        case "slow_echo":
            steps = args.get("steps", 3)
            if not isinstance(steps, int) or isinstance(steps, bool) or not 0 <= steps <= 100:
                raise MCPError(code=INVALID_PARAMS, message="argument 'steps' must be an integer in 0..100")
            return await _slow_echo(ctx, _arg(args, "text"), steps)
        case "echo_error":
            return _text(f"echo_error refused: {_arg(args, 'text')}", is_error=True)
        case "echo_rpc_error":
            raise MCPError(code=INVALID_PARAMS, message=f"echo_rpc_error refused: {_arg(args, 'text')}")
        case _:
            return _text(f"Unknown tool: {params.name}", is_error=True)


def build_server() -> Server[Any]:
    """The echo server, ready for `Client(server)` in-process or `server.run(...)` on any streams."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MCPDeprecationWarning)  # on_set_logging_level: kept for old clients
        return Server(
            "veil-example-echo",
            version="0.1.0",
            on_list_tools=_list_tools,
            on_call_tool=_call_tool,
            on_set_logging_level=_set_level,
        )


async def _run() -> None:
    server = build_server()
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def main() -> None:
    anyio.run(_run)


if __name__ == "__main__":
    main()
