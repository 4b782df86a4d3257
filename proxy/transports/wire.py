"""The wire, in one place: the stream types every transport passes around, how a message is parsed and
dumped, and the adapter to the MCP SDK's internals.

The SDK has no public API for some of what the transports need: its message wrapper, its stdio line
parser (so a line we do not parse ourselves is accepted or refused exactly as the SDK would), its process
helpers (close stdin, wait, end the process tree), and the type of an httpx client factory. They are
private (`_`-prefixed) and may change between SDK releases, so they are reached only through this module:
an SDK upgrade that moves one breaks here, not across the transports (`tests/proxy/test_wire.py` holds
the copies below to the SDK's originals).

Start time. The SDK's `mcp` and `mcp_types` packages import their whole client, server and protocol
models (three quarters of a second of CPU); the stdio relay needs the JSON-RPC envelope and the message
wrapper only, and `veil run` answers `initialize` sooner without the rest. So this module reaches them
the light way (`proxy.transports.light_sdk`), imports the rest of the SDK only where it is used (the HTTP
transports; `load_sdk_stdio`, which the runner calls in the background once the handshake is answered),
and holds two small copies: the SDK's one-line stdio parser and its POSIX fd claim.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from types import ModuleType
from typing import TYPE_CHECKING, Any, BinaryIO

from proxy.transports import light_sdk

if TYPE_CHECKING:
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
    "load_sdk_stdio",
    "sdk_parse_line",
    "sse_frame",
    "stop_process",
]


if not TYPE_CHECKING:  # the light way in: see proxy.transports.light_sdk
    types = light_sdk.mcp_types_envelope()
    _message = light_sdk.session_message()
    SessionMessage = _message.SessionMessage
    ServerMessageMetadata = _message.ServerMessageMetadata

# (read stream of SessionMessage | Exception, write stream of SessionMessage)
Streams = tuple[Any, Any]
# What a read end yields: a message, or the Exception a line that is not one became.
Item = SessionMessage | Exception

# The SDK gives a backend 2 s to exit on EOF before terminating its process tree. A client that is leaving
# (or a supervisor sending SIGTERM) gives the proxy about that long in all, so a backend that ignores EOF
# would outlive us; keep the wait short.
PROCESS_TERMINATION_TIMEOUT = 0.5


class _OncePerInterval(logging.Filter):
    """The SDK's parser logs every line it refuses; the relay reports those lines itself, at most once per
    interval with a count (a backend printing garbage would flood the log otherwise)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Failed to parse JSONRPC message from server"


logging.getLogger("mcp.client.stdio").addFilter(_OncePerInterval())

_sdk_stdio_lock = threading.Lock()


def load_sdk_stdio() -> ModuleType:
    """The SDK's stdio client module (its process helpers), imported on first use with our shorter
    termination wait. Slow the first time (the whole SDK): the runner calls it in a worker thread once the
    handshake is answered, so a stopping proxy does not pay for it."""
    with _sdk_stdio_lock:
        import mcp.client.stdio as sdk_stdio

        sdk_stdio.PROCESS_TERMINATION_TIMEOUT = PROCESS_TERMINATION_TIMEOUT
        return sdk_stdio


def sdk_parse_line(text: str) -> SessionMessage | Exception:
    """One stdio line parsed as the SDK's stdio client parses it (`mcp.client.stdio._parse_line`, whose log
    line the filter above drops): a message, or the Exception it refused it with."""
    try:
        message = types.jsonrpc_message_adapter.validate_json(text, by_name=False)
    except ValueError as exc:
        return exc
    return SessionMessage(message)


def dump(msg: types.JSONRPCMessage) -> str:
    """A message as the SDK's transports serialize it (aliases, unset fields left out)."""
    return msg.model_dump_json(by_alias=True, exclude_unset=True)


def sse_frame(msg: types.JSONRPCMessage) -> bytes:
    """One SSE `message` event carrying a message."""
    return f"event: message\r\ndata: {dump(msg)}\r\n\r\n".encode()


def claim_stdout() -> tuple[BinaryIO, Callable[[], None] | None]:
    """fd 1 claimed the SDK's way (`mcp.server.stdio._claim_fd`, POSIX): the wire moves to a private
    descriptor and fd 1 points at stderr, so stray output from libraries cannot corrupt the wire. (the
    wire's file, how to give fd 1 back). Best effort, as the SDK's: where a descriptor cannot be
    duplicated or diverted, the wire is served in place from `sys.stdout`'s buffer."""
    try:
        in_place = sys.stdout.buffer.fileno() != 1
    except (AttributeError, OSError, ValueError):
        in_place = True
    if in_place:
        return sys.stdout.buffer, None
    try:
        private = fcntl.fcntl(1, fcntl.F_DUPFD_CLOEXEC, 3)  # never lands in the standard range
    except OSError:
        return sys.stdout.buffer, None

    def release() -> None:
        with suppress(OSError):
            os.dup2(private, 1)

    try:
        diversion = os.dup(2)
    except OSError:
        try:
            diversion = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            return sys.stdout.buffer, release
    try:
        os.dup2(diversion, 1)
    except OSError:
        release()
        return sys.stdout.buffer, release
    finally:
        with suppress(OSError):
            os.close(diversion)
    # closefd=False: a worker thread may still block on this descriptor after the front exits, so it must
    # never be closed and recycled under it (the SDK's reason too).
    return os.fdopen(private, "wb", closefd=False), release


async def stop_process(process: Any) -> None:
    """The SDK's shutdown sequence: close the backend's stdin, wait briefly, then end its process group."""
    await load_sdk_stdio()._stop_server_process(process)


def __getattr__(name: str) -> Any:
    """`McpHttpClientFactory`, the SDK's type of an httpx client factory, for the HTTP transport: looked up
    only there (its module imports the whole SDK)."""
    if name == "McpHttpClientFactory":
        from mcp.shared._httpx_utils import McpHttpClientFactory

        return McpHttpClientFactory
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
