"""Spans and how overlapping detections are merged into one non-overlapping list."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    entity: str
    score: float


def merge_spans(spans: list[Span]) -> list[Span]:
    """Resolve overlaps: the higher score wins, then the longer span, then the earlier one.

    Greedy over spans sorted by preference; a span is kept only if it overlaps nothing kept so far. The
    result is sorted by start offset, ready for left-to-right replacement.
    """
    if len(spans) <= 1:
        return spans
    ordered = sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start))
    kept: list[Span] = []
    for s in ordered:
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    kept.sort(key=lambda s: s.start)
    return kept


def replace_spans(text: str, spans: list[Span], tokens: list[str]) -> str:
    """`text` with each (sorted, non-overlapping) span replaced by its token."""
    out: list[str] = []
    pos = 0
    for span, token in zip(spans, tokens, strict=True):
        out.append(text[pos : span.start])
        out.append(token)
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
