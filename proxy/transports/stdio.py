"""Stdio on both sides: the SDK's stdio server toward the client, a subprocess backend.

The SDK's `stdio_server` reads stdin through a worker thread that cannot be interrupted, so a proxy whose
backend has exited could not end while the client keeps its end open. We hand it our own line source: a
cancellable asyncio pipe reader that can be told to stop, that caps a line at the message size limit, and
that turns an oversized line into one marker message the relay answers with an error (the line itself is
discarded, never parsed or forwarded).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import anyio
import mcp.client.stdio as sdk_stdio
import mcp.server.stdio as sdk_server_stdio
import mcp_types as types
import orjson
import pydantic_core
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage

from proxy.config import SECRET_ENV
from proxy.relay import OVERSIZE_METHOD, Streams
from proxy.sandbox import SandboxSpec, backend_env, launcher_command
from proxy.transports.client_writer import write_messages

# The SDK gives a backend 2 s to exit on EOF before terminating its process tree. A client that is leaving
# (or a supervisor sending SIGTERM) gives the proxy about that long in all, so a backend that ignores EOF
# would outlive us; keep the wait short.
sdk_stdio.PROCESS_TERMINATION_TIMEOUT = 0.5

_sdk_parse_line = sdk_stdio._parse_line


def parse_line(line: str) -> SessionMessage | Exception:
    """A backend's stdout line, parsed to Python objects first; pydantic then checks only the envelope.

    The SDK's own parser (pydantic validating from JSON) cost about 2.5x a plain orjson parse+serialize on
    a 5 MB result, most of the proxy's time on a large response. Here the line is read by pydantic-core's
    JSON parser (the one `validate_json` uses, as fast as orjson with its string cache, and exact where
    orjson is not: integers past 64 bits, NaN) and the payload (`params`/`result`, typed `dict[str, Any]`)
    is handed over as built. What it refuses (a lone surrogate escape, bad JSON) and what is not a valid
    envelope goes to the SDK's parser, so those lines are accepted or refused exactly as before.
    """
    try:
        doc = pydantic_core.from_json(line)
        return SessionMessage(types.jsonrpc_message_adapter.validate_python(doc, by_name=False))
    except ValueError:
        return _sdk_parse_line(line)


# The SDK's stdout reader looks `_parse_line` up in its module on every line (checked by a test).
sdk_stdio._parse_line = parse_line

OVERSIZE_LINE = '{"jsonrpc":"2.0","method":"' + OVERSIZE_METHOD + '"}\n'
# The SDK's parser accepts NaN and ±Infinity, which JSON does not: such a line is answered as a parse error.
NOT_JSON_LINE = "\x00 not JSON\n"
_NON_JSON_NUMBERS = re.compile(rb"NaN|Infinity")


class StdinLines:
    """Async iterator of stdin lines (str), cancellable, stoppable, size-capped."""

    def __init__(self, reader: asyncio.StreamReader, limit: int) -> None:
        self._reader = reader
        self._limit = limit
        self._stopped = False
        self._reading: anyio.CancelScope | None = None

    def stop(self) -> None:
        """End the iteration, also while a read is waiting (the read is cancelled; unread data stays)."""
        self._stopped = True
        if self._reading is not None:
            self._reading.cancel()

    def __aiter__(self) -> StdinLines:
        return self

    async def __anext__(self) -> str:
        # A cancel scope per line, not a task group: this is on the path of every request.
        line: bytes | None = None
        if not self._stopped:
            with anyio.CancelScope() as self._reading:
                line = await self._readline()
            self._reading = None
        if line is None or self._stopped:
            raise StopAsyncIteration
        if _NON_JSON_NUMBERS.search(line):
            try:
                orjson.loads(line)
            except orjson.JSONDecodeError:
                return NOT_JSON_LINE
        return line.decode("utf-8", errors="replace")

    async def _readline(self) -> bytes | None:
        try:
            return await self._reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            return exc.partial or None  # EOF (a last line without a newline still counts)
        except asyncio.LimitOverrunError as exc:
            await self._discard_line(exc.consumed)
            return OVERSIZE_LINE.encode()

    async def _discard_line(self, consumed: int) -> None:
        while True:
            if consumed:
                await self._reader.readexactly(consumed)
            try:
                await self._reader.readuntil(b"\n")
                return
            except asyncio.IncompleteReadError:
                return
            except asyncio.LimitOverrunError as exc:
                consumed = exc.consumed


async def _stdin_reader(limit: int) -> StdinLines | None:
    """A pipe reader on a duplicate of fd 0, or None where stdin is not a pipe (a regular file)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=limit)
    pipe = os.fdopen(os.dup(0), "rb", buffering=0)
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), pipe)
    except ValueError:
        pipe.close()
        return None
    return StdinLines(reader, limit)


@asynccontextmanager
async def client_front(max_line_bytes: int) -> AsyncIterator[Streams]:
    """The client's side: stdin/stdout. On exit, stops reading so the process can end with the client's
    end still open (the client then sees EOF when the process exits).

    Messages toward the client are written by our own writer (serialized once with orjson, see
    `client_writer`), not by the SDK's. fd 1 is claimed the SDK's way: the wire moves to a private
    descriptor and fd 1 points at stderr, so stray output from libraries cannot corrupt the wire."""
    lines = await _stdin_reader(max_line_bytes)
    stdin: Any = lines if lines is not None else None
    out, release = sdk_server_stdio._claim_fd(
        1, sys.stdout, "wb", sdk_server_stdio._open_stdout_diversion
    )
    try:
        # The SDK's writer is handed the same wire but is never sent anything; its stream is closed below.
        sdk_stdout = anyio.wrap_file(sdk_server_stdio._UnownedTextWrapper(out, encoding="utf-8"))
        async with stdio_server(stdin=stdin, stdout=sdk_stdout) as (read, sdk_write):
            send, receive = anyio.create_memory_object_stream[SessionMessage](0)
            async with anyio.create_task_group() as tg:
                tg.start_soon(write_messages, receive, out)
                try:
                    yield read, send
                finally:
                    await send.aclose()
                    await sdk_write.aclose()
                    if lines is not None:
                        lines.stop()
                    # Let the reader finish its pending hand-over, then see the stop and end.
                    with anyio.move_on_after(5):
                        async for _ in read:
                            pass
    finally:
        if release is not None:
            release()


@asynccontextmanager
async def backend_process(
    command: Sequence[str], sandbox: SandboxSpec | None = None
) -> AsyncIterator[Streams]:
    """Spawn the backend: its stderr goes to ours, its stdout is the wire. OSError if it cannot start.

    With a sandbox spec, the environment is scrubbed as configured and the command runs under the
    launcher that applies the resource limits."""
    spec = sandbox or SandboxSpec()
    argv = launcher_command(spec, command)
    if shutil.which(command[0]) is None:
        raise FileNotFoundError(2, "No such file or directory", command[0])  # the launcher would hide it
    env = backend_env(spec, os.environ, SECRET_ENV)
    # Bytes that are not UTF-8 become U+FFFD (then scanned like any text): with the SDK's default, strict
    # decoding, one such byte ended the reader and with it the session.
    params = StdioServerParameters(
        command=argv[0], args=list(argv[1:]), env=env, encoding_error_handler="replace"
    )
    async with stdio_client(params, errlog=sys.stderr) as streams:
        yield streams
