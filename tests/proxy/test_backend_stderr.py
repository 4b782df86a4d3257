"""A backend's stderr reaches ours only through the detectors: every planted value, in any line shape and
however the pipe splits it, is replaced by its entity label; what cannot be scanned is withheld."""

from __future__ import annotations

import io
import itertools
import time
from types import SimpleNamespace
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.detect.detector import Detector
from proxy.detect.known import KnownValues
from proxy.policy import load_policy
from proxy.transports import backend_stderr
from proxy.transports.backend_stderr import MAX_LINE_CHARS, NO_DETECTOR, WITHHELD, StderrFilter, redactor

KNOWN_NAME = "Zorbalina Quistwater"  # a value this session tokenized before: matched as known


@pytest.fixture(scope="module")
def session() -> Any:
    known = KnownValues()
    known.add(KNOWN_NAME, "PERSON")
    policy = load_policy()
    return SimpleNamespace(detector=Detector(policy), known=known, policy=policy)


class Pipe:
    """A backend's stderr as the pipe hands it over: these chunks, then end of stream."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def receive(self, max_bytes: int = 65536) -> bytes:
        if not self.chunks:
            raise anyio.EndOfStream
        return self.chunks.pop(0)


def run_filter(scrub: Any, wire: bytes, cuts: list[int]) -> str:
    out = io.StringIO()
    bounds = sorted({0, len(wire), *(c % (len(wire) + 1) for c in cuts)})
    chunks = [wire[a:b] for a, b in itertools.pairwise(bounds)]

    async def main() -> None:
        await StderrFilter(scrub, out).run(Pipe(chunks))  # type: ignore[arg-type]

    anyio.run(main)
    return out.getvalue()


_user = st.text("abcdefghij", min_size=2, max_size=8)
_email = st.builds(lambda u, d: f"{u}.{d}@acme-{d}.example", _user, _user)
_phone = st.builds(
    lambda a, b, c, sep: f"+1 {a}{sep}555{sep}{c:04d}" if b else f"({a}) 555-{c:04d}",
    st.sampled_from(["415", "212", "646"]),
    st.booleans(),
    st.integers(100, 9999),
    st.sampled_from([" ", "-", "."]),
)
_planted = st.one_of(_email, _phone, st.just("DE89370400440532013000"), st.just(KNOWN_NAME))
_filler = st.text(st.characters(codec="ascii", exclude_characters="\n\r"), max_size=40)
_line = st.builds(lambda a, v, b: (f"{a} {v} {b}", v), _filler, _planted, _filler)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_line, min_size=1, max_size=8), st.lists(st.integers(0, 10_000), max_size=6))
def test_a_planted_value_in_any_stderr_line_however_split_is_replaced_by_its_label(session, lines, cuts):
    wire = "".join(text + "\n" for text, _ in lines).encode()
    out = run_filter(redactor(session), wire, cuts)
    for _, value in lines:
        assert value not in out
    written = out.split("\n")[:-1]  # control characters inside a line are shown as `?`
    assert len(written) == len(lines) and all(w.startswith("[backend] ") for w in written)
    assert all("[" in w[len("[backend] ") :] for w in written)  # each line kept, with a label in it


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.integers(MAX_LINE_CHARS + 1, 6 * MAX_LINE_CHARS), _email, st.lists(st.integers(0, 40_000), max_size=4)
)
def test_an_over_long_line_is_cut_to_the_bound_and_what_is_kept_is_scanned(session, length, email, cuts):
    head = ("y" * 50 + " " + email + " ") * (length // 50 + 1)
    wire = (head[:length] + "\nnext line\n").encode()
    out = run_filter(redactor(session), wire, cuts)
    assert email not in out
    first, second = out.splitlines()
    assert len(first) <= len("[backend] ") + MAX_LINE_CHARS + len(" [mcp-veil: line cut]")
    assert first.endswith("[mcp-veil: line cut]") and second == "[backend] next line"


def test_a_line_whose_detection_fails_is_withheld_and_never_written():
    def broken(lines: list[str]) -> list[str]:
        raise RuntimeError("detector down")

    class Failing:
        def detect(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("detector down")

    scrub = redactor(SimpleNamespace(detector=Failing(), known=KnownValues()))  # type: ignore[arg-type]
    out = run_filter(scrub, b"secret jane@acme.example\nother\n", [])
    assert out.splitlines() == ["[backend] " + WITHHELD] * 2


def test_without_a_session_to_scan_for_every_line_is_withheld():
    out = run_filter(redactor(None), b"jane@acme.example\n", [])
    assert out.splitlines() == ["[backend] " + NO_DETECTOR]


def test_a_slow_scan_never_blocks_the_event_loop_and_a_flood_is_bounded(monkeypatch):
    monkeypatch.setattr(backend_stderr, "MAX_PENDING", 50)

    def slow(lines: list[str]) -> list[str]:
        time.sleep(0.3)  # a worker thread's time, not the loop's
        return ["scanned"] * len(lines)

    out = io.StringIO()
    ticks: list[float] = []
    wire = [b"line\n" * 40, b"line\n" * 40, b"line\n" * 40]

    async def main() -> None:
        async def ticker() -> None:
            while True:
                ticks.append(time.monotonic())
                await anyio.sleep(0.01)

        async with anyio.create_task_group() as tg:
            tg.start_soon(ticker)
            await StderrFilter(slow, out).run(Pipe(list(wire)))  # type: ignore[arg-type]
            tg.cancel_scope.cancel()

    anyio.run(main)
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.2  # the loop kept running while lines were scanned
    lines = out.getvalue().splitlines()
    assert lines.count("[backend] scanned") <= 120 and any("dropped" in line for line in lines)


class HeldOpenPipe(Pipe):
    """A pipe whose writer went quiet without closing it (a grandchild still holds the descriptor)."""

    async def receive(self, max_bytes: int = 65536) -> bytes:
        if not self.chunks:
            await anyio.sleep_forever()
        return self.chunks.pop(0)


@pytest.mark.parametrize("pipe_class", [Pipe, HeldOpenPipe])
def test_a_stopped_backends_last_lines_are_written_after_slow_detectors_finish(pipe_class: Any) -> None:
    """A crashing backend's last lines say why; detectors still loading must not cost them."""
    out = io.StringIO()
    lines = [f"line {i}: out of memory" for i in range(5)]

    def slow_scrub(batch: list[str]) -> list[str]:
        time.sleep(1.5)  # longer than the wait for end of file
        return batch

    async def main() -> None:
        filt = StderrFilter(slow_scrub, out)
        pipe = pipe_class(["".join(line + "\n" for line in lines).encode()])
        async with anyio.create_task_group() as tg:
            tg.start_soon(filt.run, pipe)
            await anyio.sleep(0.05)
            await filt.close(eof_grace=0.2, scan_grace=10)
            tg.cancel_scope.cancel()

    anyio.run(main)
    assert out.getvalue().splitlines() == [backend_stderr.PREFIX + line for line in lines]


def test_a_cancelled_filter_lets_shutdown_go_on_at_once() -> None:
    """On SIGTERM the filter's tasks are cancelled: waiting for lines that will never be written would hold
    the proxy's exit for the whole scan grace."""
    out = io.StringIO()

    async def main() -> float:
        filt = StderrFilter(lambda batch: batch, out)
        async with anyio.create_task_group() as tg:
            tg.start_soon(filt.run, HeldOpenPipe([]))
            await anyio.sleep(0.05)
            tg.cancel_scope.cancel()
        started = time.monotonic()
        await filt.close(eof_grace=0.1, scan_grace=30)
        return time.monotonic() - started

    assert anyio.run(main) < 5
