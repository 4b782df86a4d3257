"""Where a value sits: every string the client can read is scanned, and numbers are candidates too."""

from __future__ import annotations

from hypothesis import given

from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness
from tests.classes.strategies import cases


@class_settings(60)
@given(case=cases("control"))
def test_a_reliably_written_value_in_a_sentence_is_tokenized(chain: ChainHarness, case: Case) -> None:
    assert_no_leak(chain, case)


@class_settings(80)
@given(case=cases("formats"))
def test_values_in_national_and_bare_formats_are_tokenized(chain: ChainHarness, case: Case) -> None:
    assert_no_leak(chain, case)


@class_settings(100)
@given(case=cases("placement"))
def test_a_value_anywhere_the_client_can_read_it_is_tokenized(chain: ChainHarness, case: Case) -> None:
    """Under any key (status, type, mimeType…) at any depth, as an object key, in JSON nested in text,
    in errors, notifications, tools/list schemas, resource lists, prompts, `_meta` and `initialize`."""
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=cases("numbers"))
def test_a_personal_value_written_as_a_json_number_is_tokenized(chain: ChainHarness, case: Case) -> None:
    assert_no_leak(chain, case)
