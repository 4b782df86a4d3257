"""The spans a backwards reading found (`reordered.mirrored`), judged and mapped to the text as written.

Apart from `reordered` because judging needs the recognizers' guards (Presidio's side of the detector),
which the views must not import.
"""

from __future__ import annotations

import re

from proxy.detect.known import KnownValues
from proxy.detect.recognizers import guard
from proxy.detect.reordered import CHECKSUMMED, flip, inside_number
from proxy.detect.spans import Span
from proxy.detect.view_map import View

# A card read backwards is taken when it reads the way cards are written: one run, or groups of four
# (Amex 4-6-5) with one separator; digits in other groups are an identifier's, read backwards
# (`ORD-2024-8365467346`).
_CARD_WRITTEN = re.compile(r"\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{4,5}")


def backwards_spans(
    backwards: str, view: View, analyzed: list[Span], known: KnownValues | None
) -> list[Span]:
    """`analyzed` (Presidio's spans in `view`, the normalized view of `backwards`) and the known values in
    `view`, in the coordinates of the text as written (`backwards` read backwards). Each judged by the
    guards: a checksummed kind as it reads backwards (its checksum, its label), and not inside a number as
    written (`0.6102…` backwards passes Luhn by chance); any other kind as it stands written (an amount or
    a version stays one)."""
    found = [Span(*view.span(s.start, s.end), s.entity, s.score) for s in analyzed]
    text, n = backwards[::-1], len(backwards)
    out = [
        s
        for s in flip(found, backwards)
        if (
            guard(backwards, n - s.end, n - s.start, s.entity) is not None
            and not inside_number(text, s.start, s.end)
            and (s.entity != "CREDIT_CARD" or _card_written(backwards[n - s.end : n - s.start]))
            if s.entity in CHECKSUMMED
            else guard(text, s.start, s.end, s.entity) is not None
        )
    ]
    if known is not None:  # a known value a tool wrote backwards, whatever its kind
        out += [Span(n - s.end, n - s.start, s.entity, s.score) for s in known.find(view)]
    return out


def _card_written(value: str) -> bool:
    return _CARD_WRITTEN.fullmatch(value) is not None
