"""A value written one byte or character at a time in another notation: bare byte codes, named or UTF-7
characters, look-alike `@`s and address comments, Ascii85/uuencode without a closing frame
(`tests.classes.byte_codes`)."""

from __future__ import annotations

from collections.abc import Callable
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.classes import byte_codes
from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness, judge


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(byte_codes.byte_codes))
def test_a_value_written_as_bare_byte_codes_in_base_2_8_10_16_or_as_code_points_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(byte_codes.named_characters))
def test_a_value_with_characters_written_by_unicode_name_or_in_utf7_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(byte_codes.email_stand_ins))
def test_an_email_with_a_look_alike_at_sign_or_a_comment_in_it_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@class_settings(40)
@given(case=st.randoms(use_true_random=False).map(byte_codes.open_blocks))
def test_an_ascii85_or_uuencode_block_without_its_closing_frame_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@pytest.mark.parametrize(
    "builder",
    [byte_codes.byte_codes, byte_codes.named_characters, byte_codes.email_stand_ins, byte_codes.open_blocks],
)
def test_the_judge_reads_every_value_of_these_notations_when_nothing_is_tokenized(
    builder: Callable[[Random], Case],
) -> None:
    """Without this the tests above could not fail: the judge must read each notation on its own."""
    rng = Random(f"{builder.__name__}:20261206")
    cases = [builder(rng) for _ in range(150)]
    blind = [
        c.describe() for c in cases if len(judge(c, [m.payload for m in c.messages]).leaked) < len(c.planted)
    ]
    assert blind == []
