"""A backend's stderr, through the detectors, to ours.

MCP clients store a server's stderr in log files: a backend that logs "user jane@acme.example called"
would put the value there, past every scan. Each stderr line goes through the session's detector (its
recognizers and the values this session already tokenized), and a structured log line's `"key": value`
pairs through the same key rules a result's JSON gets (`_keyed`: a pino or structlog line naming an account
under `descriptiveName` holds no shape a text detector reads); every span found is replaced by its entity
label, `[EMAIL_ADDRESS]` — redaction, not tokens: a log line needs no round trip, and creating tokens would
write to the vault and the audit trail for every debug line. Detection runs in a worker thread, never on
the event loop; lines are cut at `MAX_LINE_CHARS`, and a backend that writes faster than `MAX_PENDING`
lines can be scanned loses the excess (counted and reported, never passed unscanned). A line whose
detection fails, or a backend with no session to scan for, gets a value-free notice instead (fail closed).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, TextIO

import anyio
import orjson
from anyio.abc import ByteReceiveStream

from proxy.detect.deadline import Deadline
from proxy.detect.known import KnownValues
from proxy.detect.spans import merge_spans, replace_spans
from proxy.scan.to_client import ToClientWalker

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
            deadline = Deadline(DETECTION_SECONDS)
            found = session.detector.detect(lines, session.known, deadline)
            keyed = _keyed(session, lines)
            if keyed:
                more = session.detector.detect_known(lines, _known(keyed), deadline)
                for line, spans in more.items():
                    found[line] = merge_spans([*found.get(line, ()), *spans])
        except Exception as exc:
            log.warning("backend stderr withheld: detection failed", extra={"error": type(exc).__name__})
            return [WITHHELD for _ in lines]
        out = []
        for line in lines:
            spans = found.get(line) or []
            if spans:
                line = replace_spans(line, spans, [f"[{s.entity}]" for s in spans])
            out.append(_keyed_left(line, keyed) if keyed else line)
        return out

    return scrub


_SEPARATORS = re.compile(r"[-./:()+]+")
_GROUP_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-./:()+")


def _is_group(word: str) -> bool:
    """A word that may be a group of a value written in groups (`4132`, `DE68`, `NWBK`, `(206)`, `555-`):
    letters and digits in short runs between separators, holding a digit or only capitals."""
    if not word or len(word) > 24 or not set(word) <= _GROUP_CHARS:
        return False
    parts = [p for p in _SEPARATORS.split(word) if p]
    return (
        bool(parts)
        and all(len(p) <= 8 for p in parts)
        and (any(c.isdigit() for c in word) or all(p.isupper() and len(p) <= 4 for p in parts))
    )


def cut_back(text: str) -> str:
    """A cut line, back to where no value can stand cut: the word the cut went through, then every word
    before it that may be a group of a value written in groups (a card or an IBAN in groups of four would
    keep its first groups otherwise, which no longer pass their checksum and so are no longer detected)."""
    words = text.split()
    if words and not text[-1].isspace():
        words.pop()  # the word the cut went through
    while words and _is_group(words[-1]):
        words.pop()
    if not words:
        return ""
    # Back to the end of the last word kept, in the line as written (its own spacing kept).
    end, pos = 0, 0
    for word in words:
        pos = text.index(word, pos)
        end = pos = pos + len(word)
    return text[:end]


def _keyed(session: ProxySession, lines: list[str]) -> list[tuple[str, str]]:
    """(entity, value) of the pairs of these lines a key rule names (a field rule of the policy, digit
    context, a person-name or org key: `KeyedText.pair_entity`, as for a result's text), in any notation
    `keyed_text` reads: JSON, quoted logfmt, a Python `repr`, an encoded layer (its own joined scan is the
    prefilter). Matched as known values of this batch alone: a log line is redacted, nothing is learnt
    into the session."""
    policy = session.policy
    return ToClientWalker(policy, policy.rules_for_tool(None)).keyed(lines)


def _known(pairs: list[tuple[str, str]]) -> KnownValues:
    known = KnownValues()
    for entity, value in pairs:
        known.add(value, entity)
    return known


def _keyed_left(line: str, keyed: list[tuple[str, str]]) -> str:
    """Fail closed: a keyed value the known-value matcher did not find (shorter than it matches, written
    with JSON escapes) is replaced where it still stands, as written or JSON-escaped."""
    for entity, value in keyed:
        for form in {value, orjson.dumps(value).decode()[1:-1]}:
            if len(form) >= 2 and form in line:
                line = line.replace(form, f"[{entity}]")
    return line


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
            text = cut_back(text)
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
