"""A value one level down in a wrapper under the key that names it (red team round nine, class 4): the
wrapper's one child takes the key's context whatever the child's key, as a generic child key (`id`,
`value`) already did; beside other children, an unknown child key does not (`{"customer": {"id": …,
"created": 1767225600}}` keeps its time)."""

from __future__ import annotations

import json
from random import Random

import pytest

from tests.classes.case import Case, call, tool_result
from tests.classes.harness import ChainHarness
from tests.classes.planting import card_digits, ssn_digits

WRAPPERS = ("S", "N", "stringValue", "integerValue", "raw", "v", "n", "val", "text", "data", "plain")
# Bare digits, as a wrapper's `N` or `S` holds them: no shape says what they are without their key.
KEYS = {
    "ssn": ssn_digits,
    "social_security_number": ssn_digits,
    "card": card_digits,
    "card_number": card_digits,
    "phone": lambda rng: f"{rng.choice(('415', '212', '617'))}{rng.randrange(2000000, 9999999)}",
    "tel": lambda rng: f"{rng.choice(('312', '206', '303'))}{rng.randrange(2000000, 9999999)}",
}


@pytest.mark.parametrize("seed", range(3))
def test_the_one_child_of_a_wrapper_under_a_context_key_is_tokenized(fresh: ChainHarness, seed: int) -> None:
    rng = Random(seed)
    leaked = []
    for _ in range(50):
        key = rng.choice(sorted(KEYS))
        digits = KEYS[key](rng)
        inner = {rng.choice(WRAPPERS): digits if rng.random() < 0.5 else int(digits)}
        record = {key: inner, "status": "OK"}
        where = rng.choice(("structured", "text"))
        result = tool_result(structured=record) if where == "structured" else tool_result(json.dumps(record))
        out = ChainHarness(fresh.engine).deliver(Case("wrappers", [call(result)]))[0]
        if out is None or digits in json.dumps(out):
            leaked.append((key, inner))
    assert leaked == []


def test_an_unknown_child_beside_others_keeps_its_value(fresh: ChainHarness) -> None:
    record = {"customer": {"id": 1234567890, "created": 1767225600}}
    out = ChainHarness(fresh.engine).deliver(Case("wrappers", [call(tool_result(structured=record))]))[0]
    assert out["structuredContent"]["customer"]["created"] == 1767225600
    assert out["structuredContent"]["customer"]["id"] != 1234567890
