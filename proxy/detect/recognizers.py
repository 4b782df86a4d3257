"""Our recognizers, Presidio-style: declared patterns, context words, checksum validation.

They fill what Presidio lacks for these backends: Google Ads customer IDs, and recall-first email and
phone patterns (Presidio's email recognizer rejects internal and reserved TLDs; libphonenumber rejects
unassigned area codes, which test data and many real exports are full of).
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_CONTEXT_WINDOW = 40


class _WindowContextRecognizer(PatternRecognizer):
    """Boosts a weak pattern match when a context word appears shortly before it.

    Presidio's own context enhancer needs lemmas from a trained pipeline; a blank spaCy pipeline has none,
    so the window is read from the raw text instead.
    """

    context_boost = 0.45
    CONTEXT_AFTER: ClassVar[list[str]] = []

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if not self.context:
            return results
        lowered = text.casefold()
        for r in results:
            before = lowered[max(0, r.start - _CONTEXT_WINDOW) : r.start]
            after = lowered[r.end : r.end + _CONTEXT_WINDOW]
            if any(word in before for word in self.context) or any(w in after for w in self.CONTEXT_AFTER):
                r.score = min(1.0, r.score + self.context_boost)
        return results


class GoogleAdsCustomerIdRecognizer(_WindowContextRecognizer):
    """Google Ads customer IDs: `customers/1234567890` resource names, `123-456-7890`, or ten digits next to
    a customer context word."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("resource name", r"(?<=customers/)\d{10}(?!\d)", 0.95),
        Pattern("dashed", r"(?<![\d-])\d{3}-\d{3}-\d{4}(?![\d-])", 0.5),
        Pattern("bare", r"(?<![\d.,])(?<!\d[.,])\d{10}(?!\d|[.,]\d)", 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = ["customer", "cid", "account", "client", "acct", "mcc", "advertiser"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="GOOGLE_ADS_CUSTOMER_ID",
            name="GoogleAdsCustomerIdRecognizer",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )


class VeilEmailRecognizer(PatternRecognizer):
    """Email addresses by syntax alone (no TLD validation, no network).

    At most 16 domain labels: with an unbounded label repeat, the `regex` engine Presidio compiles with
    backtracked quadratically through a long `a.a.a.…` chain (100,000 chars took 4 s)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "email",
            r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,16}"
            r"[A-Za-z]{2,24}(?![\w-])",
            0.9,
        )
    ]

    def __init__(self) -> None:
        super().__init__(supported_entity="EMAIL_ADDRESS", name="VeilEmailRecognizer", patterns=self.PATTERNS)

    def validate_result(self, pattern_text: str) -> bool | None:
        local = pattern_text.split("@", 1)[0]
        return ".." not in pattern_text and not local.endswith(".")


_DIGITS = re.compile(r"\d")


class VeilPhoneRecognizer(_WindowContextRecognizer):
    """Phone numbers by shape, recall-first: international `+CC …` forms and separated national forms.

    Requires separators or a leading `+`, so plain integers (metrics, IDs, micros) never match.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        # Digit runs are taken whole (possessive) and groups need a separator or brackets between them, so
        # a long digit run after `+` is rejected in linear time; splitting it into groups every possible way
        # was the backtracking bait here (how many digits a phone has is the validator's business).
        Pattern(
            "international",
            r"(?<![\w+])\+\d{1,15}+(?:[ .\-]?\(\d{1,5}+\)[ .\-]?\d{1,15}+|[ .\-]\d{1,15}+){0,6}(?![\w-])",
            0.6,
        ),
        Pattern("north american", r"(?<![\w-])(?:\(\d{3}\) ?|\d{3}[ .\-])\d{3}[ .\-]\d{4}(?![\w-])", 0.5),
        Pattern("uk national", r"(?<![\w-])0\d{2,4}[ \-]\d{3,4}[ \-]?\d{3,4}(?![\w-])", 0.45),
    ]
    CONTEXT: ClassVar[list[str]] = ["phone", "tel", "call", "mobile", "cell", "fax", "ring", "whatsapp"]
    context_boost = 0.2

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name="VeilPhoneRecognizer",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        n = len(_DIGITS.findall(pattern_text))
        return 8 <= n <= 15


class VeilPersonRecognizer(_WindowContextRecognizer):
    """Two or three capitalised words next to a person context (`spoke to …`, `… asked`).

    Small NER pipelines label many unfamiliar names as organisations or miss them; in CRM notes the words
    around a name say more than the name does. Added automatically when an NER pipeline is configured
    (recall-first), never alone: on its own it would guess at every capitalised pair.
    """

    _WORD = r"[A-ZÀ-Þ][a-zß-ÿ'’]+(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?"
    PATTERNS: ClassVar[list[Pattern]] = [
        # Presidio matches case-insensitively by default; capitalisation is the whole point here.
        Pattern("capitalised name", rf"(?-i:(?<![\w-]){_WORD}(?: {_WORD}){{1,2}}(?![\w-]))", 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "spoke to",
        "speak to",
        "talked to",
        "ask ",
        "asked ",
        "by ",
        "contact",
        "call ",
        "called ",
        "email ",
        "met ",
        "meeting with",
        "with ",
        "from ",
        "cc ",
        "dear ",
        "hi ",
        "hello ",
        "thanks ",
        "mr ",
        "mrs ",
        "ms ",
        "dr ",
        "notes:",
        "owner:",
        "manager:",
        "rep:",
        "to ",
        "loop in",
        "sign-off",
        "sign off",
        "signed off",
        "contact is",
        "voicemail for",
        "for ",
    ]
    CONTEXT_AFTER: ClassVar[list[str]] = [
        " asked",
        " called",
        " said",
        " wants",
        " wrote",
        " replied",
        " mentioned",
        " approved",
        " requested",
        " emailed",
        " will ",
        " is ",
        " has ",
        " needs",
        " prefers",
        " confirmed",
    ]
    context_boost = 0.45

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PERSON",
            name="VeilPersonRecognizer",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )


OUR_RECOGNIZERS = {
    cls.__name__: cls
    for cls in (GoogleAdsCustomerIdRecognizer, VeilEmailRecognizer, VeilPhoneRecognizer, VeilPersonRecognizer)
}
