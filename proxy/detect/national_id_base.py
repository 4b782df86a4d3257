"""The base of our national-identifier recognizers: Presidio's own patterns and checksums, scored by where
the value stands rather than by the checksum alone.

Presidio's country recognizers give a checksum-valid match the top score. A checksum of one digit passes
one random number in ten or eleven, so a bare twelve-digit invoice number would be an Aadhaar one time in
ten: here a valid match keeps its pattern's score instead, `BARE_SCORE` (under the policy threshold) for a
shape that other numbers share, `GROUPED_SCORE` for the grouping the ID is written in (`1234 5678 9012`,
`AB 12 34 56 C`) where that grouping is the ID's own, and a label of the ID within the window before it
(`Aadhaar:`, `"nino": `, `codice fiscale`) adds `context_boost`. A failed checksum drops the match. Labels
are matched as words (`pan` is no label inside `company`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.context_window import WindowContextRecognizer
from proxy.detect.text_windows import CONTEXT_WINDOW

_SEPARATOR = re.compile(r"[ \-:]")


class NationalIdRecognizer(WindowContextRecognizer):
    """Mix in before a Presidio country recognizer: `class X(NationalIdRecognizer, InAadhaarRecognizer)`."""

    BARE_SCORE: ClassVar[float] = 0.3
    GROUPED_SCORE: ClassVar[float] = 0.3
    CASE_SENSITIVE: ClassVar[bool] = True
    MORE_CONTEXT: ClassVar[
        list[str]
    ] = []  # label words beyond Presidio's, in English and the country's language
    PATTERN_NAMES: ClassVar[tuple[str, ...] | None] = None  # Presidio's patterns kept (None: all of them)
    # The cheap prefilter: a text without this (digits first, the engine's fast scan) holds no match, and
    # Presidio's per-recognizer call is skipped. With LABELLED_ONLY, a text without a label word is skipped
    # too: the ID is found only beside one (its bare score stays under the policy threshold).
    SHAPE: ClassVar[re.Pattern[str]]
    LABELLED_ONLY: ClassVar[bool] = False

    def __init__(self) -> None:
        presidio_patterns: list[Pattern] = list(type(self).PATTERNS)  # type: ignore[attr-defined]
        kept = [p for p in presidio_patterns if self.PATTERN_NAMES is None or p.name in self.PATTERN_NAMES]
        patterns = [Pattern(p.name, p.regex, self.BARE_SCORE) for p in kept]
        context = [*type(self).CONTEXT, *self.MORE_CONTEXT]  # type: ignore[attr-defined]
        presidio_init: Any = super().__init__  # the country recognizer's: its entity and replacement pairs
        presidio_init(patterns=patterns, context=context, supported_language="en", name=type(self).__name__)
        if self.CASE_SENSITIVE:
            self.global_regex_flags = re.DOTALL | re.MULTILINE
        self._checked = any(
            "validate_result" in vars(c)
            for c in type(self).__mro__
            if c.__module__.startswith("presidio_analyzer.predefined_recognizers")
        )
        # A label in prose (`tax file number`) or as a key (`taxFileNumber=`, `tax_file_number`, `panNumber`):
        # a word's end is a non-letter or a capital.
        spellings = {f(w.casefold()) for w in context for f in (str, _compact, _snake)}
        words = sorted(spellings, key=len, reverse=True)
        self._label = re.compile(
            r"(?i)(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in words) + r")(?-i:(?![a-z]))"
        )

    def validate_result(self, pattern_text: str) -> Any:  # None or False: Presidio's type says bool
        valid = super().validate_result(pattern_text)
        if self._checked:  # Presidio's check passes with True (its codice fiscale fails with None)
            return None if valid is True else False  # a pass keeps the pattern's score
        return False if valid is False else None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        if self.SHAPE.search(text) is None or (self.LABELLED_ONLY and self._label.search(text) is None):
            return []
        found = []
        for r in super(WindowContextRecognizer, self).analyze(text, entities, nlp_artifacts, regex_flags):
            if (r.start > 0 and text[r.start - 1].isalnum()) or (r.end < len(text) and text[r.end].isalnum()):
                continue  # cut from a longer code or digit run
            if _SEPARATOR.search(text, r.start, r.end):
                r.score = max(r.score, self.GROUPED_SCORE)
            if self.has_context(text, r.start, r.end):
                r.score = min(1.0, r.score + self.context_boost)
            found.append(r)
        return found

    def has_context(self, text: str, start: int, end: int) -> bool:
        return self._label.search(text, max(0, start - CONTEXT_WINDOW), start) is not None


def _compact(word: str) -> str:
    return word.replace(" ", "")


def _snake(word: str) -> str:
    return word.replace(" ", "_")
