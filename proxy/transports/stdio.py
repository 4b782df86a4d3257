"""Stdio on both sides: the client on our stdin/stdout, the backend as a subprocess.

Both sides are (read, write) pairs the relay drives from its own tasks: a read end is an async iterator
that reads and parses the next line when asked, a write end serializes and writes in the sender's task.
The SDK's stdio transports put a reader task, a writer task and a zero-buffer memory stream on each side:
on a small call those task hand-offs were about a quarter of the latency the proxy added (~0.25 ms).

The SDK's stdin reader runs in a worker thread that cannot be interrupted, so a proxy whose backend has
exited could not end while the client keeps its end open. Our line source is a cancellable asyncio pipe
reader that can be told to stop, that caps a line at the message size limit, and that turns an oversized
line into one marker message the relay answers with an error (the line itself is discarded, never parsed
or forwarded). The backend is spawned and stopped by the SDK's own process helpers (its kill scope, the
close-stdin / wait / kill-the-tree sequence).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

import anyio
import mcp.client.stdio as sdk_stdio
import mcp.server.stdio as sdk_server_stdio
import mcp_types as types
import orjson
import pydantic_core
from anyio.abc import ByteReceiveStream, ByteSendStream
from mcp.shared.message import SessionMessage

from proxy.config import SECRET_ENV
from proxy.errors import LineTooLong
from proxy.relay import OVERSIZE_METHOD, Streams
from proxy.sandbox import SandboxSpec, backend_env, launcher_command
from proxy.transports.client_writer import LineSender, LineWriter

# The SDK gives a backend 2 s to exit on EOF before terminating its process tree. A client that is leaving
# (or a supervisor sending SIGTERM) gives the proxy about that long in all, so a backend that ignores EOF
# would outlive us; keep the wait short.
sdk_stdio.PROCESS_TERMINATION_TIMEOUT = 0.5

_sdk_parse_line = sdk_stdio._parse_line


def parse_line(line: bytes | str) -> SessionMessage | Exception:
    """A backend's stdout line, parsed to Python objects first; pydantic then checks only the envelope.

    The SDK's own parser (pydantic validating from JSON) cost about 2.5x a plain orjson parse+serialize on
    a 5 MB result, most of the proxy's time on a large response. Here the line is read by pydantic-core's
    JSON parser (the one `validate_json` uses, as fast as orjson with its string cache, and exact where
    orjson is not: integers past 64 bits, NaN) and the payload (`params`/`result`, typed `dict[str, Any]`)
    is handed over as built. What it refuses (a lone surrogate escape, bad JSON, bytes that are not UTF-8)
    and what is not a valid envelope goes to the SDK's parser, with bytes that are not UTF-8 read as U+FFFD
    (then scanned like any text), so those lines are accepted or refused exactly as the SDK would.
    """
    try:
        doc = pydantic_core.from_json(line)
        return SessionMessage(types.jsonrpc_message_adapter.validate_python(doc, by_name=False))
    except ValueError:
        text = line if isinstance(line, str) else line.decode("utf-8", errors="replace")
        return _sdk_parse_line(text)


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


class ClientMessages:
    """The read end of the stdio front: the client's next line, parsed (as the SDK's stdio server parses
    it: what it refuses arrives as the Exception, for the relay to answer) in the reader's own task."""

    def __init__(self, lines: AsyncIterable[str]) -> None:
        self._lines = aiter(lines)

    def __aiter__(self) -> ClientMessages:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        line = await self._lines.__anext__()
        try:
            return SessionMessage(types.jsonrpc_message_adapter.validate_json(line, by_name=False))
        except Exception as exc:
            return exc


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


def _file_lines() -> Any:
    """Where stdin is a regular file: its lines, read in worker threads (a file never waits)."""
    text = open(os.dup(0), encoding="utf-8", errors="replace", closefd=True)  # noqa: SIM115 - closed below
    return anyio.wrap_file(text)


@asynccontextmanager
async def client_front(max_line_bytes: int) -> AsyncIterator[Streams]:
    """The client's side: stdin/stdout. On exit, stops reading so the process can end with the client's
    end still open (the client then sees EOF when the process exits).

    Messages toward the client are written by our own writer (serialized once with orjson, see
    `client_writer`), not by the SDK's. fd 1 is claimed the SDK's way: the wire moves to a private
    descriptor and fd 1 points at stderr, so stray output from libraries cannot corrupt the wire."""
    lines = await _stdin_reader(max_line_bytes)
    source: Any = lines if lines is not None else _file_lines()
    out, release = sdk_server_stdio._claim_fd(1, sys.stdout, "wb", sdk_server_stdio._open_stdout_diversion)
    write = LineWriter(out)
    try:
        yield ClientMessages(source), write
    finally:
        await write.aclose()
        if lines is not None:
            lines.stop()
        else:
            with anyio.CancelScope(shield=True):
                await source.aclose()
        if release is not None:
            release()


class BackendMessages:
    """The read end of a backend process: its next stdout line, parsed (`parse_line`) in the reader's own
    task. A line is split on bytes and parsed as bytes: a large result is never copied into a str first.
    A line longer than `max_line_bytes` is discarded as it arrives (memory stays bounded) and reported as
    one LineTooLong item, naming the request it answers where its ends say; a last line without a newline
    is dropped at EOF, as the SDK's reader drops it."""

    CHUNK = 1 << 20

    def __init__(self, stdout: ByteReceiveStream, max_line_bytes: int | None = None) -> None:
        self._stdout = stdout
        self._limit = max_line_bytes
        self._buffer = bytearray()
        self._scanned = 0  # no newline before this offset of the buffer
        self._skipping = False  # the rest of a line over the limit is being discarded
        self._head = self._tail = b""  # the first and last bytes of a discarded line, for its id
        self._eof = False

    def __aiter__(self) -> BackendMessages:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        buffer = self._buffer
        while True:
            end = buffer.find(b"\n", self._scanned)
            if end >= 0:
                too_long = self._skipping or (self._limit is not None and end > self._limit)
                with memoryview(buffer) as view:
                    if too_long:
                        head = self._head if self._skipping else bytes(view[:_ENDS])
                        tail = (self._tail + bytes(view[max(0, end - _ENDS) : end]))[-_ENDS:]
                    else:
                        line = bytes(view[:end])
                del buffer[: end + 1]
                self._scanned = 0
                self._skipping = False
                if too_long:
                    return LineTooLong(_envelope_id(head, tail))
                return parse_line(line)
            if self._eof:
                raise StopAsyncIteration
            if self._limit is not None and len(buffer) > self._limit:
                if not self._skipping:
                    self._head = bytes(buffer[:_ENDS])
                self._tail = bytes(buffer[-_ENDS:])
                buffer.clear()
                self._skipping = True
            self._scanned = len(buffer)
            try:
                buffer += await self._stdout.receive(self.CHUNK)
            except (anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
                self._eof = True


# The id of a line too long to parse, read off its ends: `{"jsonrpc":"2.0","id":…` first (the Python SDK's
# order) or `…,"id":…}` last (the TypeScript SDK's). A quote inside a JSON string is escaped, so `"id"`
# here is a key; anchored at the line's very start or end, it is the envelope's own.
_ENDS = 256
_ID_VALUE = rb'(-?\d{1,19}|"(?:[^"\\]|\\.){0,128}")'
_HEAD_ID = re.compile(rb'^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*' + _ID_VALUE)
_TAIL_ID = re.compile(rb'"id"\s*:\s*' + _ID_VALUE + rb"\s*\}\s*$")


def _envelope_id(head: bytes, tail: bytes) -> Any:
    match = _HEAD_ID.match(head) or _TAIL_ID.search(tail)
    if match is None:
        return None
    try:
        return orjson.loads(match.group(1))
    except orjson.JSONDecodeError:
        return None


class BackendWriter(LineSender):
    """Toward a backend process, into its stdin stream: one `write` per line, so lines from several
    senders never interleave."""

    def __init__(self, stdin: ByteSendStream) -> None:
        super().__init__()
        self._stdin = stdin

    async def _write(self, data: bytes) -> None:
        await self._stdin.send(data)


@asynccontextmanager
async def backend_process(
    command: Sequence[str], sandbox: SandboxSpec | None = None
) -> AsyncIterator[Streams]:
    """Spawn the backend: its stderr goes to ours, its stdout is the wire. OSError if it cannot start.

    With a sandbox spec, the environment is scrubbed as configured and the command runs under the
    launcher that applies the resource limits. On exit the SDK's shutdown sequence runs (close its stdin,
    wait briefly, then end its process group), shielded and bounded, while its stdout is drained so a
    backend flushing output can exit."""
    spec = sandbox or SandboxSpec()
    argv = launcher_command(spec, command)
    if shutil.which(command[0]) is None:
        raise FileNotFoundError(2, "No such file or directory", command[0])  # the launcher would hide it
    env = backend_env(spec, os.environ, SECRET_ENV)
    process = await sdk_stdio._create_platform_compatible_process(
        command=argv[0], args=list(argv[1:]), env=sdk_stdio.get_default_environment() | env, errlog=sys.stderr
    )
    assert process.stdin is not None and process.stdout is not None  # spawned with pipes
    write = BackendWriter(process.stdin)
    try:
        yield BackendMessages(process.stdout, spec.max_line_bytes), write
    finally:
        await write.aclose()
        with anyio.CancelScope(shield=True):
            async with anyio.create_task_group() as tg:
                tg.start_soon(_drain, process.stdout)
                await sdk_stdio._stop_server_process(process)
                tg.cancel_scope.cancel()


async def _drain(stdout: ByteReceiveStream) -> None:
    """Read and discard what a stopping backend still writes (a full pipe would keep it from exiting)."""
    with suppress(anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
        while True:
            await stdout.receive()
