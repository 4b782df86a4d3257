"""`N:Gonzalez;Maria;;;`: a vCard's structured name (RFC 6350 §6.2.2; vCard 2.1 and 3.0 write it the same).

The property says "person" whatever the words are, so no name list is asked: the span runs from the first
to the last non-empty of the family, given and additional names (prefixes and suffixes, `Dr.`, `Jr.`, stay
readable), one token for the person. A group prefix and parameters are allowed (`item1.N;CHARSET=UTF-8:`).
A display name (`FN:Maria Gonzalez`) is a labelled name (`name_labeled_recognizer`); a line folded inside
the value is read unfolded (`folded_view`).
"""

from __future__ import annotations

import re
from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.directory_names import is_vcard_component
from proxy.detect.name_patterns import CONFIDENT, NameRunRecognizer

# A component, a folded line inside it allowed (`N:Basso\r\n\t;Ian;;;`: a fold may fall anywhere).
_COMPONENT = r"(?:[^;:\r\n]|\r?\n[ \t]){0,60}+"
_FOLD = re.compile(r"\r?\n[ \t]")


class VeilVcardNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "vcard N",
            r"^(?:[A-Za-z0-9-]{1,20}\.)?N(?:;[^:\r\n]{0,80}+)?:(?P<name>"
            + _COMPONENT
            + r"(?:;"
            + _COMPONENT
            + r"){1,4}+)",
            CONFIDENT,
        ),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        start = match.start("name")
        parts = match.group("name").split(";")[:3]
        spans: list[tuple[int, int]] = []
        at = start
        for part in parts:
            stripped = part.strip()
            if stripped:
                if not is_vcard_component(_FOLD.sub("", stripped)):
                    return None
                lead = at + part.index(stripped)
                spans.append((lead, lead + len(stripped)))
            at += len(part) + 1
        if not spans:
            return None
        return spans[0][0], spans[-1][1], CONFIDENT
