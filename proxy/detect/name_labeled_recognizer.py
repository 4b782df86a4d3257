"""`Owner: Maria Gonzalez`, `Account manager - GONZALEZ, MARIA`: a person's name after a label that names a
role. The label decides (the same rule as for keys: `is_name_key`), the value only has to be shaped like a
name (`name_shaped`: no company or place form), so unfamiliar and short names pass here."""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.name_keys import is_name_label
from proxy.detect.name_lexicon import common_surnames, is_first_name, is_vocabulary_word, lexicon_form
from proxy.detect.name_patterns import (
    AFTER,
    BEFORE,
    CONFIDENT,
    INVERTED,
    PARTICLE_LED,
    RUN,
    NameRunRecognizer,
)
from proxy.detect.name_phrases import lexical_inside
from proxy.detect.name_text import name_shaped, single_word_name

# One to three words; a hyphenated one is one word (`Approved-By`, `Sales-Rep`).
# A key of a log line or a query (`customer_name=`, `account_owner:`) is one word joined by `_`.
LABEL = r"(?P<label>(?:\p{L}{1,20}(?:-\p{L}{1,20})?[ \u00a0]){0,2}\p{L}{1,20}(?:[-_]\p{L}{1,20}){0,2})"
_SEGMENT = regex.compile(r" [-–—|] ")
# `:`, a dash or a tab; `=` as in a vCard/iCalendar parameter (`ORGANIZER;CN=Jane Doe:mailto:…`) or a query.
# The value may be quoted (`customer_name="Diamond Mack"`, logfmt): the quote is no part of the name.
SEPARATOR = r"[ \t]{0,3}(?::|=|[ \t][-–—][ \t]|\t)[ \t]{0,3}[\"'“‘]?"


class VeilLabeledNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("label: Last, First", rf"{BEFORE}{LABEL}{SEPARATOR}(?P<name>{INVERTED}){AFTER}", CONFIDENT),
        Pattern(
            "label: name", rf"{BEFORE}{LABEL}{SEPARATOR}(?P<name>{RUN}|{PARTICLE_LED}){AFTER}", CONFIDENT
        ),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        if not is_name_label(match.group("label")):
            return None
        name = match.group("name")
        if not name_shaped(name) or (" " not in name and not single_word_name(name)):
            return None
        if text.startswith("(", match.end("name")):
            return None  # `to = CONCAT('jane', …)`: a function a program calls, not a name
        if _all_common_words(name):
            return None  # `Contact: Search Console`: words of the language that no name list knows
        if lexical_inside(name.split()):
            return None  # `Sponsor: Dallas Cowboys`: a given name leading a phrase (`name_phrases`)
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if ":" not in match.group() and len(_SEGMENT.findall(line)) > 1:
            return None  # `Letting Agent – Reading – Performance Max`: a campaign name's segments, no label
        return match.start("name"), match.end("name"), CONFIDENT


def _all_common_words(name: str) -> bool:
    """Every word a word of the language and none a given name or a census surname: a product, a channel or
    a heading under a label that may also name one (`Contact`, `Owner`), not a person."""
    words = [w for w in regex.split(r"[\s,]+", name) if w]
    return all(is_vocabulary_word(w) for w in words) and not any(
        is_first_name(w) or lexicon_form(w) in common_surnames() for w in words
    )
