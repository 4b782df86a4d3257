"""Values in the formats people write them are tokenized by the detector a default install loads.

One generator per class of format (tests/detect/format_strategies.py): national phones of many regions,
international ones after `+` or `00`, numbers regrouped at random beside a phone word, cards of every issuer
range in any uniform grouping, IBANs in any case and spacing, SSNs without dashes beside an SSN word, IP
addresses with ports, emails with tags, subdomains, capitals and quoted local parts.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.detect import format_strategies as fs
from tests.detect.helpers import survives

CLASS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _covered(detector, before: str, value: str, after: str) -> str:
    text = f"{before}{value}{after}"
    return survives(detector, text, len(before), len(before) + len(value))


# What a large amount, a zip+4 or a range also looks like (`612 345 678`, `94103 1234`, `39080-39081`): a
# phone word decides.
_AMOUNT_SHAPED = re.compile(r"[1-9]\d{0,2}(?:[ .\-/]\d{3})+")
_TWO_PART = re.compile(r"\d+[ .\-/]\d+")


def _ambiguous(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    dashed = "-" in value or "/" in value
    two_part = _TWO_PART.fullmatch(value) and (digits < 10 or (dashed and value[0] != "0"))
    return bool(_AMOUNT_SHAPED.fullmatch(value) or two_part)


@CLASS
@given(
    value=fs.national_phones(), neutral=st.sampled_from(fs.NEUTRAL), phone=st.sampled_from(fs.PHONE_CONTEXT)
)
def test_a_national_number_written_the_regions_way_is_tokenized_without_context(
    detector, value, neutral, phone
):
    """Without a phone word, unless the number is also shaped like an amount or a zip+4."""
    word = phone if _ambiguous(value) else neutral
    assert _covered(detector, f"{word} ", value, " today") == ""


@CLASS
@given(value=fs.international_phones(), word=st.sampled_from(fs.NEUTRAL))
def test_an_international_number_after_plus_or_00_is_tokenized(detector, value, word):
    assert _covered(detector, f"{word} ", value, " today") == ""


@CLASS
@given(case=fs.regrouped_phones())
def test_a_number_in_any_grouping_beside_a_phone_word_is_tokenized(detector, case):
    word, value = case
    assert _covered(detector, f"{word} ", value, ", thanks") == ""


@CLASS
@given(case=fs.grouped_cards(), word=st.sampled_from(fs.NEUTRAL))
def test_a_card_of_any_issuer_in_any_uniform_grouping_is_tokenized(detector, case, word):
    _issuer, value = case
    assert _covered(detector, f"{word} ", value, " today") == ""


@CLASS
@given(value=fs.written_ibans(), word=st.sampled_from(fs.NEUTRAL))
def test_an_iban_in_any_case_and_spacing_is_tokenized(detector, value, word):
    assert _covered(detector, f"{word} ", value, " for refunds") == ""


@CLASS
@given(value=fs.written_ibans(letter_split=True), word=st.sampled_from(fs.NEUTRAL))
def test_an_iban_whose_digits_letters_split_is_tokenized(detector, value, word):
    """No run of seven digits in it (`lu28 001a bcde fghi jklm`): the detector's IBAN trigger sends it on.
    Lower case, so that no capital sends the text to the name recognizers (and to every other) instead."""
    assert _covered(detector, f"{word} ", value.lower(), " for refunds") == ""


@CLASS
@given(case=fs.ssn_texts())
def test_an_ssn_without_dashes_beside_an_ssn_word_is_tokenized(detector, case):
    word, value = case
    assert _covered(detector, f"{word} ", value, " on file") == ""


@CLASS
@given(case=fs.ip_texts())
def test_an_ip_address_with_or_without_a_port_is_tokenized(detector, case):
    text, addr = case
    at = text.index(addr)
    assert _covered(detector, "login from " + text[:at], addr, text[at + len(addr) :] + " at 09:14") == ""


@CLASS
@given(value=fs.email_texts())
def test_an_email_with_tags_subdomains_capitals_or_a_quoted_local_part_is_tokenized(detector, value):
    assert _covered(detector, "reply to ", value, " by Friday") == ""
