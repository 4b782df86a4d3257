"""A value written one character per list item: `{"v": ["4", "6", "5", …]}`, `["j", "a", "n", "e", "@", …]`.

A client shows such a list as the column view shows a value one character per line, and reads it the same
way: as one string. A list of `MIN_CHARS` or more items, every one a single-character string, is read
joined; if the joined text is a value certain by its shape alone (a card number by Luhn, an email address,
an IBAN by its checksum), every item becomes that value's token, as a value in pieces does
(`proxy.scan.pieces`): the list keeps its length. Only certain shapes count: six letters in a list are a
word, not a name, and a run of digits a count as easily as an ID.
"""

from __future__ import annotations

import re
from typing import Any

from proxy.detect.checksums import luhn_ok, mod97_ok

MIN_CHARS = 6
MAX_CHARS = 320  # the longest email address
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_GROUPING = re.compile(r"[\s\-.]")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")


def joined_chars(items: list[Any]) -> str | None:
    """The items joined, if they are `MIN_CHARS` or more single-character strings."""
    if not MIN_CHARS <= len(items) <= MAX_CHARS or type(items[0]) is not str or len(items[0]) != 1:
        return None
    if not all(type(v) is str and len(v) == 1 for v in items):
        return None
    return "".join(items)


def char_list_entity(items: list[Any]) -> tuple[str, str] | None:
    """(entity, joined value) if the list spells a value certain by its shape (module docstring)."""
    joined = joined_chars(items)
    if joined is None:
        return None
    value = joined.strip()
    digits = _GROUPING.sub("", value)
    if digits.isdigit() and 13 <= len(digits) <= 19 and luhn_ok(digits):
        return "CREDIT_CARD", value
    if "@" in value and _EMAIL.fullmatch(value):
        return "EMAIL_ADDRESS", value
    compact = _GROUPING.sub("", value).upper()
    if _IBAN.fullmatch(compact) and mod97_ok(compact):
        return "IBAN_CODE", value
    return None
