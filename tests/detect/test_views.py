"""Values disguised with Unicode tricks are found on the normalized view and replaced in the original."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.detect.helpers import survives
from tests.detect.strategies import (
    embed,
    planted,
    separated,
    with_confusables,
    with_invisibles,
    with_script_digits,
)

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(st.data())
def test_every_planted_value_in_plain_form_is_tokenized(detector, data):
    """The generators' own check: each class is detected as written, so the disguises below are the
    only thing the other tests vary."""
    _kind, context, value = data.draw(planted())
    text, start, end = embed(data.draw, context, value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_a_value_with_invisible_characters_inside_is_tokenized(detector, data):
    _kind, context, value = data.draw(planted())
    disguised = data.draw(with_invisibles(value))
    text, start, end = embed(data.draw, context, disguised)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_a_value_with_confusable_letters_is_tokenized(detector, data):
    _kind, context, value = data.draw(planted(["email", "iban"]))
    disguised = data.draw(with_confusables(value))
    text, start, end = embed(data.draw, context, disguised)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_a_value_written_in_another_script_s_digits_is_tokenized(detector, data):
    _kind, context, value = data.draw(planted(["phone", "card", "iban", "ssn", "customer"]))
    disguised = data.draw(with_script_digits(value))
    text, start, end = embed(data.draw, context, disguised)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_a_grouped_number_with_any_separator_is_tokenized(detector, data):
    _kind, value = data.draw(separated())
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_disguises_stacked_on_one_value_are_all_undone(detector, data):
    _kind, context, value = data.draw(planted(["email", "iban", "customer"]))
    disguised = data.draw(with_invisibles(data.draw(with_script_digits(data.draw(with_confusables(value))))))
    text, start, end = embed(data.draw, context, disguised)
    assert survives(detector, text, start, end) == ""
