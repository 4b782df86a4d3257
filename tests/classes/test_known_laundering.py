"""Classes the session's knowledge must cover, through the real to-client chain of a default install:

- a known value laundered back (transforms composed: word order, legal form dropped, accents dropped,
  case, joiner — slug, snake, camel, `+`, `%20`, no space) — `proxy.detect.known_skeleton`;
- a key rule's key written another way (fullwidth, confusable letters, plural, a prefix word, a trailing
  number, composed) over a value of any shape (scalar, list, list of objects, nested) — `proxy.policy.keys`
  and the walker carrying a rule into containers;
- a value detected in one leaf placed bare in another leaf of the same message (either order, as another
  value, in a list, as an object key) — `proxy.filters.tokenize._spread_new_values`.
"""

from __future__ import annotations

import json
import unicodedata
from random import Random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.classes.case import Case, call, tool_result
from tests.classes.checks import assert_clean, class_settings
from tests.classes.harness import ChainHarness
from tests.classes.judge import leaves
from tests.classes.planting import Planted, account, person, phone

_RANDOMS = st.randoms(use_true_random=False, note_method_calls=False)


# ------------------------------------------------------------------------------ laundered known values
def _camel(words: list[str]) -> str:
    return "".join(w[:1].upper() + w[1:].lower() for w in words)


JOINERS = {
    "space": " ".join,
    "none": "".join,
    "kebab": "-".join,
    "snake": "_".join,
    "plus": "+".join,
    "percent-space": "%20".join,
    "dot": ".".join,
    "camel": _camel,
}
CASES = {"as-is": str, "upper": str.upper, "lower": str.lower}


def _laundered(rng: Random, words: list[str], kind: str) -> tuple[str, str]:
    """Two or three transforms composed: word order (a person) or legal form dropped (an account), then
    a joiner, then a case."""
    labels = []
    if kind == "person" and rng.random() < 0.5:
        words = [words[-1], *words[:-1]]
        labels.append("reversed")
        if rng.random() < 0.5:
            words = [words[0] + ",", *words[1:]]
            labels.append("comma")
    if kind == "account" and rng.random() < 0.5:
        words = words[:-1]
        labels.append("no-legal-form")
    if not all(w.isascii() for w in words) and rng.random() < 0.7:  # as a slug writes it: `José` → `Jose`
        words = [
            "".join(c for c in unicodedata.normalize("NFD", w) if not unicodedata.combining(c)) for w in words
        ]
        labels.append("unaccented")
    joiner = rng.choice(sorted(JOINERS))
    case = rng.choice(sorted(CASES))
    text = CASES[case](JOINERS[joiner](words))
    return text, "+".join([*labels, joiner, case])


def laundered_known_value(rng: Random) -> tuple[Case, str]:
    kind = rng.choice(["person", "account"])
    if kind == "person":
        planted, first, last = person(rng)
        value, field = f"{first} {last}", "fullName"
    else:
        planted = account(rng)
        value, field = planted.text, "descriptiveName"
    first_msg = call(tool_result(structured={"contact": {"id": 1, field: value}}), "get_contact")
    laundered, how = _laundered(rng, value.split(" "), kind)
    text = rng.choice(["Re: {v}", "ref={v}&ok=1", "{v}", "/accounts/{v}/report", "tag:{v} (renewal)"])
    second = call(tool_result(text.format(v=laundered)), "search_notes")
    return Case("known-laundered", [first_msg, second], [planted], label=f"{kind}:{how}"), laundered


@class_settings(150)
@given(rng=_RANDOMS)
def test_a_known_value_laundered_by_two_transforms_is_tokenized(chain: ChainHarness, rng: Random) -> None:
    case, laundered = laundered_known_value(rng)
    out = chain.run(case)
    assert_clean(out)
    got = [s.casefold() for r in out.received[1:] if r is not None for s in leaves(r)]
    assert not any(laundered.casefold() in s for s in got), f"laundered form survived: {case.label}"


# --------------------------------------------------------------------------------- key-rule variants
RULE_KEYS = (
    ("email", "EMAIL_ADDRESS"),
    ("emailAddress", "EMAIL_ADDRESS"),
    ("phoneNumber", "PHONE_NUMBER"),
    ("mobile", "PHONE_NUMBER"),
    ("customerId", "GOOGLE_ADS_CUSTOMER_ID"),
    ("fullName", "PERSON"),
    ("accountName", "ACCOUNT_NAME"),
    ("address", "LOCATION"),
)
_FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_CYRILLIC = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р"}


def _split(key: str) -> list[str]:
    import re

    return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|\d+", key)]


def _key_variant(rng: Random, key: str) -> tuple[str, str]:
    def plural(k: str) -> str:
        return k + ("es" if k.endswith(("s", "x")) else "s")

    def prefix(k: str) -> str:
        return rng.choice(["primary", "contact", "work", "billing"]) + k[:1].upper() + k[1:]

    def numbered(k: str) -> str:
        return f"{k}_{rng.randrange(1, 4)}"

    def snake(k: str) -> str:
        return "_".join(_split(k))

    def upper(k: str) -> str:
        return "_".join(_split(k)).upper()

    def fullwidth(k: str) -> str:
        return "".join(_FULLWIDTH.get(c, c) for c in k)

    def confusable(k: str) -> str:
        return "".join(_CYRILLIC.get(c, c) if rng.random() < 0.6 else c for c in k)

    # word-level first (they need the letters), then the spelling of the letters
    word_level = [plural, prefix, numbered, snake, upper]
    letters = [fullwidth, confusable]
    steps = rng.sample(word_level, rng.choice([1, 2]))
    if plural in steps and numbered in steps:
        steps.remove(numbered)
    if snake in steps and upper in steps:
        steps.remove(upper)
    steps.sort(key=word_level.index)
    if rng.random() < 0.5:
        steps.append(rng.choice(letters))
    for step in steps:
        key = step(key)
    return key, "+".join(s.__name__ for s in steps)


def _shaped(rng: Random, values: list[str]) -> tuple[Any, str]:
    shape = rng.choice(["scalar", "list", "objects", "nested"])
    if shape == "scalar":
        return values[0], shape
    if shape == "list":
        return values, shape
    if shape == "objects":
        return [{"type": "work", "value": v, "primary": i == 0} for i, v in enumerate(values)], shape
    return {"data": {"current": values[0], "history": values[1:]}}, shape


def _opaque(rng: Random) -> str:
    """A value no recognizer would find on its own: only the key says what it is."""
    return "vq" + "".join(rng.choice("bcdfghjkmnpqrstvwxz") for _ in range(10))


@class_settings(200)
@given(rng=_RANDOMS)
def test_a_rule_key_written_another_way_names_every_value_under_it(chain: ChainHarness, rng: Random) -> None:
    key, _entity = rng.choice(RULE_KEYS)
    variant, how = _key_variant(rng, key)
    values = [_opaque(rng) for _ in range(rng.randrange(2, 4))]
    shaped, shape = _shaped(rng, values)
    count = rng.randrange(2, 500)  # a plural key's small number is a count, not the rule's value
    structured = {"record": {"id": 7, "status": "ENABLED", variant: shaped}, "stats": {key + "s": count}}
    planted = [Planted("key-rule", v, v) for v in values]
    case = Case("key-rules", [call(tool_result(structured=structured), "lookup")], planted)
    out = chain.run(case)
    assert not out.leaked, f"{key} as {how} over {shape}"
    strings = [s for r in out.received if r is not None for s in leaves(r)]
    if shape == "objects":  # an enum under a skipped key stays readable
        assert "work" in strings, f"{key} as {how}: the enum was tokenized"
    assert "ENABLED" in strings
    stats = [r.get("structuredContent", {}).get("stats") for r in out.received if r is not None]
    assert stats == [{key + "s": count}], f"the count under {key}s was tokenized"


# ------------------------------------------------------------------------- one value, two placements
def _placed_twice(rng: Random) -> tuple[Case, str]:
    planted = phone(rng, reliable=True)
    national = planted.text.split(" ", 1)[1] if planted.text.startswith("+") else planted.text
    bare = "".join(c for c in national if c.isdigit())  # the national number, ungrouped
    note = rng.choice(["Call me at {v} after 5pm.", "Phone: {v}", "mobile {v}"])
    told = {"note": note.format(v=planted.text)}
    where = rng.choice(["value", "list", "object-key", "text"])
    if where == "value":
        other: dict[str, Any] = {"ref": bare}
    elif where == "list":
        other = {"refs": ["A-17", bare]}
    elif where == "object-key":
        other = {"byRef": {bare: 3}}
    else:
        other = {"memo": f"ticket {bare} closed"}
    items = [told, other] if rng.random() < 0.5 else [other, told]
    structured = {"rows": items}
    result = tool_result(json.dumps(structured)) if rng.random() < 0.5 else tool_result(structured=structured)
    return Case("placed-twice", [call(result, "lookup")], [planted], label=where), bare


@class_settings(80)
@given(rng=_RANDOMS)
def test_a_value_found_in_one_leaf_is_replaced_in_every_other_leaf(chain: ChainHarness, rng: Random) -> None:
    case, bare = _placed_twice(rng)
    out = chain.run(case)
    assert_clean(out)
    got = json.dumps(out.received)
    assert bare not in got, f"the bare placement survived: {case.label}"
