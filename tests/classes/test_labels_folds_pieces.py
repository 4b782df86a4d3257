"""Labels written as data, folded lines and values in pieces, as classes through the real to-client chain of
a default install (`label_cases`): each planted value is tokenized, each ordinary neighbour stays."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.classes import label_cases
from tests.classes.case import Case
from tests.classes.checks import class_settings
from tests.classes.harness import ChainHarness

_RANDOMS = st.randoms(use_true_random=False, note_method_calls=False)


def _no_leak(chain: ChainHarness, case: Case) -> None:
    received = chain.deliver(case)
    assert None not in received, f"blocked: {case.describe()}"
    leaks = label_cases.readable(case.planted, received)
    assert not leaks, f"leak: {case.describe()}"


def _unchanged(chain: ChainHarness, case: Case) -> None:
    changed = label_cases.altered(case, chain.deliver(case))
    assert not changed, f"over-redaction: {case.describe()}: {changed}"


@class_settings(150)
@given(case=_RANDOMS.map(label_cases.labelled))
def test_a_bare_value_named_by_a_label_written_as_data_is_tokenized(chain: ChainHarness, case: Case) -> None:
    """An SSN, phone, customer ID or person name, bare, beside its label: an attribute/value record, a
    header column (JSON columns/rows, CSV, TSV, Markdown), an XML element or a `key="value"` assignment."""
    _no_leak(chain, case)


@class_settings(150)
@given(case=_RANDOMS.map(label_cases.labelled_ordinary))
def test_a_product_date_amount_or_version_under_a_personal_label_stays(
    chain: ChainHarness, case: Case
) -> None:
    _unchanged(chain, case)


@class_settings(150)
@given(case=_RANDOMS.map(label_cases.folded))
def test_a_value_cut_by_a_folded_line_is_tokenized_whole(chain: ChainHarness, case: Case) -> None:
    """An email, phone, card, IBAN or person name cut anywhere by a vCard, iCalendar or mail-header fold."""
    _no_leak(chain, case)


@class_settings(100)
@given(case=_RANDOMS.map(label_cases.folded_ordinary))
def test_indented_json_yaml_crlf_lists_and_wrapped_prose_keep_their_words(
    chain: ChainHarness, case: Case
) -> None:
    _unchanged(chain, case)


@class_settings(150)
@given(case=_RANDOMS.map(label_cases.in_pieces))
def test_a_card_ssn_or_phone_written_in_pieces_under_its_key_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    """Its digits one by one, in groups or in halves, as strings or integers, in a list under its key."""
    _no_leak(chain, case)


@class_settings(100)
@given(case=_RANDOMS.map(label_cases.pieces_ordinary))
def test_lists_of_small_numbers_and_short_ids_stay(chain: ChainHarness, case: Case) -> None:
    """Counts, date parts, two five-digit account IDs: no list joins into a value it is not."""
    _unchanged(chain, case)
