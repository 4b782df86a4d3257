"""People: names on the default install, and values the session knows coming back laundered."""

from __future__ import annotations

from random import Random

from hypothesis import given
from hypothesis import strategies as st

from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness
from tests.classes.people import name_lists, names_in_fields, names_in_free_text
from tests.classes.strategies import cases


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(names_in_fields))
def test_person_names_in_owner_lines_short_fields_and_name_columns_are_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


def test_person_names_in_free_text_notes_meet_the_recall_bar(chain: ChainHarness) -> None:
    """DESIGN §6: with the default install, at most 5 % of person names in free text reach the model."""
    rng = Random(20261204)
    outcomes = [chain.run(names_in_free_text(rng)) for _ in range(200)]
    planted = sum(len(o.case.planted) for o in outcomes)
    leaked = sum(len(o.leaked) for o in outcomes)
    assert leaked / planted <= 0.05, f"{leaked} of {planted} names reached the client"


@class_settings(60)
@given(case=cases("known-values"))
def test_a_known_value_upper_cased_respaced_reordered_or_encoded_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


def test_a_list_of_person_names_is_judged_as_a_name_column_whatever_its_case(chain: ChainHarness) -> None:
    """A completion's values or a bare `members` list, plain, ALL CAPS or lower case (seeded cases: each
    style comes up a score of times)."""
    outcomes = [chain.run(name_lists(Random(f"name-list:{i}"))) for i in range(80)]
    leaky = [o.summary() for o in outcomes if o.leaked]
    assert leaky == []
