"""`linkedin.com/in/maria-gonzalez-4b2a19`, `Maria_Gonzalez_Resume_2024.pdf`, `DESKTOP-LGARCIA`,
`Sofia-Hernandezs-MacBook-Pro.local`: a person's name glued into an identifier a system wrote (a URL slug,
a file, branch, host or device name). The judgement is `name_identifiers.identifier_names`: a clear given
name beside a census surname that is no word (`web-01.prod`, `fix/login-timeout`,
`q3_sales_report.pdf` stay readable). The span is the name's parts, not the whole identifier."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from proxy.detect.identifier_parts import IDENTIFIER, SINGLE, TRIGGER
from proxy.detect.judged_recognizer import JudgedNameRecognizer
from proxy.detect.name_identifiers import identifier_names
from proxy.detect.name_patterns import CONFIDENT


class VeilIdentifierNameRecognizer(JudgedNameRecognizer):
    """Not a pattern recognizer: identifiers are split into parts and judged (`name_identifiers`). Its
    regexes are listed for the detection budget's linear-time test."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("identifier", IDENTIFIER.pattern, CONFIDENT),
        Pattern("identifier piece", SINGLE.pattern, CONFIDENT),
        Pattern("identifier trigger", TRIGGER.pattern, CONFIDENT),
    ]
    spans = staticmethod(identifier_names)
