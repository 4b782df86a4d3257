"""In-memory transport pairs, for fast tests of the relay without processes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mcp.shared.memory import create_client_server_memory_streams

from proxy.relay import Streams


@asynccontextmanager
async def memory_link() -> AsyncIterator[tuple[Streams, Streams]]:
    """(one end, other end): what one side writes, the other reads."""
    async with create_client_server_memory_streams() as (a, b):
        yield a, b
