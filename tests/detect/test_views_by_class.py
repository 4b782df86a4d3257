"""Each class of disguise on the normalized view, drawn from the property that defines it
(`tests.detect.view_classes`), is undone: the value is covered by one replaced span."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.detect.helpers import survives
from tests.detect.strategies import embed, planted
from tests.detect.view_classes import (
    separated_by_run,
    spelled_emails,
    with_compatibility_forms,
    with_invisibles,
)

FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FAST
@given(st.data())
def test_any_invisible_character_by_property_inside_a_value_hides_nothing(detector, data):
    _kind, context, value = data.draw(planted())
    text, start, end = embed(data.draw, context, data.draw(with_invisibles(value)))
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_any_compatibility_form_or_script_digit_of_a_value_hides_nothing(detector, data):
    _kind, context, value = data.draw(planted())
    text, start, end = embed(data.draw, context, data.draw(with_compatibility_forms(value)))
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_digit_groups_joined_by_any_separator_run_are_one_value(detector, data):
    _kind, value = data.draw(separated_by_run())
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_an_email_address_spelled_out_or_spaced_is_one_value(detector, data):
    value = data.draw(spelled_emails())
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_classes_stacked_on_one_value_are_all_undone(detector, data):
    """A separator run between groups, then compatibility forms, then invisible characters."""
    _kind, value = data.draw(separated_by_run())
    disguised = data.draw(with_invisibles(data.draw(with_compatibility_forms(value))))
    text, start, end = embed(data.draw, "", disguised)
    assert survives(detector, text, start, end) == ""
