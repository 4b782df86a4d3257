"""A value spaced out one character at a time (`j a n e @ a c m e . c o m`, `4-1-1-1-…`, `5_5_5_0_1_2_3`),
with any one separator a reader skips (whitespace, an ASCII stroke, a dot, a bullet), is still the value;
and spacing that spells nothing leaves the text readable."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.detect.known import KnownValues
from tests.detect.helpers import survives, tokenized
from tests.detect.strategies import embed
from tests.detect.view_classes import SPACING_SEPARATORS as SEPARATORS
from tests.detect.view_classes import spaced_out, spaced_out_variants

FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@FAST
@given(st.data())
def test_a_value_spaced_out_one_character_at_a_time_is_one_value(detector, data):
    _kind, context, value = data.draw(spaced_out())
    text, start, end = embed(data.draw, context, value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_a_name_the_session_knows_spaced_out_is_found(detector, data):
    name = data.draw(st.sampled_from(["Maria Gonzalez", "Korbinian Esposito", "Aiyana Whitfield"]))
    sep = data.draw(st.sampled_from([" ", "_", "-", "·"]))
    known = KnownValues()
    known.add(name, "PERSON")
    spaced = "   ".join(sep.join(part) for part in name.split())
    text, start, end = embed(data.draw, "", spaced)
    assert survives(detector, text, start, end, known) == ""


# Lower-case letters with no vowel spell no word and no name (a capital-led run is name-shaped, spaced
# out or not); digits up to six are no identifier.
_NO_VOWEL = list("bcdfghjkmnpqrstvwxz")


@FAST
@given(
    case=st.one_of(
        st.tuples(st.lists(st.sampled_from(_NO_VOWEL), min_size=4, max_size=12), st.sampled_from(SEPARATORS)),
        # four digits joined by dots are an IPv4 address, tokenized as one
        st.tuples(
            st.lists(st.sampled_from("0123456789"), min_size=4, max_size=6),
            st.sampled_from([s for s in SEPARATORS if s != "."]),
        ),
    )
)
def test_characters_spaced_out_that_spell_no_value_stay_readable(detector, case):
    chars, sep = case
    text = f"the options are {sep.join(chars)} today"
    assert tokenized(detector, text)[0] == text


@FAST
@given(st.data())
def test_a_value_spaced_out_with_its_spacing_varied_is_one_value(detector, data):
    """Doubled separators, separators at the edges, a run glued to a word, and (digits) a different
    separator in every gap or commas: one class, one reading."""
    form, _kind, context, value = data.draw(spaced_out_variants())
    text, start, end = embed(data.draw, context, value)
    # The separators at a run's edges carry nothing and may stay beside its token.
    assert survives(detector, text, start, end, slack=2 if form == "edges" else 0) == ""


@FAST
@given(st.data())
def test_a_known_name_spaced_out_with_a_wider_gap_between_its_words_is_found(detector, data):
    name = data.draw(st.sampled_from(["Maria Gonzalez", "Korbinian Esposito", "Aiyana Whitfield"]))
    sep = data.draw(st.sampled_from([".", "_", "-", "|"]))
    known = KnownValues()
    known.add(name, "PERSON")
    spaced = (sep + " " + sep).join(sep.join(part) for part in name.split())
    text, start, end = embed(data.draw, "", spaced)
    assert survives(detector, text, start, end, known) == ""


@FAST
@given(
    digits=st.lists(st.sampled_from("0123456789"), min_size=4, max_size=8),
    sep=st.sampled_from([":", " : ", "."]),
)
def test_single_digits_joined_by_colons_or_dots_are_an_address_or_a_time_not_a_spaced_out_number(
    detector, digits, sep
):
    """Eight groups at most: an IPv6 address's single-digit groups (`1:0:0:0:0:0:0:1`) or a time keep their
    reading (the address is tokenized as an address, or nothing at all)."""
    text = "value " + sep.join(digits) + " ok"
    out, _spans = tokenized(detector, text)
    assert "CREDIT_CARD" not in out and "PHONE_NUMBER" not in out and "US_SSN" not in out


@FAST
@given(
    digits=st.lists(st.sampled_from("0123456789"), min_size=4, max_size=12),
    sep=st.sampled_from([" ", ", ", ",", " - ", " | ", "\n", "\t"]),
    label=st.sampled_from(["scores:", "grid", "matrix", "clicks", "page", "Steps:"]),
)
def test_small_numbers_in_a_row_or_a_column_stay_readable(detector, digits, sep, label):
    """Shorter than a card and with no word that says phone, SSN or account before them, single digits in
    a row (scores, a keypad, a matrix) or a column of counts are data, not a spaced-out number."""
    text = f"{label} {sep.join(digits)}"
    assert tokenized(detector, text)[0] == text
