"""A known number matches where it stands as a number of its own, never as a piece of a longer number.

Found by hypothesis: a session that had learnt the SSN `100000000` turned `{"clicks": 1000000000}` into
`[[US_SSN:…]]0`. Digits running on are another number (a metric, an order id); letters or punctuation
beside the digits (`ID100000000`, `100000000.`) still leave the known number readable, so it still goes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.detect.known import KnownValues

numbers = st.integers(10**5, 10**12 - 1).map(str)
long_numbers = st.integers(10**6, 10**12 - 1).map(str)  # shorter ones need a boundary of their own
digits = st.text("0123456789", min_size=1, max_size=4)
ENTITIES = ["US_SSN", "GOOGLE_ADS_CUSTOMER_ID", "PHONE_NUMBER", "CUSTOMER_REF"]


@settings(max_examples=300, deadline=None)
@given(
    numbers, digits, digits, st.sampled_from(ENTITIES), st.sampled_from(["{}", "order {} shipped", '"n": {}'])
)
def test_a_known_number_inside_a_longer_number_is_not_matched(value, before, after, entity, template):
    known = KnownValues()
    known.add(value, entity)
    for longer in (before + value, value + after, before + value + after):
        text = template.format(longer)
        assert known.find(text) == [] or all(text[s.start : s.end] != value for s in known.find(text)), text


@settings(max_examples=300, deadline=None)
@given(
    long_numbers,
    st.sampled_from(ENTITIES),
    st.sampled_from(["{}", "ID{}", "{}x", "cust-{}", "({})", "{}.", "{},", "a{}b", "n={}&m=2", "#{}"]),
)
def test_a_known_number_beside_letters_or_punctuation_is_still_matched(value, entity, template):
    known = KnownValues()
    known.add(value, entity)
    text = template.format(value)
    spans = known.find(text)
    assert any(text[s.start : s.end] == value and s.entity == entity for s in spans), text
