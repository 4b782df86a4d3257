"""The wire, in one place: the stream types every transport passes around, how a message is parsed and
dumped, and the adapter to the MCP SDK's internals.

The SDK has no public API for some of what the transports need: its stdio line parser (so a line we do
not parse ourselves is accepted or refused exactly as the SDK would), its process helpers (spawn in a
kill scope; close stdin, wait, end the process tree), its claim of fd 1 for the wire, and the type of an
httpx client factory. They are private (`_`-prefixed) and may change between SDK releases, so they are
reached only through this module: an SDK upgrade that moves one breaks here, not across the transports.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

import mcp.client.stdio as sdk_stdio
import mcp.server.stdio as sdk_server_stdio
import mcp_types as types
from mcp.shared._httpx_utils import McpHttpClientFactory
from mcp.shared.message import ServerMessageMetadata, SessionMessage

__all__ = [
    "Item",
    "McpHttpClientFactory",
    "ServerMessageMetadata",
    "SessionMessage",
    "Streams",
    "claim_stdout",
    "dump",
    "sdk_parse_line",
    "sse_frame",
    "stop_process",
]

# (read stream of SessionMessage | Exception, write stream of SessionMessage)
Streams = tuple[Any, Any]
# What a read end yields: a message, or the Exception a line that is not one became.
Item = SessionMessage | Exception

# The SDK gives a backend 2 s to exit on EOF before terminating its process tree. A client that is leaving
# (or a supervisor sending SIGTERM) gives the proxy about that long in all, so a backend that ignores EOF
# would outlive us; keep the wait short.
sdk_stdio.PROCESS_TERMINATION_TIMEOUT = 0.5


class _OncePerInterval(logging.Filter):
    """The SDK's parser logs every line it refuses; the relay reports those lines itself, at most once per
    interval with a count (a backend printing garbage would flood the log otherwise)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Failed to parse JSONRPC message from server"


logging.getLogger(sdk_stdio.__name__).addFilter(_OncePerInterval())


def sdk_parse_line(text: str) -> SessionMessage | Exception:
    """One stdio line parsed by the SDK's own parser: a message, or the Exception it refused it with."""
    return sdk_stdio._parse_line(text)


def dump(msg: types.JSONRPCMessage) -> str:
    """A message as the SDK's transports serialize it (aliases, unset fields left out)."""
    return msg.model_dump_json(by_alias=True, exclude_unset=True)


def sse_frame(msg: types.JSONRPCMessage) -> bytes:
    """One SSE `message` event carrying a message."""
    return f"event: message\r\ndata: {dump(msg)}\r\n\r\n".encode()


def claim_stdout() -> tuple[BinaryIO, Callable[[], None] | None]:
    """fd 1 claimed the SDK's way: the wire moves to a private descriptor and fd 1 points at stderr, so
    stray output from libraries cannot corrupt the wire. (the wire's file, how to give fd 1 back)"""
    return sdk_server_stdio._claim_fd(1, sys.stdout, "wb", sdk_server_stdio._open_stdout_diversion)


async def stop_process(process: Any) -> None:
    """The SDK's shutdown sequence: close the backend's stdin, wait briefly, then end its process group."""
    await sdk_stdio._stop_server_process(process)
