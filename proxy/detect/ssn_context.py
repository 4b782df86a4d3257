"""US Social Security numbers written without dashes (`078051120`, `078 05 1120`, `078.05.1120`) next to
an SSN context word.

Presidio's SSN recognizer reads the dashed form. Nine bare or spaced digits are also a zip+4, a phone
number, an order or an ID, so the shape scores under the policy threshold and only a context word in the
window (`ssn`, `social security`…) lifts it over; the SSA's rules (no area 000, 666 or 9xx, no group 00,
no serial 0000) drop what cannot be one.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from proxy.detect.context_window import WindowContextRecognizer

_DIGITS = re.compile(r"\d")


class ContextSsnRecognizer(WindowContextRecognizer):
    """Nine digits as 3-2-4 with one separator used throughout (or none), kept beside an SSN word."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "ssn digits",
            r"(?<![\w+.,:/\-])(?<!\d[ .\-])\d{3}([ .\-]?)\d{2}\1\d{4}(?![\w%]|[ .,:/\-]\d)",
            0.3,
        )
    ]
    CONTEXT: ClassVar[list[str]] = [
        "ssn", "social security", "soc sec", "soc. sec", "ss#", "ss #", "ss no", "ss number", "taxpayer",
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__(
            supported_entity="US_SSN",
            name="ContextSsnRecognizer",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        d = "".join(_DIGITS.findall(pattern_text))
        if d[:3] in ("000", "666") or d[0] == "9" or d[3:5] == "00" or d[5:] == "0000":
            return False
        return None
