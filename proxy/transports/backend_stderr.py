"""A backend's stderr, through the detectors, to ours.

MCP clients store a server's stderr in log files: a backend that logs "user jane@acme.example called"
would put the value there, past every scan. Each stderr line goes through the session's detector (its
recognizers and the values this session already tokenized) and every span found is replaced by its entity
label, `[EMAIL_ADDRESS]` — redaction, not tokens: a log line needs no round trip, and creating tokens would
write to the vault and the audit trail for every debug line. Detection runs in a worker thread, never on
the event loop; lines are cut at `MAX_LINE_CHARS`, and a backend that writes faster than `MAX_PENDING`
lines can be scanned loses the excess (counted and reported, never passed unscanned). A line whose
detection fails, or a backend with no session to scan for, gets a value-free notice instead (fail closed).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, TextIO

import anyio
from anyio.abc import ByteReceiveStream

from proxy.detect.deadline import Deadline
from proxy.detect.spans import replace_spans

if TYPE_CHECKING:
    from proxy.session import ProxySession

log = logging.getLogger(__name__)

# The session whose backends are being opened: set by `veil run` and by the HTTP front's session opener,
# read in the same task by the multiplexing opener and by a backend process's stderr filter.
OPENING: ContextVar[ProxySession | None] = ContextVar("veil_opening_session", default=None)

MAX_LINE_CHARS = 4096
MAX_PENDING = 1000  # lines read but not yet scanned; beyond, lines are dropped (counted)
DETECTION_SECONDS = 5.0  # per batch of lines
EOF_GRACE_SECONDS = 1.0  # after the backend stopped, for its stderr to reach end of file
SCAN_GRACE_SECONDS = 15.0  # then for the lines read to be scanned (detectors may still be loading)
PREFIX = "[backend] "
WITHHELD = "[mcp-veil: a backend stderr line was withheld: scanning it failed]"
CUT = " [mcp-veil: line cut]"
NO_DETECTOR = "[mcp-veil: a backend stderr line was withheld: no detector for it]"

Scrub = Callable[[list[str]], list[str]]
# Control characters (terminal escapes, line separators) are shown as `?`: a log line stays one line.
_CONTROLS = {c: "?" for c in [*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F, 0x85, 0x2028, 0x2029]}


def redactor(session: ProxySession | None) -> Scrub:
    """Lines → the same lines with every detected value replaced by `[ENTITY]`; a notice per line where
    detection fails or there is no session (never the line)."""
    if session is None:
        return lambda lines: [NO_DETECTOR for _ in lines]

    def scrub(lines: list[str]) -> list[str]:
        try:
            found = session.detector.detect(lines, session.known, Deadline(DETECTION_SECONDS))
        except Exception as exc:
            log.warning("backend stderr withheld: detection failed", extra={"error": type(exc).__name__})
            return [WITHHELD for _ in lines]
        out = []
        for line in lines:
            spans = found.get(line)
            out.append(replace_spans(line, spans, [f"[{s.entity}]" for s in spans]) if spans else line)
        return out

    return scrub


class StderrFilter:
    """Read a backend's stderr, scan it line by line in worker threads, write what is left to `out`."""

    def __init__(self, scrub: Scrub, out: TextIO) -> None:
        self._scrub = scrub
        self._out = out
        self._pending: list[tuple[str, bool]] = []  # (line, whether it was cut)
        self._ready = anyio.Event()
        self._done = False
        self.finished = anyio.Event()  # every line read has been written
        self._eof = anyio.Event()
        self.dropped = 0
        self._dropped_reported = 0.0

    async def run(self, stream: ByteReceiveStream) -> None:
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(self._write_loop)
                await self._read_loop(stream)
                self._eof.set()
                self._done = True
                self._ready.set()
        finally:
            self.finished.set()  # also when cancelled: nothing more will be written, so nobody waits

    async def close(
        self, eof_grace: float = EOF_GRACE_SECONDS, scan_grace: float = SCAN_GRACE_SECONDS
    ) -> None:
        """Once the backend has stopped: wait briefly for its stderr to end (a grandchild may hold it open),
        then for every line read so far to be scanned and written.

        The two waits are apart because they fail differently: an open pipe is the backend's business and
        is not worth a long wait, while scanning the last lines may wait for detectors still loading in
        the background (the last lines of a crashing backend are the ones that say why)."""
        with anyio.move_on_after(eof_grace):
            await self._eof.wait()
        self._done = True
        self._ready.set()
        with anyio.move_on_after(scan_grace):
            await self.finished.wait()

    async def _read_loop(self, stream: ByteReceiveStream) -> None:
        buffer = bytearray()
        skipping = False  # the rest of an over-long line is being discarded
        while True:
            try:
                chunk = await stream.receive(65536)
            except (anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
                break
            buffer += chunk
            while (end := buffer.find(b"\n")) >= 0:
                line = bytes(buffer[:end])
                del buffer[: end + 1]
                if skipping:
                    skipping = False
                    continue
                self._add(line)
            if len(buffer) > MAX_LINE_CHARS * 4:  # bytes: up to 4 per character
                if not skipping:
                    self._add(bytes(buffer), cut=True)
                buffer.clear()
                skipping = True
        if buffer and not skipping:
            self._add(bytes(buffer))

    def _add(self, line: bytes, cut: bool = False) -> None:
        text = line.decode("utf-8", errors="replace").rstrip("\r")
        if len(text) > MAX_LINE_CHARS:
            text, cut = text[:MAX_LINE_CHARS], True
        if cut:
            # The word the cut went through is dropped too: a value cut in half may not look like one.
            text = text[: max(0, max(text.rfind(" "), text.rfind("\t")))]
        if len(self._pending) >= MAX_PENDING:
            self.dropped += 1
            return
        self._pending.append((text, cut))
        self._ready.set()

    async def _write_loop(self) -> None:
        while True:
            await self._ready.wait()
            self._ready = anyio.Event()
            batch, self._pending = self._pending, []
            last = self._done and not self._pending
            if batch or self.dropped:
                # Scanning and writing both in a worker thread: a stalled stderr never stalls the loop.
                await anyio.to_thread.run_sync(self._scrub_and_write, batch, last)
            if last:
                self.finished.set()
                return

    def _scrub_and_write(self, batch: list[tuple[str, bool]], last: bool) -> None:
        if batch:
            lines = self._scrub([text for text, _ in batch])
            self._write([line + CUT if cut else line for line, (_, cut) in zip(lines, batch, strict=True)])
        self._report_dropped(force=last)

    def _write(self, lines: Sequence[str]) -> None:
        try:
            self._out.write("".join(PREFIX + line.translate(_CONTROLS) + "\n" for line in lines))
            self._out.flush()
        except (OSError, ValueError):
            pass  # our stderr is gone: nothing to tell

    def _report_dropped(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.dropped and (force or now - self._dropped_reported >= 1.0):
            self._write(
                [f"[mcp-veil: {self.dropped} backend stderr line(s) dropped: written faster than scanned]"]
            )
            self.dropped = 0
            self._dropped_reported = now
