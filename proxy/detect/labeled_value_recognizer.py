"""`SSN: 123456789`, `phone: 658 42 54 71`, `Customer ID = 1234567890`: a bare number after a label in text.

The same rule a JSON key gives the value under it (`proxy.scan.shapes.context_entity`: the label's words, or
the initials of a phrase written out, name an entity and the shape that entity's values have) applies to a
label written in text, on one line, followed by `:` or `=`. The number itself need not match any format a
recognizer knows (a national phone format, an SSN without dashes): the label says what it is, the shape
check (how many digits) keeps a label's other numbers (`phone: 2 lines`) out.

The pattern is anchored on the `:`/`=` and the number after it (cheap to find); the label is then read
backwards from the `:` on the same line, up to four words.

A number grouped in thousands (`ssn 123,456,789`, `cid 1'234'567'890`, `phone 4 155 550 132`) is an amount's
notation, which the phone and SSN formats never use, so no other recognizer reads it: after a label (with or
without `:`/`=`) it is judged as the digits it writes. Without a label it stays an amount
(`revenue 1,234,567,890` names no identifier, and `context_entity` says so).
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.scan.shapes import THOUSANDS, context_entity

SCORE = 1.0  # the label names the value: as sure as a checksum, and the whole number (longest) wins
ENTITIES = ("US_SSN", "PHONE_NUMBER", "GOOGLE_ADS_CUSTOMER_ID", "CREDIT_CARD", "ACCOUNT_NUMBER")
_LABEL_REACH = 130
_LABEL = regex.compile(r"(?<![\p{L}\p{N}])\p{L}{1,30}(?:[ ._\-]{1,2}\p{L}{1,30}){0,3}[ \t]{0,3}$")
# Seven to twelve digits in groups of three after the first, not part of a longer number or a decimal.
_THOUSANDS = regex.compile(r"(?<![\d.,'])" + THOUSANDS.pattern + r"(?![\d]|[.,' \u00a0\u2009\u202f]\d)")
_GROUP_MARK = regex.compile(r"\d[,'. \u00a0\u2009\u202f]\d{3}")
_BEFORE_THOUSANDS = regex.compile(r"[ \t]{0,3}(?:[.:=#]{1,2}[ \t]{0,3})?$")


class VeilLabeledValueRecognizer(PatternRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("labeled value", r"[:=][ \t]{0,3}(\+?\(?\d[\d \t().\-/]{4,30}\d)(?![\p{L}\p{N}])", SCORE)
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=ENTITIES[0], name="VeilLabeledValueRecognizer", patterns=self.PATTERNS
        )
        self.supported_entities = list(ENTITIES)
        self._value = regex.compile(self.PATTERNS[0].regex)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in self._value.finditer(text):
            entity = _labeled(text, m.start(), m.group(1))
            if entity is not None and entity in entities:
                out.append(RecognizerResult(entity, m.start(1), m.end(1), SCORE))
        if _GROUP_MARK.search(text) is not None:
            for m in _THOUSANDS.finditer(text):
                gap = _BEFORE_THOUSANDS.search(text, max(0, m.start() - 8), m.start())
                at = gap.start() if gap is not None else m.start()
                entity = _labeled(text, at, m.group())
                if entity is not None and entity in entities:
                    out.append(RecognizerResult(entity, m.start(), m.end(), SCORE))
        return out


def _labeled(text: str, at: int, value: str) -> str | None:
    """The entity the label ending at `at` (on the same line, up to four words) gives `value`, if any."""
    before = text[max(0, at - _LABEL_REACH) : at]
    label = _LABEL.search(before[before.rfind("\n") + 1 :])
    return None if label is None else context_entity(label.group().strip(), value)
