"""A name that stands alone: the whole text, or a whole line of it, is a person's name (`Maria Gonzalez` as a
text block, a log entry's message, a list item, a completion value).

Alone, a name has no prose around it for NER and no label before it; what it has is its shape. A string of
two to four capitalised words, each a name word (a given name, a surname, a word of no dictionary; no word
of the language beside them: `Rose Garden`, `Summer Sale`), led by a known given name or holding a surname
shape, reads as nothing else.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.name_patterns import CONFIDENT, INVERTED, RUN, NameRunRecognizer
from proxy.detect.name_standalone import PREFIX, SUFFIX, standalone_name


class VeilStandaloneNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("whole-line name", rf"^{PREFIX}(?P<name>{INVERTED}|{RUN}){SUFFIX}", CONFIDENT),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        if not standalone_name(match.group("name")):
            return None
        return match.start("name"), match.end("name"), CONFIDENT
