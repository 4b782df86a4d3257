"""Readings of a known value laundered character by character (`known_parts_cases`), written without the
product's code: runs of doubled characters read once (`ooffeelliiaa` → `ofelia`), and a text holding an `@`
read as its letters and digits alone (`g-i_s.e|l-a . m_a…@…` → `gisela…`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

_DOUBLED = re.compile(r"(?:(.)\1){4,}", re.DOTALL)
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def readings(text: str) -> Iterator[str]:
    if _DOUBLED.search(text):
        yield _DOUBLED.sub(lambda m: m.group()[::2], text)
    if "@" in text:
        yield _NOT_ALNUM.sub("", text)
