"""2026-07-28 mirrored headers toward an HTTP backend, written from the body the backend actually gets.

On the 2026-07-28 HTTP wire a request repeats parts of its body in headers: `Mcp-Method`, `Mcp-Name` (a
tool's, prompt's or resource's name) and `Mcp-Param-*` (the arguments a tool's input schema marks with
`x-mcp-header`), beside `Mcp-Protocol-Version`. A server rejects a request whose headers disagree with
its body (-32020). The proxy changes bodies — a token in the client's arguments becomes the real value —
so headers copied from the client would either mismatch or carry a token to the backend. They are never
copied: each request toward the backend gets its headers computed here from the message as it leaves the
proxy (after detokenize), with the SDK's own encoders, so header and body agree by construction. The
tools' `x-mcp-header` maps are learnt from the backend's own `tools/list` results (the real schemas).
A handshake-era request (no protocol version in `_meta`) gets none.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import mcp_types as types
from mcp.shared.inbound import (
    MCP_METHOD_HEADER,
    MCP_NAME_HEADER,
    MCP_PROTOCOL_VERSION_HEADER,
    NAME_BEARING_METHODS,
    encode_header_value,
    mcp_param_headers,
    x_mcp_header_map,
)
from mcp.shared.message import ClientMessageMetadata, SessionMessage

VERSION_META_KEY = types.PROTOCOL_VERSION_META_KEY


class MirroredHeaders:
    """One backend connection's tool header maps and the headers of each request."""

    def __init__(self) -> None:
        self.header_maps: dict[str, dict[tuple[str, ...], str]] = {}
        self._listing: set[Any] = set()  # ids of tools/list requests in flight

    def headers_for(self, msg: Any) -> dict[str, str] | None:
        """The mirrored headers of a request toward the backend, or None (not a 2026-07-28 request)."""
        if not isinstance(msg, types.JSONRPCRequest) or not isinstance(msg.params, dict):
            return None
        meta = msg.params.get("_meta")
        version = meta.get(VERSION_META_KEY) if isinstance(meta, dict) else None
        if not isinstance(version, str):
            return None
        if msg.method == "tools/list":
            self._listing.add(msg.id)
        headers = {MCP_PROTOCOL_VERSION_HEADER: version, MCP_METHOD_HEADER: msg.method}
        name_key = NAME_BEARING_METHODS.get(msg.method)
        if name_key is not None and isinstance(name := msg.params.get(name_key), str):
            headers[MCP_NAME_HEADER] = encode_header_value(name)
        if msg.method == "tools/call" and isinstance(name := msg.params.get("name"), str):
            arguments = msg.params.get("arguments")
            header_map = self.header_maps.get(name)
            if header_map and isinstance(arguments, dict):
                headers.update(mcp_param_headers(header_map, arguments))
        return headers

    def observe(self, msg: Any) -> None:
        """A message from the backend: a tools/list answer teaches the tools' `x-mcp-header` maps."""
        if not isinstance(msg, types.JSONRPCResponse | types.JSONRPCError) or msg.id not in self._listing:
            return
        self._listing.discard(msg.id)
        result = msg.result if isinstance(msg, types.JSONRPCResponse) else None
        tools = result.get("tools") if isinstance(result, dict) else None
        for tool in tools if isinstance(tools, list) else ():
            if isinstance(tool, dict) and isinstance(tool.get("name"), str):
                try:
                    self.header_maps[tool["name"]] = x_mcp_header_map(tool.get("inputSchema"))
                except Exception:  # a malformed schema: no param headers for that tool
                    self.header_maps.pop(tool["name"], None)


class HeaderedWriter:
    """The write stream toward the backend, stamping each request with its mirrored headers."""

    def __init__(self, inner: Any, mirrored: MirroredHeaders) -> None:
        self._inner = inner
        self._mirrored = mirrored

    async def send(self, item: SessionMessage) -> None:
        headers = self._mirrored.headers_for(item.message)
        if headers is not None:
            item = SessionMessage(item.message, metadata=ClientMessageMetadata(headers=headers))
        await self._inner.send(item)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


async def observed(read: Any, mirrored: MirroredHeaders) -> AsyncIterator[Any]:
    """The read stream from the backend, showing each message to `mirrored` first."""
    async for item in read:
        if isinstance(item, SessionMessage):
            mirrored.observe(item.message)
        yield item
