"""A value written one character per list item: `{"v": ["4", "6", "5", …]}`, `["j", "a", "n", "e", "@", …]`.

A client shows such a list as the column view shows a value one character per line, and reads it the same
way: as one string. A list of `MIN_CHARS` or more items, every one a single-character string, is read
joined; if the joined text is a value certain by its shape alone (a card number by Luhn, an email address,
an IBAN by its checksum; an SSN, a phone number or a Google Ads customer ID written with its usual
separators or `+`: `123-45-6789`, `(415) 555-0132`, `+14155550132`, `123-456-7890`; ten digits standing
alone, as in text), every item becomes that value's token, as a value in pieces does
(`proxy.scan.pieces`): the list keeps its length. Only certain shapes count: six letters in a list are a
word, not a name, and a short run of digits a count as easily as an ID (`1234567`, a date, a version).
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
_SSN = re.compile(r"(?!000|666|9)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}")
_PHONE = re.compile(
    r"\+\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}"  # with its country code
    r"|(?:1[ .-])?\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]\d{4}"  # North American, grouped
    r"|\([2-9]\d{2}\)\d{3}\d{4}"
)
_CUSTOMER_ID = re.compile(r"[1-9]\d{2}-\d{3}-\d{4}|[1-9]\d{9}")


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
    if _SSN.fullmatch(value):
        return "US_SSN", value
    if _PHONE.fullmatch(value):
        return "PHONE_NUMBER", value
    if _CUSTOMER_ID.fullmatch(value) and len(set(digits)) > 1:
        return "GOOGLE_ADS_CUSTOMER_ID", value
    return None
