"""2026-07-28 mirrored headers toward an HTTP backend (`proxy.transports.http.mirrored_headers`): a real
MCPServer over Streamable HTTP checks that `Mcp-Method`, `Mcp-Name` and `Mcp-Param-*` match the body
(-32020 otherwise); through `veil serve --url` the client passes a token, the backend gets the real value
in the body and the same real value in the header, and no header ever carries a token."""

from __future__ import annotations

import base64
import json
from typing import Annotated

import anyio
import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from pydantic import Field

from proxy.transports.http import HttpBackend
from tests.http.conftest import http_mcp_server
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
EMAIL = "jane.miller@acme-plumbing.example"
LIMIT = 30.0


def backend(received: list[str]) -> MCPServer:
    server = MCPServer("veil-headers")

    @server.tool()
    def contact() -> str:
        """The contact's email."""
        return EMAIL

    @server.tool()
    def mail(to: Annotated[str, Field(json_schema_extra={"x-mcp-header": "To"})]) -> str:
        """Send a note; `to` is mirrored in the Mcp-Param-To header."""
        received.append(to)
        return "sent"

    return server


def decoded(value: str) -> str:
    if value.startswith("=?base64?") and value.endswith("?="):
        return base64.b64decode(value[len("=?base64?") : -2]).decode()
    return value


@pytest.mark.parametrize("mode", ["2026-07-28", "legacy"])
async def test_a_tokenized_argument_reaches_the_backend_real_in_body_and_header(serve, mode):
    received: list[str] = []
    headers: list[dict[str, str]] = []
    with anyio.fail_after(LIMIT):
        async with (
            http_mcp_server(backend(received), headers_seen=headers) as url,
            serve(HttpBackend(url)) as served,
            Client(served.url, mode=mode) as client,
        ):
            token = (await client.call_tool("contact", {})).content[0].text
            sent = await client.call_tool("mail", {"to": token})
            era = client.protocol_version
    assert TOKEN_RE.fullmatch(token) and not sent.is_error and sent.content[0].text == "sent"
    assert received == [EMAIL] and era == ("2026-07-28" if mode != "legacy" else "2025-11-25")
    assert not any(TOKEN_RE.search(json.dumps(h)) for h in headers)  # no header carried a token
    if mode == "2026-07-28":
        posted = [h for h in headers if h.get("mcp-name") == "mail"]
        assert posted and all(h["mcp-method"] == "tools/call" for h in posted)
        assert decoded(posted[-1]["mcp-param-to"]) == EMAIL
