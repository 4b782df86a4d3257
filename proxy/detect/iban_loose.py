"""IBANs however they are written: any case, bare or grouped by spaces or dashes (`gb82 west 1234 5698 7654
32`, `DE89-3704-0044-0532-0130-00`, `fr7630006000011234567890189`).

Presidio's IBAN recognizer reads upper case with spaces only. Here a candidate is two letters and two check
digits, then letters and digits, with at most one space or dash between any two (`NL5 9CB LC2 807 …`); it is
an IBAN when, read upper case without its separators, it has the country's length (the ISO 13616 registry's)
and passes the mod-97 check (one random string in 97 does). The candidate ends where a group ends, so the
words after an IBAN (`… 32 for refunds`) are never taken into it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.checksums import IBAN_LENGTHS, is_iban

_START = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z])[ \-./]?([A-Za-z])[ \-./]?\d[ \-./]?\d(?=[ \-./]?[A-Za-z0-9])"
)
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SEPARATORS = frozenset(" -./")  # the checksum and length decide; dots and strokes group pairs too
MIN_LENGTH, MAX_LENGTH = 15, 34
SCORE = 1.0  # checksum and structure validated, as Presidio scores its own (a tie goes to the longer span)


def iban_end(text: str, start: int) -> int | None:
    """Where the IBAN starting at `start` ends (exclusive), or None: the characters are walked one group at a
    time and each group end is tried as the IBAN's end."""
    compact: list[str] = []
    pos, n = start, len(text)
    while pos < n and len(compact) <= MAX_LENGTH:
        ch = text[pos]
        if ch in _ALNUM:
            compact.append(ch.upper())
            pos += 1
            at_group_end = pos == n or text[pos] not in _ALNUM
            if at_group_end and len(compact) >= MIN_LENGTH and is_iban("".join(compact)):
                return pos
        elif ch in _SEPARATORS and pos + 1 < n and text[pos + 1] in _ALNUM:
            pos += 1
        else:
            break
    return None


class LooseIbanRecognizer(PatternRecognizer):
    """IBANs in any case and grouping, by country length and mod-97 (module doc). `PATTERNS` is where a
    candidate starts; its end is found by walking its groups (`iban_end`)."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern("iban start", _START.pattern, SCORE)]

    def __init__(self) -> None:
        super().__init__(supported_entity="IBAN_CODE", name="LooseIbanRecognizer", patterns=self.PATTERNS)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        taken = 0
        for m in _START.finditer(text):
            if m.start() < taken or (m.group(1) + m.group(2)).upper() not in IBAN_LENGTHS:
                continue
            end = iban_end(text, m.start())
            if end is not None:
                out.append(RecognizerResult("IBAN_CODE", m.start(), end, SCORE))
                taken = end
        return out
