"""Spans and how overlapping detections are merged into one non-overlapping list."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    entity: str
    score: float


def merge_spans(spans: list[Span]) -> list[Span]:
    """Resolve overlaps by union: spans that overlap (share at least one character) become one span
    covering all of them, with the entity and score of the best of them (higher score, then longer, then
    earlier). No character any detector found is ever left bare: dropping the lower-scored of two
    overlapping spans (`AcmeCorp` known, glued to `jane@x.com`; a phone overlapping a customer ID) would
    leave the part of it outside the kept one readable. Spans that merely touch stay apart. The result
    is sorted by start offset, non-overlapping, ready for left-to-right replacement.
    """
    if len(spans) <= 1:
        return spans
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    out: list[Span] = []
    group = [ordered[0]]
    end = ordered[0].end
    for s in ordered[1:]:
        if s.start < end:
            group.append(s)
            end = max(end, s.end)
            continue
        out.append(_union(group, end))
        group = [s]
        end = s.end
    out.append(_union(group, end))
    return out


def _union(group: list[Span], end: int) -> Span:
    if len(group) == 1:
        return group[0]
    best = min(group, key=lambda s: (-s.score, -(s.end - s.start), s.start))
    return Span(group[0].start, end, best.entity, best.score)


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


def without_edge_blanks(text: str, spans: list[Span]) -> list[Span]:
    """`spans` without the white space at either end: no value starts or ends with a blank, and a span that
    took one (a view that joined `… / 0044 20 …` across the list's separator) would swallow the blank that
    keeps a token apart from what stands before it."""
    out = []
    for s in spans:
        start, end = s.start, s.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(s if (start, end) == (s.start, s.end) else Span(start, end, s.entity, s.score))
    return out
