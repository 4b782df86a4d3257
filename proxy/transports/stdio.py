"""Stdio on both sides: the SDK's stdio server toward the client, a subprocess backend."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.server.stdio import stdio_server

from proxy.config import backend_environment
from proxy.relay import Streams


@asynccontextmanager
async def client_front() -> AsyncIterator[Streams]:
    async with stdio_server() as streams:
        yield streams


@asynccontextmanager
async def backend_process(command: Sequence[str]) -> AsyncIterator[Streams]:
    """Spawn the backend: its stderr goes to ours, its stdout is the wire. OSError if it cannot start."""
    params = StdioServerParameters(command=command[0], args=list(command[1:]), env=backend_environment())
    async with stdio_client(params, errlog=sys.stderr) as streams:
        yield streams
