"""`author: maria gonzalez <mgonzalez@x.com>`, `<@U123|maria gonzalez>`, `[maria gonzalez](https://…)`,
`?s=maria+gonzalez`, `"maria gonzalez" lawyer`: a person's name in a place of the text that says what it
holds (an address's display name, a mention's or a link's text, a search query), in any case. The
judgement is `name_slots.slot_names`; the span is the name, not the slot's markup."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from proxy.detect import name_query_slots
from proxy.detect.judged_recognizer import JudgedNameRecognizer
from proxy.detect.name_patterns import CONFIDENT
from proxy.detect.name_slots import SLOTS, slot_names


class VeilNameSlotRecognizer(JudgedNameRecognizer):
    """Not a pattern recognizer: slots are found and their content judged (`name_slots`). Its regexes are
    listed for the detection budget's linear-time test."""

    PATTERNS: ClassVar[list[Pattern]] = [
        *(Pattern(slot.name, slot.pattern.pattern, CONFIDENT) for slot in SLOTS),
        Pattern("search key", name_query_slots.KEY_AT.pattern, CONFIDENT),
        Pattern("query line", name_query_slots.QUERY_SHAPED.pattern, CONFIDENT),
    ]
    spans = staticmethod(slot_names)
