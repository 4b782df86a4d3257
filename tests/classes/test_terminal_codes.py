"""A value cut or wrapped by terminal control sequences (`tests.classes.terminal`) is tokenized."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.classes import terminal
from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness


@class_settings(80)
@given(case=st.randoms(use_true_random=False).map(terminal.terminal_codes))
def test_a_value_cut_by_terminal_colour_cursor_or_title_codes_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    """What a terminal shows whole is read whole: SGR colours (7-bit and 8-bit CSI), erase and cursor codes,
    window titles and hyperlink ends (BEL or ST), charset escapes, anywhere inside the value."""
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(terminal.overstrike))
def test_a_value_written_with_backspaces_is_read_as_a_terminal_shows_it_and_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    """nroff bold (`4\\b4`) and underline (`_\\b4`, `4\\b_`), a wrong character struck over (`9\\b4111…`)."""
    assert_no_leak(chain, case)
