"""Values split across a record's fields, and digits one per list item, through the to-client chain
(`record_parts_cases`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.classes import record_parts_cases as cases
from tests.classes import split_parts_cases as split
from tests.classes.case import Case, call, tool_result
from tests.classes.checks import class_settings
from tests.classes.harness import ChainHarness
from tests.classes.label_cases import altered

_RANDOMS = st.randoms(use_true_random=False, note_method_calls=False)


def _assert_hidden(chain: ChainHarness, case: Case) -> None:
    received = chain.deliver(case)
    assert None not in received, f"blocked: {case.describe()}"
    assert not cases.readable(case.planted, received), f"leak: {case.describe()}"


@class_settings(120)
@given(case=_RANDOMS.map(cases.name_parts))
def test_a_family_name_in_its_own_field_is_tokenized_in_every_record_placement(
    chain: ChainHarness, case: Case
) -> None:
    _assert_hidden(chain, case)


@class_settings(40)
@given(case=_RANDOMS.map(cases.name_parts_word_surname))
def test_a_family_name_that_is_also_a_word_is_tokenized_beside_a_given_name(
    chain: ChainHarness, case: Case
) -> None:
    _assert_hidden(ChainHarness(chain.engine), case)  # a session of its own: nothing learnt before


@class_settings(60)
@given(case=_RANDOMS.map(cases.phone_parts))
def test_a_phone_number_split_into_country_area_and_number_fields_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    _assert_hidden(chain, case)


@class_settings(40)
@given(case=_RANDOMS.map(cases.ssn_parts))
def test_an_ssn_split_into_area_group_and_serial_fields_is_tokenized(chain: ChainHarness, case: Case) -> None:
    _assert_hidden(chain, case)


@class_settings(40)
@given(case=_RANDOMS.map(cases.email_parts))
def test_an_email_split_into_local_part_and_domain_fields_has_its_local_part_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    _assert_hidden(chain, case)


@class_settings(60)
@given(case=_RANDOMS.map(cases.digit_list))
def test_an_ssn_phone_card_iban_or_customer_id_one_character_per_list_item_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    _assert_hidden(chain, case)


@class_settings(60)
@given(case=_RANDOMS.map(split.split_parts))
def test_an_ssn_phone_card_or_iban_in_parts_under_the_key_that_names_it_is_tokenized_whatever_the_parts_keys(
    chain: ChainHarness, case: Case
) -> None:
    _assert_hidden(chain, case)


@class_settings(60)
@given(case=_RANDOMS.map(split.split_parts_text))
def test_the_same_split_values_written_as_csv_xml_or_yaml_in_a_text_block_are_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    _assert_hidden(chain, case)


@pytest.mark.parametrize(
    "build", [cases.name_parts_ordinary, cases.digit_list_ordinary, split.split_parts_ordinary]
)
def test_ordinary_values_under_part_keys_and_lists_of_ordinary_characters_stay(
    chain: ChainHarness, build: Callable[[Random], Case]
) -> None:
    rng = Random(20261206)
    for _ in range(40):
        case = build(rng)
        changed = altered(case, chain.deliver(case))
        assert not changed, f"over-redaction: {case.describe()}: {changed}"


def test_a_split_values_parts_take_its_one_token_and_are_not_learnt_as_values_of_their_own(
    chain: ChainHarness,
) -> None:
    """`6789`, the last part of an SSN in a CSV row or under `{"ssn": {…}}`, is no SSN of its own: a later
    `room 6789` stays readable, and every part carries the joined value's token."""
    session = ChainHarness(chain.engine)
    texts = ["ssn_area,ssn_group,ssn_serial\n123,45,6789\n", "<ssn><a>123</a><b>45</b><c>6789</c></ssn>"]
    for text in texts:
        got = session.deliver(Case("x", [call(tool_result(text))]))[0]["content"][0]["text"]
        assert len(set(re.findall(r"\[\[US_SSN:\w+\]\]", got))) == 1 and "6789" not in got
    phone = {"tel": {"npa": "415", "nxx": "555", "line": "2013"}, "fax": {"a": 415, "b": 555, "c": 2014}}
    got = session.deliver(Case("x", [call(tool_result(structured=phone))]))[0]["structuredContent"]
    assert len({*got["tel"].values()}) == 1 and len({*got["fax"].values()}) == 1
    later = "room 6789, ticket 2013, build 2014"
    assert session.deliver(Case("x", [call(tool_result(later))]))[0]["content"][0]["text"] == later
