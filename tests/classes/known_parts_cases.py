"""Cases for the class "a known value laundered past its separators" (red team 3): once a session knows a
person, an email or a phone number, a later message shows a distinctive part alone (the surname, the
mailbox's local part, the subscriber's seven digits), the value backwards, with every character doubled,
or (an email) with any separators between its characters. The first message teaches the value under its
key; the second launders it. Readings of doubled and separated text are in `readings_known_parts`.
"""

from __future__ import annotations

import re
from random import Random

from proxy.detect.name_lexicon import in_dictionary
from tests.classes.case import Case, call, tool_result
from tests.classes.name_lists import FIRST, LAST
from tests.classes.planting import DOMAINS, Planted, digits_needle

# Surnames long and plain enough to name someone alone, and no word of the dictionary (`Fletcher`, `Hunter`
# alone stay readable: a surname that is a word is no evidence of the person). Only the inputs are chosen
# with the product's lexicon; the judge reads the planted words on its own.
LONG_LAST = tuple(n for n in LAST if len(n) >= 7 and n.isascii() and n.isalpha() and not in_dictionary(n))
KINDS = ("surname", "local-part", "subscriber", "reversed", "doubled", "separated")


def _word(text: str) -> str:
    return r"(?<![\w])" + re.escape(text.casefold()) + r"(?![\w])"


def _skeleton(text: str) -> str:
    return re.escape(re.sub(r"[^0-9a-z]", "", text.casefold()))


def _separated(rng: Random, value: str) -> str:
    return "".join(c + rng.choice(["-", "_", ".", "|", " ", " . ", ""]) for c in value).rstrip()


def _taught(rng: Random, kind: str) -> tuple[str, str, Planted, str]:
    """(key, value, planted value, kind) of the first message."""
    if kind in ("surname", "reversed") or (kind == "doubled" and rng.random() < 0.5):
        first, last = rng.choice(FIRST), rng.choice(LONG_LAST)
        return "fullName", f"{first} {last}", Planted("person", f"{first} {last}", _word(last)), "person"
    if kind == "subscriber":
        area = rng.choice(["415", "212", "312", "206", "617", "303"])
        nsn = f"{area}{rng.randrange(200, 999)}{rng.randrange(10000):04d}"
        return (
            "phone",
            f"+1 {nsn[:3]} {nsn[3:6]} {nsn[6:]}",
            Planted("phone", nsn, digits_needle(nsn)),
            "phone",
        )
    first, last = rng.choice(FIRST).lower(), rng.choice(LONG_LAST).lower()
    text = f"{first}.{last}{rng.choice(['', str(rng.randrange(100))])}@{rng.choice(DOMAINS)}"
    return "email", text, Planted("email", text, _word(text)), "email"


def laundered_part(rng: Random) -> Case:
    kind = rng.choice(KINDS)
    key, value, planted, what = _taught(rng, kind)
    first = call(tool_result(structured={"record": {"id": 1, key: value}}), "get_record")
    if kind == "surname":
        last = value.split()[-1]
        text, part = f"{last} approved the budget.", Planted("person", last, _word(last))
    elif kind == "local-part":
        local = value.split("@")[0]
        text, part = f"user {local} logged in", Planted("email", local, _word(local))
    elif kind == "subscriber":
        sub = planted.text[-7:]
        text, part = f"reach them on {sub[:3]}-{sub[3:]} ext 12", Planted("phone", sub, digits_needle(sub))
    elif kind == "reversed":
        text, part = f"rev: {value[::-1]}", planted
    elif kind == "doubled":
        text, part = "".join(c + c for c in value), planted
    else:
        text, part = _separated(rng, value), Planted("email", value, _skeleton(value))
    second = call(tool_result(text), "search_notes")
    return Case("known-parts", [first, second], [planted, part], label=f"{what}:{kind}")
