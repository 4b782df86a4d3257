"""How a value is written: detection on a normalized view, through encoded layers, blobs and parsers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness
from tests.classes.layers import (
    base32_text,
    byte_escapes,
    byte_list,
    framed_base64,
    pdf_text,
)
from tests.classes.strategies import cases


@class_settings(80)
@given(case=cases("normalized"))
def test_invisible_characters_confusables_other_digits_and_separators_hide_nothing(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@class_settings(80)
@given(case=cases("encoded"))
def test_a_value_inside_one_or_two_encoded_layers_is_tokenized(chain: ChainHarness, case: Case) -> None:
    """base64(url), MIME base64, percent, form bodies, HTML entities, `\\u` escapes, quoted-printable."""
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=cases("blobs"))
def test_a_text_blob_is_scanned_whatever_its_label_charset_or_compression(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=cases("differentials"))
def test_json_that_parses_one_way_and_reads_another_hides_nothing(chain: ChainHarness, case: Case) -> None:
    """Duplicate keys (the hidden one first) in JSON text, error data, blobs and structuredContent mirrors."""
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(framed_base64))
def test_base64_of_binary_that_is_mostly_text_is_tokenized(chain: ChainHarness, case: Case) -> None:
    """A length prefix or msgpack-like framing around the text makes the bytes no UTF-8; their text runs
    are read all the same."""
    assert_no_leak(chain, case)


@class_settings(80)
@given(case=st.randoms(use_true_random=False).map(byte_escapes))
def test_bytes_written_one_escape_or_one_number_at_a_time_are_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    """C octal and CSS escapes, hex dumps with any separator, decimal character codes."""
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(byte_list))
def test_a_value_in_a_list_of_its_bytes_never_reaches_the_client(chain: ChainHarness, case: Case) -> None:
    """A byte list cannot carry a token: a value in one blocks the message (`proxy/scan/byte_lists.py`)."""
    outcome = chain.run(case)
    assert not outcome.leaked, f"leak: {outcome.summary()}"
    assert outcome.blocked == 1


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(base32_text))
def test_a_value_in_base32_is_tokenized(chain: ChainHarness, case: Case) -> None:
    assert_no_leak(chain, case)


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(pdf_text))
def test_a_value_a_pdf_shows_in_pieces_escapes_or_encoded_streams_never_reaches_the_client(
    chain: ChainHarness, case: Case
) -> None:
    """A binary PDF cannot be patched: a value its text operators show blocks the message (a PDF that is all
    text is patched as text)."""
    assert_no_leak(chain, case)
