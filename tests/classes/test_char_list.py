"""Values spelled one character per list item through the to-client chain (`char_list_cases`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.classes import char_list_cases
from tests.classes.case import Case
from tests.classes.checks import class_settings
from tests.classes.harness import ChainHarness
from tests.classes.label_cases import altered, readable

_RANDOMS = st.randoms(use_true_random=False, note_method_calls=False)


@class_settings(80)
@given(case=_RANDOMS.map(char_list_cases.char_list))
def test_a_card_email_or_iban_spelled_one_character_per_list_item_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    received = chain.deliver(case)
    assert None not in received, f"blocked: {case.describe()}"
    assert not readable(case.planted, received), f"leak: {case.describe()}"


@class_settings(30)
@given(case=_RANDOMS.map(char_list_cases.char_list_ordinary))
def test_a_list_of_letters_that_spells_no_certain_value_stays(chain: ChainHarness, case: Case) -> None:
    changed = altered(case, chain.deliver(case))
    assert not changed, f"over-redaction: {case.describe()}: {changed}"
