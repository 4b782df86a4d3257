"""Cases for the class "a value one character per list item" (red team 3): `{"v": ["4", "6", "5", …]}`: a
card number, an email address or an IBAN spelled as a list of single-character strings, under any key. The
judge reads each list's items joined (`label_cases.readable`); ordinary lists of letters (a word, grades)
must stay."""

from __future__ import annotations

import json
from random import Random

from tests.classes.case import Case, call, tool_result
from tests.classes.planting import card, email, iban

KEYS = ["v", "chars", "data", "items", "w", "letters"]


def char_list(rng: Random) -> Case:
    value = rng.choice([card, email, iban])(rng)
    text = value.text.replace(" ", "") if value.kind != "email" else value.text
    record = {rng.choice(KEYS): list(text), "n": rng.randrange(100)}
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    return Case("char-list", [call(payload)], [value], label=value.kind)


def char_list_ordinary(rng: Random) -> Case:
    word = rng.choice(["ABCDEF", "banana", "1234567", "AABBCCDD", "yes-no-maybe"])
    record = {rng.choice(KEYS): list(word)}
    return Case("char-list-ordinary", [call(tool_result(structured=record))], [], label=word)  # no token
