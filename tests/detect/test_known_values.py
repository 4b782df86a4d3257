"""A value tokenized earlier in the session cannot come back re-cased, re-spaced, reordered or re-encoded."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from proxy.detect.known import KnownValues
from tests.detect.helpers import survives, tokenized
from tests.detect.strategies import LAYERS, WORDS, embed, encode, with_invisibles

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

name_parts = st.text("abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=9).filter(lambda w: w not in WORDS)
SPACES = [" ", "  ", "\t", "\u00a0", "\u2009", " \n "]


def _case(draw: st.DrawFn, s: str) -> str:
    return draw(st.sampled_from([s.upper(), s.lower(), s.title(), s.swapcase()]))


@st.composite
def person(draw: st.DrawFn) -> tuple[str, str]:
    return draw(name_parts).title(), draw(name_parts).title()


@st.composite
def rewritten_name(draw: st.DrawFn, first: str, last: str) -> str:
    """How a tool writes a name it was given back: any case, any spacing, surname first with or without a
    comma."""
    space = draw(st.sampled_from(SPACES))
    order = draw(st.sampled_from(["first last", "last first", "last, first"]))
    text = order.replace("first", first).replace("last", last).replace(" ", space)
    return _case(draw, text)


@FAST
@given(st.data())
def test_a_known_name_re_cased_re_spaced_or_reordered_is_tokenized(detector, data):
    first, last = data.draw(person())
    known = KnownValues()
    known.add(f"{first} {last}", "PERSON")
    text, start, end = embed(data.draw, "", data.draw(rewritten_name(first, last)))
    assert survives(detector, text, start, end, known) == ""


@FAST
@given(st.data())
def test_a_known_value_with_invisible_characters_or_encoded_is_tokenized(detector, data):
    first, last = data.draw(person())
    value = f"{first} {last} {data.draw(st.sampled_from(['LLC', 'GmbH', 'Ltd']))}"
    known = KnownValues()
    known.add(value, "ACCOUNT_NAME")
    shown = _case(data.draw, value)
    if data.draw(st.booleans()):
        shown = data.draw(with_invisibles(shown))
    else:
        shown = encode(data.draw(st.sampled_from(LAYERS)), shown, random.Random(data.draw(st.integers(0, 9))))
    text, start, end = embed(data.draw, "", shown)
    assert survives(detector, text, start, end, known) == ""


@FAST
@given(st.data())
def test_a_first_name_alone_or_inside_a_word_is_not_a_known_full_name(detector, data):
    # (a distinctive surname alone is the person: tests/detect/test_known_parts.py)
    first, last = data.draw(person())
    assume(first.casefold() != last.casefold())  # then the first name is the surname too
    known = KnownValues()
    known.add(f"{first} {last}", "PERSON")
    alone = data.draw(st.sampled_from([first, first.upper(), f"x{first.lower()}{last.lower()}y"]))
    text, _, _ = embed(data.draw, "", alone)
    out, _ = tokenized(detector, text, known)
    without, _ = tokenized(detector, text, KnownValues())
    assert out == without  # the known full name adds nothing (a name recognizer may still judge the word)


# A known ID's digits written as part of a decimal: the integer part, the fraction, either side of `.`/`,`
# (`ctr 0.1000000000`, `12.1000000000`, `1000000000.5`), in both the exact and the skeleton matcher (a
# grouped number's digits); standing alone, or before a full stop or comma, it is still the ID.
_ID_DIGITS = st.text("0123456789", min_size=7, max_size=12).filter(lambda d: d[0] != "0")


@FAST
@given(
    digits=_ID_DIGITS,
    grouped=st.booleans(),
    other=st.text("0123456789", min_size=1, max_size=4),
    point=st.sampled_from(".,"),
    fraction_side=st.booleans(),
    prefix=st.sampled_from(["", "ctr ", "x="]),
)
def test_a_known_numbers_digits_inside_a_decimal_are_not_the_number(
    digits: str, grouped: bool, other: str, point: str, fraction_side: bool, prefix: str
) -> None:
    known = KnownValues()
    value = f"{digits[:3]} {digits[3:]}" if grouped else digits
    known.add(value, "CUSTOMER_ID")
    number = f"{other}{point}{digits}" if fraction_side else f"{digits}{point}{other}"
    assert known.find(f"{prefix}{number} done") == []
    assert known.find(f"{prefix}{digits}{point} done")  # the ID before a full stop or a comma


@pytest.mark.parametrize("short", ["3000", "02139", "12-34", "415 555", "0123"])
def test_a_short_run_of_digits_learnt_as_a_value_is_not_matched_inside_later_numbers(short):
    """A record's part or a postal code identifies nobody alone; known, it would hide the same digits in
    every later IBAN, amount or id of the session (`370400440532013000`)."""
    known = KnownValues()
    known.add(short, "EMAIL_ADDRESS")
    known.add("4155550123", "PHONE_NUMBER")  # long enough: still found, inside other text too
    digits = "".join(c for c in short if c.isdigit())
    later = f"bban 3704004405320{digits} amount {digits}.00 call 4155550123"
    found = {later[s.start : s.end] for s in known.find(later)}
    assert found == {"4155550123"}


@pytest.mark.parametrize("short", ["3000", "02139", "415 555"])
def test_a_short_run_of_digits_learnt_as_a_value_is_still_found_standing_alone(short):
    known = KnownValues()
    known.add(short, "CUSTOMER_REF")
    later = f"ref {short} confirmed"
    assert {later[s.start : s.end] for s in known.find(later)} == {short}
