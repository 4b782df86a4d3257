"""A value written in pieces across a list under its key: `{"ssn": ["7079", "53021"]}`,
`{"card_number": [5, 5, 9, 4, …]}`, `{"cardGroups": ["5199", "0855", "2272", "8071"]}`.

Each piece alone is a small number; the client reads the list as the one value its key names. A list whose
items are all short digit runs (strings of digits or integers, five digits at most each, two or more; eight
for the halves of a card, which its checksum confirms) under a key with digit context is also read joined, and
if the key's context names the joined digits as a value that is certain by its shape (a card by Luhn, an SSN,
a phone number), every piece becomes that value's token: the list keeps its length, the value is tokenized
once. An account or customer ID is left out: two short IDs in a list (`"account_ids": [12345, 67890]`) join
into the shape of one.
"""

from __future__ import annotations

from typing import Any

from proxy.scan.shapes import context_entity

MAX_PIECE = 5
MAX_CARD_PIECE = 8
MAX_PIECES = 19  # the longest card, digit by digit
CERTAIN = frozenset({"CREDIT_CARD", "US_SSN", "PHONE_NUMBER"})


def joined_digits(items: list[Any]) -> tuple[str, int] | None:
    """The items' digits joined and the longest item's length, if every item is a short digit run (a
    string of digits or an integer)."""
    if not 2 <= len(items) <= MAX_PIECES:
        return None
    parts: list[str] = []
    for item in items:
        t = type(item)
        if t is int:
            if item < 0:
                return None
            text = str(item)
        elif t is str:
            text = item.strip()
            if not text.isascii() or not text.isdigit():
                return None
        else:
            return None
        if not 0 < len(text) <= MAX_CARD_PIECE:
            return None
        parts.append(text)
    return "".join(parts), max(map(len, parts))


def pieces_entity(key: str, items: list[Any]) -> tuple[str, str] | None:
    """(entity, joined value) if `items` are the pieces of one certain value under `key` (module doc)."""
    found = joined_digits(items)
    if found is None:
        return None
    joined, longest = found
    entity = context_entity(key, joined)
    if entity not in CERTAIN or (longest > MAX_PIECE and entity != "CREDIT_CARD"):
        return None
    return entity, joined
