"""The fixtures the MCP conformance suite's server scenarios ask for, as one low-level MCP server.

    python tests/conformance/fixture_server.py PORT      # Streamable HTTP on 127.0.0.1:PORT/mcp

server-everything lacks most of them (tools, resources and prompts named `test_*`), so the suite can only
exercise logging, progress, sampling, elicitation, resources, prompts and completions through mcp-veil
against a server that has them. Written from the suite's own scenario descriptions; the content is fixed
and carries no personal data, so the suite's checks see through the proxy what they see directly.
"""

from __future__ import annotations

import base64
import json
import sys
import warnings
from typing import Any

import anyio
import uvicorn
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.transport_security import TransportSecuritySettings
from mcp.shared.exceptions import MCPDeprecationWarning
from mcp.types import (
    AudioContent,
    BlobResourceContents,
    CallToolRequestParams,
    CallToolResult,
    CompleteRequestParams,
    CompleteResult,
    Completion,
    EmbeddedResource,
    EmptyResult,
    GetPromptRequestParams,
    GetPromptResult,
    ImageContent,
    ListPromptsResult,
    ListResourcesResult,
    ListResourceTemplatesResult,
    ListToolsResult,
    PaginatedRequestParams,
    Prompt,
    PromptArgument,
    PromptMessage,
    ReadResourceRequestParams,
    ReadResourceResult,
    Resource,
    ResourceTemplate,
    SamplingMessage,
    SetLevelRequestParams,
    SubscribeRequestParams,
    TextContent,
    TextResourceContents,
    Tool,
    UnsubscribeRequestParams,
)

# A 1x1 red PNG and a 1-sample silent WAV.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
WAV = base64.b64encode(
    b"RIFF"
    + (38).to_bytes(4, "little")
    + b"WAVEfmt "
    + (16).to_bytes(4, "little")
    + (1).to_bytes(2, "little")
    + (1).to_bytes(2, "little")
    + (8000).to_bytes(4, "little")
    + (16000).to_bytes(4, "little")
    + (2).to_bytes(2, "little")
    + (16).to_bytes(2, "little")
    + b"data"
    + (2).to_bytes(4, "little")
    + b"\x00\x00"
).decode()

EMPTY: dict[str, Any] = {"type": "object", "properties": {}}


def _tool(name: str, description: str, schema: dict[str, Any] | None = None) -> Tool:
    return Tool(name=name, description=description, input_schema=schema or EMPTY)


def _strings(*names: str) -> dict[str, Any]:
    return {"type": "object", "properties": {n: {"type": "string"} for n in names}, "required": list(names)}


TOOLS = [
    _tool("test_simple_text", "Returns simple text"),
    _tool("test_image_content", "Returns an image"),
    _tool("test_audio_content", "Returns audio"),
    _tool("test_embedded_resource", "Returns an embedded resource"),
    _tool("test_multiple_content_types", "Returns text, an image and a resource"),
    _tool("test_tool_with_logging", "Sends three log messages while it runs"),
    _tool("test_error_handling", "Always fails"),
    _tool("test_tool_with_progress", "Reports progress"),
    _tool("test_sampling", "Asks the client's LLM", _strings("prompt")),
    _tool("test_elicitation", "Asks the user", _strings("message")),
    _tool("test_elicitation_sep1034_defaults", "Asks the user, with defaults"),
    _tool("test_elicitation_sep1330_enums", "Asks the user, with every enum form"),
    _tool(
        "json_schema_2020_12_tool",
        "Tool with JSON Schema 2020-12 features",
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "$defs": {
                "address": {
                    "type": "object",
                    "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
                }
            },
            "properties": {"name": {"type": "string"}, "address": {"$ref": "#/$defs/address"}},
            "additionalProperties": False,
        },
    ),
]


def _text(text: str, *, is_error: bool = False) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=is_error)


async def _list_tools(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListToolsResult:
    return ListToolsResult(tools=TOOLS)


async def _log(ctx: ServerRequestContext[Any], text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MCPDeprecationWarning)
        await ctx.session.send_log_message(
            level="info", data=text, logger="fixtures", related_request_id=ctx.request_id
        )


async def _call_tool(ctx: ServerRequestContext[Any], params: CallToolRequestParams) -> CallToolResult:
    args = dict(params.arguments or {})
    match params.name:
        case "test_simple_text":
            return _text("This is a simple text response for testing.")
        case "test_image_content":
            return CallToolResult(content=[ImageContent(type="image", data=PNG, mime_type="image/png")])
        case "test_audio_content":
            return CallToolResult(content=[AudioContent(type="audio", data=WAV, mime_type="audio/wav")])
        case "test_embedded_resource":
            resource = TextResourceContents(
                uri="test://embedded-resource",
                mime_type="text/plain",
                text="This is an embedded resource content.",
            )
            return CallToolResult(content=[EmbeddedResource(type="resource", resource=resource)])
        case "test_multiple_content_types":
            resource = TextResourceContents(
                uri="test://mixed-content-resource",
                mime_type="application/json",
                text=json.dumps({"test": "data", "value": 123}),
            )
            return CallToolResult(
                content=[
                    TextContent(type="text", text="Multiple content types test:"),
                    ImageContent(type="image", data=PNG, mime_type="image/png"),
                    EmbeddedResource(type="resource", resource=resource),
                ]
            )
        case "test_tool_with_logging":
            for i, text in enumerate(
                ("Tool execution started", "Tool processing data", "Tool execution completed")
            ):
                if i:
                    await anyio.sleep(0.05)
                await _log(ctx, text)
            return _text("Logging tool executed")
        case "test_error_handling":
            return _text("This tool intentionally returns an error for testing", is_error=True)
        case "test_tool_with_progress":
            for i, step in enumerate((0, 50, 100)):
                if i:
                    await anyio.sleep(0.05)
                await ctx.session.report_progress(step, 100)
            return _text("Progress tool executed")
        case "test_sampling":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MCPDeprecationWarning)
                reply = await ctx.session.create_message(
                    [
                        SamplingMessage(
                            role="user", content=TextContent(type="text", text=str(args.get("prompt")))
                        )
                    ],
                    max_tokens=100,
                    related_request_id=ctx.request_id,
                )
            text = reply.content.text if isinstance(reply.content, TextContent) else str(reply.content)
            return _text(f"LLM response: {text}")
        case "test_elicitation":
            schema = {
                "type": "object",
                "properties": {
                    "username": {"type": "string", "description": "User's response"},
                    "email": {"type": "string", "description": "User's email address"},
                },
                "required": ["username", "email"],
            }
            return await _elicit(ctx, str(args.get("message")), schema, "User response")
        case "test_elicitation_sep1034_defaults":
            schema = {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "default": "John Doe"},
                    "age": {"type": "integer", "default": 30},
                    "score": {"type": "number", "default": 95.5},
                    "status": {
                        "type": "string",
                        "enum": ["active", "inactive", "pending"],
                        "default": "active",
                    },
                    "verified": {"type": "boolean", "default": True},
                },
            }
            return await _elicit(ctx, "Please confirm your details", schema, "Elicitation completed")
        case "test_elicitation_sep1330_enums":
            schema = {
                "type": "object",
                "properties": {
                    "untitledSingle": {"type": "string", "enum": ["option1", "option2", "option3"]},
                    "titledSingle": {
                        "type": "string",
                        "oneOf": [
                            {"const": "value1", "title": "First Option"},
                            {"const": "value2", "title": "Second Option"},
                            {"const": "value3", "title": "Third Option"},
                        ],
                    },
                    "legacyEnum": {
                        "type": "string",
                        "enum": ["opt1", "opt2", "opt3"],
                        "enumNames": ["Option One", "Option Two", "Option Three"],
                    },
                    "untitledMulti": {
                        "type": "array",
                        "items": {"type": "string", "enum": ["option1", "option2", "option3"]},
                    },
                    "titledMulti": {
                        "type": "array",
                        "items": {
                            "anyOf": [
                                {"const": "value1", "title": "First Choice"},
                                {"const": "value2", "title": "Second Choice"},
                                {"const": "value3", "title": "Third Choice"},
                            ]
                        },
                    },
                },
            }
            return await _elicit(ctx, "Please choose", schema, "Elicitation completed")
        case "json_schema_2020_12_tool":
            return _text("ok")
        case _:
            return _text(f"Unknown tool: {params.name}", is_error=True)


async def _elicit(
    ctx: ServerRequestContext[Any], message: str, schema: dict[str, Any], label: str
) -> CallToolResult:
    result = await ctx.session.elicit_form(message, schema, related_request_id=ctx.request_id)  # type: ignore[arg-type]
    content = json.dumps(result.content) if result.content is not None else "{}"
    return _text(f"{label}: action={result.action}, content={content}")


RESOURCES = [
    Resource(
        uri="test://static-text",
        name="static-text",
        description="A static text resource",
        mime_type="text/plain",
    ),
    Resource(
        uri="test://static-binary",
        name="static-binary",
        description="A static binary resource",
        mime_type="image/png",
    ),
    Resource(uri="test://watched-resource", name="watched", description="A resource to subscribe to"),
]


async def _list_resources(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListResourcesResult:
    return ListResourcesResult(resources=RESOURCES)


async def _list_templates(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListResourceTemplatesResult:
    template = ResourceTemplate(
        uri_template="test://template/{id}/data",
        name="template",
        description="Data by id",
        mime_type="application/json",
    )
    return ListResourceTemplatesResult(resource_templates=[template])


async def _read_resource(
    ctx: ServerRequestContext[Any], params: ReadResourceRequestParams
) -> ReadResourceResult:
    uri = str(params.uri)
    if uri == "test://static-text":
        text = "This is the content of the static text resource."
        return ReadResourceResult(contents=[TextResourceContents(uri=uri, mime_type="text/plain", text=text)])
    if uri == "test://static-binary":
        return ReadResourceResult(contents=[BlobResourceContents(uri=uri, mime_type="image/png", blob=PNG)])
    if uri.startswith("test://template/") and uri.endswith("/data"):
        ident = uri.removeprefix("test://template/").removesuffix("/data")
        text = json.dumps({"id": ident, "templateTest": True, "data": f"Data for ID: {ident}"})
        return ReadResourceResult(
            contents=[TextResourceContents(uri=uri, mime_type="application/json", text=text)]
        )
    return ReadResourceResult(
        contents=[TextResourceContents(uri=uri, mime_type="text/plain", text="watched")]
    )


async def _subscribe(ctx: ServerRequestContext[Any], params: SubscribeRequestParams) -> EmptyResult:
    return EmptyResult()


async def _unsubscribe(ctx: ServerRequestContext[Any], params: UnsubscribeRequestParams) -> EmptyResult:
    return EmptyResult()


PROMPTS = [
    Prompt(name="test_simple_prompt", description="A simple prompt"),
    Prompt(
        name="test_prompt_with_arguments",
        description="A prompt with arguments",
        arguments=[
            PromptArgument(name="arg1", description="First test argument", required=True),
            PromptArgument(name="arg2", description="Second test argument", required=True),
        ],
    ),
    Prompt(
        name="test_prompt_with_embedded_resource",
        description="A prompt with an embedded resource",
        arguments=[
            PromptArgument(name="resourceUri", description="URI of the resource to embed", required=True)
        ],
    ),
    Prompt(name="test_prompt_with_image", description="A prompt with an image"),
]


async def _list_prompts(
    ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
) -> ListPromptsResult:
    return ListPromptsResult(prompts=PROMPTS)


def _user(content: Any) -> PromptMessage:
    return PromptMessage(role="user", content=content)


async def _get_prompt(ctx: ServerRequestContext[Any], params: GetPromptRequestParams) -> GetPromptResult:
    args = params.arguments or {}
    match params.name:
        case "test_simple_prompt":
            messages = [_user(TextContent(type="text", text="This is a simple prompt for testing."))]
        case "test_prompt_with_arguments":
            text = f"Prompt with arguments: arg1='{args.get('arg1')}', arg2='{args.get('arg2')}'"
            messages = [_user(TextContent(type="text", text=text))]
        case "test_prompt_with_embedded_resource":
            resource = TextResourceContents(
                uri=str(args.get("resourceUri")),
                mime_type="text/plain",
                text="Embedded resource content for testing.",
            )
            messages = [
                _user(EmbeddedResource(type="resource", resource=resource)),
                _user(TextContent(type="text", text="Please process the embedded resource above.")),
            ]
        case "test_prompt_with_image":
            messages = [
                _user(ImageContent(type="image", data=PNG, mime_type="image/png")),
                _user(TextContent(type="text", text="Please analyze the image above.")),
            ]
        case _:
            messages = []
    return GetPromptResult(messages=messages)


async def _complete(ctx: ServerRequestContext[Any], params: CompleteRequestParams) -> CompleteResult:
    words = ["paris", "park", "party", "test", "testing"]
    values = [w for w in words if w.startswith(params.argument.value)]
    return CompleteResult(completion=Completion(values=values, total=len(values), has_more=False))


async def _set_level(ctx: ServerRequestContext[Any], params: SetLevelRequestParams) -> EmptyResult:
    return EmptyResult()


def build_server() -> Server[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MCPDeprecationWarning)
        return Server(
            "veil-conformance-fixtures",
            version="0.1.0",
            on_list_tools=_list_tools,
            on_call_tool=_call_tool,
            on_list_resources=_list_resources,
            on_list_resource_templates=_list_templates,
            on_read_resource=_read_resource,
            on_subscribe_resource=_subscribe,
            on_unsubscribe_resource=_unsubscribe,
            on_list_prompts=_list_prompts,
            on_get_prompt=_get_prompt,
            on_completion=_complete,
            on_set_logging_level=_set_level,
        )


def main(port: int) -> None:
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*"],
    )
    app = build_server().streamable_http_app(transport_security=security)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]))
