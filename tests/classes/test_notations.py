"""A value written out of the usual notation or order: IPv4 notations, spelled digits, backwards, down a
column, cut across text blocks, Ascii85 and uuencode blocks (`tests.classes.notations`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.classes import notations
from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(notations.ip_notations))
def test_an_ipv4_address_in_any_notation_inet_aton_reads_is_tokenized_where_an_address_is_expected(
    chain: ChainHarness, case: Case
) -> None:
    """Octal or hex parts, one 32-bit number (plain, grouped by commas, hex, octal), the last part wide."""
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(notations.spelled_digits))
def test_digits_spelled_as_words_are_read_as_the_number_they_spell(chain: ChainHarness, case: Case) -> None:
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(notations.reversed_text))
def test_a_value_written_backwards_or_under_a_bidi_override_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(notations.one_per_line))
def test_a_value_written_one_character_per_line_is_tokenized(chain: ChainHarness, case: Case) -> None:
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(notations.split_blocks))
def test_a_value_cut_across_text_blocks_is_tokenized_whole(chain: ChainHarness, case: Case) -> None:
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(notations.block_encodings))
def test_a_value_in_an_ascii85_or_uuencode_block_is_tokenized(chain: ChainHarness, case: Case) -> None:
    assert_no_leak(chain, case)
