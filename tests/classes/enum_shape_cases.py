"""Cases for the class "a value under a protocol key that only looks like an enum" (red team 3): under
`status`, `type` and the other skip keys a short identifier goes unscanned, but an IBAN written in pairs
(`DE50-52-60-…`) or a full name glued in CamelCase (`HenrikeOkonkwo`) has the identifier's shape too."""

from __future__ import annotations

import json
from random import Random

from tests.classes.case import Case, call, tool_result
from tests.classes.planting import iban, person

SKIP_KEYS = ["status", "type", "mimeType", "currencyCode", "timeZone"]


def _pairs(compact: str, rng: Random) -> str:
    sep = rng.choice(["-", ".", "/"])
    return compact[:4] + sep + sep.join(compact[i : i + 2] for i in range(4, len(compact), 2))


def enum_shaped_value(rng: Random) -> Case:
    key = rng.choice(SKIP_KEYS)
    if rng.random() < 0.5:
        value = iban(rng, reliable=True)
        compact = value.text.replace(" ", "")
        written, planted = _pairs(compact, rng), value
    else:
        planted, first, last = person(rng, reliable=True)
        while not (first.isalpha() and last.isalpha()):
            planted, first, last = person(rng, reliable=True)
        written = first.capitalize() + last.capitalize()
    record = {key: written, "n": rng.randrange(100)}
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    return Case("enum-shape", [call(payload)], [planted], label=key)
