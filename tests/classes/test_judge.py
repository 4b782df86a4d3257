"""The yardstick itself: with nothing tokenized, the judge reads every planted value of every class (so a
zero-leak result means the values were replaced, not that the judge was blind), and it reads nothing in
text that does not hold them."""

from __future__ import annotations

from random import Random

import pytest

from tests.classes.catalog import CLASSES, seeded
from tests.classes.harness import judge
from tests.classes.layers import base32_text, byte_escapes, byte_list, framed_base64, pdf_text
from tests.classes.planting import any_value, person
from tests.classes.wire import envelope


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_every_planted_value_is_readable_when_nothing_is_tokenized(cls: str) -> None:
    blind = [
        c.describe()
        for c in seeded(cls, 150)
        if len(judge(c, [m.payload for m in c.messages]).leaked) < len(c.planted)
    ]
    assert blind == []


def test_a_value_in_an_envelope_is_readable_when_nothing_is_tokenized() -> None:
    rng = Random(1)
    for _ in range(50):
        case = envelope(rng)
        assert judge(case, [m.envelope for m in case.messages]).leaked == case.planted


def test_an_untouched_over_redaction_case_has_every_survivor(cls: str = "over-redaction") -> None:
    for case in seeded(cls, 50):
        assert judge(case, [m.payload for m in case.messages]).altered == []


def test_tokens_and_other_values_are_not_read_as_the_planted_value() -> None:
    rng = Random(2)
    for _ in range(300):
        value = any_value(rng)
        other = any_value(rng, value.kind)
        name = person(rng)[0]
        text = f"{other.text} [[{value.kind.upper()}:k7q2m9x4tz3b8wqa]] {value.text[:-2]}".casefold()
        if other.text != value.text:
            assert not value.found_in(text)
        assert not name.found_in(text)


@pytest.mark.parametrize("generator", [base32_text, byte_escapes, byte_list, framed_base64, pdf_text])
def test_every_value_written_byte_by_byte_or_in_binary_framing_is_readable(generator) -> None:
    rng = Random(7)
    cases = [generator(rng) for _ in range(150)]
    blind = [
        c.describe() for c in cases if len(judge(c, [m.payload for m in c.messages]).leaked) < len(c.planted)
    ]
    assert blind == []
