"""A known value's distinctive part alone, or the value backwards, doubled or separated character by
character, through the real to-client chain (`known_parts_cases`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.classes import known_parts_cases
from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness


@class_settings(120)
@given(case=st.randoms(use_true_random=False, note_method_calls=False).map(known_parts_cases.laundered_part))
def test_a_known_values_distinctive_part_or_the_value_reversed_doubled_or_separated_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)
