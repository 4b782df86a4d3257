"""Digit groups joined by a colon, an apostrophe or a comma (red team round nine, class 2), and what those
separators mean elsewhere (times, thousands, Swiss amounts), for `test_separators.py`.

`separated_identifiers`: a US phone (3-3-4, perhaps `+1` or a bracketed area code), an SSN (3-2-4) or a
customer ID (3-3-4) whose groups are joined by `:`, `'` or `,`, after one of its context words, in a
sentence, in a JSON text or in structuredContent. `separator_lookalikes`: times, durations, thousands and
Swiss amounts written with those separators, beside the same context words, which must reach the client
as written.
"""

from __future__ import annotations

import json
from random import Random

from tests.classes.case import Case, Survivor, call, filler_record, tool_result
from tests.classes.planting import Planted, digits_needle, ssn_digits

SEPARATORS = (":", "'", ",")
_AREAS = ("415", "212", "312", "206", "617", "303", "702", "919", "512")
WORDS = {
    "phone": ("Call", "Call me:", "call", "Phone:", "phone", "Tel.", "tel:", "Mobile", "cell #", "Fax:",
              "WhatsApp", "Telefon:", "téléphone :", "teléfono"),
    "ssn": ("SSN", "SSN:", "ssn #", "Social Security No.", "social security number", "SS#", "taxpayer"),
    "customer-id": ("customer", "Customer ID:", "client id", "customer number", "Account #", "acct",
                    "advertiser", "Kunde"),
}  # fmt: skip


KEYS = {
    "phone": ("phone", "telefon", "mobileNumber"),
    "ssn": ("ssn", "social_security_number", "SSN"),
    "customer-id": ("customer_id", "customerId", "kundennummer"),
}


def _cased(rng: Random, word: str) -> str:
    return rng.choice([word, word.upper(), word.lower()])


def _written(rng: Random, kind: str, sep: str) -> tuple[str, str]:
    """The digits (for the needle) and how they are written with `sep`."""
    if kind == "ssn":
        d = ssn_digits(rng)
        return d, sep.join([d[:3], d[3:5], d[5:]])
    if kind == "customer-id":
        d = f"{rng.randrange(100, 1000)}{rng.randrange(10**6, 10**7)}"
        return d, sep.join([d[:3], d[3:6], d[6:]])
    d = rng.choice(_AREAS) + f"{rng.randrange(200, 1000)}{rng.randrange(10**4):04d}"
    form = rng.choice(["plain", "plus1", "bracket"])
    if form == "plus1":
        return d, sep.join([rng.choice(["+1", "1"]), d[:3], d[3:6], d[6:]])
    if form == "bracket":
        return d, f"({d[:3]}) {d[3:6]}{sep}{d[6:]}"
    return d, sep.join([d[:3], d[3:6], d[6:]])


def _placed(rng: Random, line: str) -> tuple[dict[str, object], str]:
    where = rng.choice(["text", "json-text", "structured"])
    if where == "text":
        return tool_result(f"{line}. Thanks, the team"), where
    record = {**filler_record(rng), "note": line}
    if where == "json-text":
        return tool_result(json.dumps({"rows": [record]})), where
    return tool_result(structured={"rows": [record]}), where


def separated_identifiers(rng: Random) -> Case:
    kind = rng.choice(sorted(WORDS))
    sep = rng.choice(SEPARATORS)
    digits, text = _written(rng, kind, sep)
    word = _cased(rng, rng.choice(WORDS[kind]))
    line = rng.choice(["{w} {v}", "{w} {v} today", "Please {w} {v}", "{w} {v} (on file)"]).format(
        w=word, v=text
    )
    payload, where = _placed(rng, line)
    if rng.random() < 0.25:  # alone under the entity's key: the key is the word
        where = "keyed"
        payload = tool_result(structured={**filler_record(rng), rng.choice(KEYS[kind]): text})
    planted = Planted(kind, text, digits_needle(digits, bounded=kind != "phone"))
    return Case("separators", [call(payload)], [planted], label=f"{kind} {sep!r} {where}")


def _lookalike(rng: Random) -> tuple[str, str]:
    """A value with those separators that is no identifier, and what it is."""
    h, m, s = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    big = rng.randrange(10**9, 10**10)
    chf = rng.randrange(10**6, 10**9)
    return rng.choice(
        [
            (f"{h:02d}:{m:02d}:{s:02d}", "time"),
            (f"{rng.randrange(100, 1000)}:{m:02d}:{s:02d}", "duration"),
            (f"{big:,}", "thousands"),
            (f"{chf:,}".replace(",", "'"), "swiss"),
            (f"{chf:,}".replace(",", "'") + ".50", "swiss-amount"),
            (f"{rng.randrange(1, 100)}:{rng.randrange(1, 100)}:{rng.randrange(1000, 10000)}", "ratio"),
        ]
    )


def separator_lookalikes(rng: Random) -> Case:
    """`Call duration 104:12:09`, `customer reach 1,234,567,890 impressions`, `account balance CHF
    12'345'678.50`, `SSN checked at 12:30:45`: the word is there, the entity's grouping is not."""
    value, what = _lookalike(rng)
    kind = rng.choice(sorted(WORDS))
    word = _cased(rng, rng.choice(WORDS[kind]))
    line = rng.choice(
        [
            "{w} logged at {v}",
            "{w} duration {v}",
            "{w} reach {v} impressions",
            "{w} balance CHF {v}",
            "{w} total {v}",
        ]
    ).format(w=word, v=value)
    payload, where = _placed(rng, line)
    return Case("separators", [call(payload)], [], [Survivor(value, label=what)], label=f"{what} {where}")
