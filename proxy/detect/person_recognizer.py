"""Capitalised words next to person context: the recognizer that backs NER on CRM-style notes."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from proxy.detect.context_window import WindowContextRecognizer
from proxy.detect.name_honorifics import HONORIFIC
from proxy.detect.names import person_name_likelihood
from proxy.detect.text_windows import after, before

MIN_LIKELIHOOD = 0.3


class VeilPersonRecognizer(WindowContextRecognizer):
    """Two or three capitalised words next to a person context (`spoke to …`, `… asked`).

    Small NER pipelines label many unfamiliar names as organisations or miss them; in CRM notes the words
    around a name say more than the name does. Added automatically when an NER pipeline is configured
    (recall-first), never alone: on its own it would guess at every capitalised pair.
    """

    # Inner apostrophes belong to the word (`D’Angelo`), a possessive `'s` does not (`Maria Gonzalez's`).
    _WORD = r"[A-ZÀ-Þ][a-zß-ÿ]+(?:['’](?!s(?![a-zß-ÿ]))[a-zß-ÿ]+)?(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?"
    PATTERNS: ClassVar[list[Pattern]] = [
        # Presidio matches case-insensitively by default; capitalisation is the whole point here.
        # A title of address is no part of the run (`Mr Tanaka`: `VeilTitledNameRecognizer` takes the name).
        Pattern(
            "capitalised name", rf"(?-i:(?<![\w-])(?!{HONORIFIC} ){_WORD}(?: {_WORD}){{1,2}}(?![\w-]))", 0.1
        ),
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
        "per ",
        "because ",
        "according to ",
        "assigned to ",
        "handover from ",
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

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Context words such as `with` and `for` also precede products and companies (`with Google Ads`,
        `for Acme Plumbing LLC`): a run that cannot be a name (dictionary words only, a company form) is
        dropped."""
        return person_name_likelihood(pattern_text) < MIN_LIKELIHOOD


def has_person_context(text: str, start: int, end: int) -> bool:
    """A person context word shortly before `text[start:end]` (`spoke to`, `Dear`) or a verb of a person
    shortly after it (`asked`, `wants`)."""
    said_before, said_after = before(text, start).casefold(), after(text, end).casefold()
    return any(w in said_before for w in VeilPersonRecognizer.CONTEXT) or any(
        w in said_after for w in VeilPersonRecognizer.CONTEXT_AFTER
    )
