"""The tokenize path as the Tokenize stage runs it: detect, then replace spans with tokens."""

from __future__ import annotations

from proxy.detect.detector import Detector
from proxy.detect.known import KnownValues
from proxy.detect.spans import replace_spans


def tokenized(
    detector: Detector, text: str, known: KnownValues | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """The text the client would get (each span a `[[ENTITY:n]]` token) and the replaced ranges."""
    spans = detector.detect([text], known).get(text, [])
    tokens = [f"[[{s.entity}:{i}]]" for i, s in enumerate(spans)]
    return replace_spans(text, spans, tokens), [(s.start, s.end) for s in spans]


def survives(
    detector: Detector, text: str, start: int, end: int, known: KnownValues | None = None, *, slack: int = 0
) -> str:
    """'' when the value at [start, end) is inside one replaced span; else what the client gets.

    `slack`: how many characters at the value's edges may stay outside the span. Under stacked encodings an
    escape's own delimiter can be encoded apart from it (`&#109=3B`: the `;` of `&#109;` in
    quoted-printable) and stay, carrying nothing of the value."""
    out, ranges = tokenized(detector, text, known)
    if any(a <= start + slack and end - slack <= b and b - a >= (end - start) - slack for a, b in ranges):
        return ""
    return out
