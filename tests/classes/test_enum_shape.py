"""Enum-shaped values under skip keys that hold an IBAN or a glued name, through the to-client chain."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.classes import enum_shape_cases
from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness


@class_settings(80)
@given(
    case=st.randoms(use_true_random=False, note_method_calls=False).map(enum_shape_cases.enum_shaped_value)
)
def test_an_iban_in_pairs_or_a_glued_full_name_under_a_protocol_key_is_no_enum_and_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)
