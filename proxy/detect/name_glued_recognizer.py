"""`OliviaThornbury`, `MariaGonzalez`: a full name glued into one CamelCase word (a user name, a file or
channel name, a label written without its space). The judgement is `name_glued.glued_name`: a clear given
name, then surname-like humps that are no words of the language (`PerformanceMax`, `MaxBid`, `GoogleAds`
stay readable). The span is the whole word."""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.name_glued import glued_name
from proxy.detect.name_patterns import CONFIDENT, NameRunRecognizer


class VeilGluedNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "glued name",
            r"(?<![\p{L}\p{N}_@./+-])(?P<name>\p{Lu}\p{Ll}{1,30}+(?:\p{Lu}\p{Ll}{1,30}+){1,2}+)(?![\p{L}\p{N}_@-])",
            CONFIDENT,
        ),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        if not glued_name(match.group("name")):
            return None
        return match.start("name"), match.end("name"), CONFIDENT
