"""The guards of skeleton matching (`proxy.detect.known_skeleton`) and glued values (`proxy.detect.glued`).

Skeleton matching must not over-redact: a known name's first or last name alone, the value's letters inside
a longer word, a value too short to have a skeleton, and an amount whose digits happen to be a known ID's
stay as they are. Glued values: a checksum-validated or formatted value glued to letters on both sides is
found (`abc378-56-3784xyz`), and a bare digit run glued to letters (an identifier's digits) is not.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.detect.known import KnownValues
from tests.detect.helpers import survives, tokenized
from tests.detect.strategies import card_groups, phone_groups, ssn_groups

FAST = settings(max_examples=60, deadline=None)
_NAME = st.text("abcdefghijklmnoprstuvwyz", min_size=3, max_size=9).map(str.capitalize)
_NEUTRAL = ("Meeting notes:", "Forwarded to the team,", "see", "ref")


@FAST
@given(first=_NAME, last=_NAME, lead=st.sampled_from(_NEUTRAL), data=st.data())
def test_a_part_of_a_known_name_or_its_letters_inside_a_word_are_not_matched(first, last, lead, data) -> None:
    if first.casefold() == last.casefold():
        return
    known = KnownValues()
    known.add(f"{first} {last}", "PERSON")
    alone = data.draw(
        st.sampled_from(
            [  # (a distinctive surname alone is the person: tests/detect/test_known_parts.py)
                first,
                first.upper(),
                f"x{first.lower()}{last.lower()}y",
                f"{first}{last}ing",
                f"pre{first.lower()}{last.lower()}",
            ]
        )
    )
    assert known.find(f"{lead} {alone} today") == []


@FAST
@given(word=st.text("abcdefghiklmnoprstuvy", min_size=1, max_size=4), other=_NAME)
def test_a_value_too_short_for_a_skeleton_is_matched_only_as_written(word, other) -> None:
    known = KnownValues()
    known.add(f"{word} {word}", "ACCOUNT_NAME")  # at most 8 letters, often under MIN_SKELETON
    text = f"{other}:{word}{word}x {word}-{word}{other.lower()}"  # never `{word} {word}` as written
    spans = known.find(text)
    assert all(text[s.start - 1 : s.start] in ("", " ", "-") for s in spans)


@FAST
@given(digits=st.integers(10**8, 10**9 - 1))
def test_an_amount_whose_digits_are_a_known_id_is_not_matched(digits) -> None:
    known = KnownValues()
    known.add(str(digits), "GOOGLE_ADS_CUSTOMER_ID")
    d = str(digits)
    for amount in (f"{d[:3]},{d[3:6]},{d[6:]}", f"{d[:7]}.{d[7:]}", f"{d[:1]},{d[1:4]},{d[4:7]}.{d[7:]}"):
        assert known.find(f"spend {amount} EUR") == []
    assert known.find(f"account {d[:3]}-{d[3:6]}-{d[6:]} paused") != []


def _glued(draw: st.DrawFn, value: str) -> tuple[str, int, int]:
    before = draw(st.sampled_from(["abc", "ID", "ref:", "x", "Kunde"]))
    after = draw(st.sampled_from(["xyz", "END", "X", "b", "Ende"]))
    return before + value + after, len(before), len(before) + len(value)


@FAST
@given(data=st.data())
def test_a_checked_or_formatted_value_glued_to_letters_is_found(detector, data) -> None:
    kind = data.draw(st.sampled_from(["ssn", "card", "phone"]))  # an IBAN's letters glue to letters
    if kind == "ssn":
        value = "-".join(data.draw(ssn_groups()))
    elif kind == "card":
        value = data.draw(st.sampled_from(["", " ", "-"])).join(data.draw(card_groups()))
    else:
        a, b, c = data.draw(phone_groups())
        value = data.draw(st.sampled_from([f"+1 {a} {b} {c}", f"({a}) {b}-{c}", f"{a}-{b}-{c}"]))
    text, start, end = _glued(data.draw, value)
    assert survives(detector, text, start, end) == "", kind


@FAST
@given(digits=st.integers(10**9, 10**10 - 1), data=st.data())
def test_a_bare_digit_run_glued_to_letters_stays_an_identifier(detector, digits, data) -> None:
    text, _, _ = _glued(data.draw, str(digits))
    out, _ = tokenized(detector, f"SKU {text}")
    assert "GOOGLE_ADS" not in out and "US_SSN" not in out and "CREDIT_CARD" not in out
