"""`Hi Maria,`, `Dear Mr. O'Brien`, `Best regards,\\nJean-Luc Picard`: names after greetings and sign-offs.

NER reads a lone first name after `Hi` as anything but a person; the greeting is the context, and the
words only have to be led by a given name or a word of no dictionary (`Hi Team`, `Thanks Customer Service`
are not names)."""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.name_patterns import AFTER, BEFORE, CONFIDENT, INVERTED, RUN, NameRunRecognizer
from proxy.detect.name_phrases import lexical_inside
from proxy.detect.name_text import could_be_name

GREETING = (
    r"(?i:hi|hello|hey|dear|thanks|thank[ ]you|cheers|regards|best|best[ ]regards|kind[ ]regards|"
    r"warm[ ]regards|many[ ]thanks|sincerely|yours|hallo|liebe|lieber|bonjour|hola|ciao)"
)
TITLE = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau)\.?[ \u00a0]"


class VeilGreetingNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "greeting name",
            rf"{BEFORE}{GREETING}[,!]?(?:[ \t]{{1,3}}|[ \t]{{0,3}}\r?\n[ \t]{{0,3}})"
            rf"(?P<title>{TITLE})?(?P<name>{INVERTED}|{RUN}){AFTER}",
            CONFIDENT,
        ),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        name = match.group("name")
        if match.group("title"):
            ok = all(w[0].isupper() for w in name.replace(",", " ").split())
        else:
            # `Thanks Dallas Cowboys`: a given name leading a phrase (`name_phrases`) is thanked, no person.
            ok = could_be_name(name) and not lexical_inside(name.split())
        return (match.start("name"), match.end("name"), CONFIDENT) if ok else None
