"""Stdio on both sides: the client on our stdin/stdout, the backend as a subprocess.

Both sides are (read, write) pairs the relay drives from its own tasks: a read end is an async iterator
that reads and parses the next line when asked, a write end serializes and writes in the sender's task.
The SDK's stdio transports put a reader task, a writer task and a zero-buffer memory stream on each side:
on a small call those task hand-offs are a large share of the latency a proxy adds.

The SDK's stdin reader runs in a worker thread that cannot be interrupted, so a proxy whose backend has
exited could not end while the client keeps its end open. Our line source is a cancellable asyncio pipe
reader that can be told to stop, that caps a line at the message size limit, and that turns an oversized
line into one marker message the relay answers with an error (the line itself is discarded, never parsed
or forwarded). The backend is started as the SDK's helper would start it (`spawn`: its own session and
process group) and stopped by the SDK's close-stdin / wait / kill-the-tree sequence.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

import anyio
import mcp_types as types
import orjson
from anyio.abc import ByteReceiveStream, ByteSendStream, Process

from proxy.errors import LineTooLong
from proxy.relay import OVERSIZE_METHOD
from proxy.resources import TreeSampler
from proxy.sandbox import SandboxSpec
from proxy.transports import wire
from proxy.transports.backend_lines import ENDS, envelope_id, messages_of_line, parse_line
from proxy.transports.spawn import start_backend

__all__ = ["BackendMessages", "backend_process", "client_front", "parse_line"]
from proxy.transports.backend_stderr import OPENING, StderrFilter, redactor
from proxy.transports.client_writer import LineSender, LineWriter
from proxy.transports.wire import SessionMessage, Streams

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


async def _stdin_reader(limit: int, pending: bytes = b"") -> StdinLines | None:
    """A pipe reader on a duplicate of fd 0, or None where stdin is not a pipe (a regular file). `pending`:
    bytes read from the pipe already (`proxy.early_handshake`), read first."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=limit)
    if pending:
        reader.feed_data(pending)
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
async def client_front(max_line_bytes: int, pending: bytes = b"") -> AsyncIterator[Streams]:
    """The client's side: stdin/stdout. On exit, stops reading so the process can end with the client's
    end still open (the client then sees EOF when the process exits). `pending`: what was read from a
    stdin pipe before (the early handshake's front), read first.

    Messages toward the client are written by our own writer (serialized once with orjson, see
    `client_writer`), not by the SDK's. fd 1 is claimed the SDK's way: the wire moves to a private
    descriptor and fd 1 points at stderr, so stray output from libraries cannot corrupt the wire."""
    lines = await _stdin_reader(max_line_bytes, pending)
    if lines is None and pending:
        raise RuntimeError("bytes read ahead from a stdin that is not a pipe")  # the front reads pipes only
    source: Any = lines if lines is not None else _file_lines()
    out, release = wire.claim_stdout()
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

    def __init__(
        self, stdout: ByteReceiveStream, max_line_bytes: int | None = None, prefix: bytes = b""
    ) -> None:
        self._stdout = stdout
        self._limit = max_line_bytes
        self._buffer = bytearray(prefix)  # read already (the early handshake's front)
        self._scanned = 0  # no newline before this offset of the buffer
        self._skipping = False  # the rest of a line over the limit is being discarded
        self._head = self._tail = b""  # the first and last bytes of a discarded line, for its id
        self._eof = False
        self._batch: deque[SessionMessage | Exception] = deque()  # the rest of a batch line's messages

    def __aiter__(self) -> BackendMessages:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        if self._batch:
            return self._batch.popleft()
        buffer = self._buffer
        while True:
            end = buffer.find(b"\n", self._scanned)
            if end >= 0:
                too_long = self._skipping or (self._limit is not None and end > self._limit)
                with memoryview(buffer) as view:
                    if too_long:
                        head = self._head if self._skipping else bytes(view[:ENDS])
                        tail = (self._tail + bytes(view[max(0, end - ENDS) : end]))[-ENDS:]
                    else:
                        line = bytes(view[:end])
                del buffer[: end + 1]
                self._scanned = 0
                self._skipping = False
                if too_long:
                    return LineTooLong(envelope_id(head, tail))
                items = messages_of_line(line)
                if len(items) > 1:
                    self._batch.extend(items[1:])
                return items[0]
            if self._eof:
                raise StopAsyncIteration
            if self._limit is not None and len(buffer) > self._limit:
                if not self._skipping:
                    self._head = bytes(buffer[:ENDS])
                self._tail = bytes(buffer[-ENDS:])
                buffer.clear()
                self._skipping = True
            self._scanned = len(buffer)
            try:
                buffer += await self._stdout.receive(self.CHUNK)
            except (anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
                self._eof = True


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
    command: Sequence[str],
    sandbox: SandboxSpec | None = None,
    label: str | None = None,
    process: Process | None = None,
    prefix: bytes = b"",
) -> AsyncIterator[Streams]:
    """Spawn the backend: its stdout is the wire; its stderr goes to ours through the detectors of the
    session being opened (`backend_stderr`). OSError if it cannot start.

    With a sandbox spec, the environment is scrubbed as configured and the command runs under the
    launcher that applies the resource limits (inside bubblewrap with `isolate`, `proxy.isolation`).
    `process`: the backend already started by `spawn.start_backend` (`veil run` starts it before loading
    the rest of the proxy); `prefix`: what was read from its stdout already. On exit the SDK's shutdown
    sequence runs (close its stdin, wait briefly, then end its process group), shielded and bounded, while
    its stdout is drained so a backend flushing output can exit. While it runs, its process tree's memory
    and CPU are sampled under `label` (`proxy.resources`), for the session being opened to charge to its
    calls."""
    spec = sandbox or SandboxSpec()
    if process is None:
        process = await start_backend(command, spec)
    assert process.stdin is not None and process.stdout is not None  # spawned with pipes
    write = BackendWriter(process.stdin)
    stderr = StderrFilter(redactor(OPENING.get()), sys.stderr)
    errput = getattr(process, "stderr", None)
    sampler = TreeSampler(process.pid, label or os.path.basename(command[0])).start()
    session = OPENING.get()
    if session is not None:
        session.usage.attach(sampler)
    async with anyio.create_task_group() as errors:
        if errput is not None:
            errors.start_soon(stderr.run, errput)
        else:
            stderr.finished.set()
        try:
            yield BackendMessages(process.stdout, spec.max_line_bytes, prefix), write
        finally:
            await write.aclose()
            with anyio.CancelScope(shield=True):
                async with anyio.create_task_group() as tg:
                    tg.start_soon(_drain, process.stdout)
                    await wire.stop_process(process)
                    tg.cancel_scope.cancel()
                await stderr.close()  # its last lines, scanned
            sampler.stop()
            if session is not None:
                session.usage.detach(sampler)
            errors.cancel_scope.cancel()


async def _drain(stdout: ByteReceiveStream) -> None:
    """Read and discard what a stopping backend still writes (a full pipe would keep it from exiting)."""
    with suppress(anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
        while True:
            await stdout.receive()
