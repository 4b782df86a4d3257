"""A text of digits alone goes to Presidio without the recognizers blind to it (`digit_fast_path`): every
digit shape the recognizers read (cards by Luhn and issuer range, SSNs, customer ids, phone numbers in each
region's national and international digits, ids and metrics of every length) gives the same spans through
the fast path as through the full analyzer call, and the detector finds the same spans either way."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.detect.detector import Detector
from proxy.detect.digit_fast_path import blind_to_digits, digits_only, supported
from proxy.detect.known import KnownValues
from proxy.detect.national_id_base import NationalIdRecognizer
from proxy.policy import load_policy


def _luhn(payload: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return payload + str((10 - total % 10) % 10)


_ISSUERS = ("4", "51", "55", "2221", "2720", "34", "37", "6011", "65", "62", "2200", "35", "36", "30")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _shape(rng: random.Random) -> str:
    """One digit string of a shape some recognizer reads, or of an id's or a metric's."""
    kind = rng.randrange(8)
    if kind == 0:  # a card number: issuer prefix, any length a scheme uses, Luhn-valid
        prefix = rng.choice(_ISSUERS)
        return _luhn(prefix + _digits(rng, rng.choice((12, 13, 14, 15, 16, 18)) - len(prefix)))
    if kind == 1:  # an SSN's nine digits (valid area, group, serial) or any nine
        return f"{rng.randint(1, 899):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    if kind == 2:  # a customer id: ten digits
        return str(rng.randrange(10**9, 10**10))
    if kind == 3:  # a phone's digits: NANP (with its country code), UK, German
        return rng.choice(
            (
                f"{rng.randint(201, 989)}{rng.randint(200, 999)}{_digits(rng, 4)}",
                f"1{rng.randint(201, 989)}{rng.randint(200, 999)}{_digits(rng, 4)}",
                f"07{_digits(rng, 9)}",
                f"447{_digits(rng, 9)}",
                f"0{rng.choice(('30', '40', '89', '151', '171'))}{_digits(rng, rng.randint(6, 8))}",
                f"49{rng.choice(('30', '151', '171'))}{_digits(rng, rng.randint(6, 8))}",
                f"00{rng.choice(('1', '44', '49'))}{_digits(rng, 10)}",
            )
        )
    if kind == 4:  # a report's ids: Google Ads campaign and ad group ids
        return str(rng.randrange(10**10, 2 * 10**11))
    if kind == 5:  # a card or SSN inside a longer run of digits
        card = _luhn("4" + _digits(rng, 14))
        return _digits(rng, rng.randint(0, 4)) + card + _digits(rng, rng.randint(0, 4))
    if kind == 6:  # a metric: clicks, impressions, costMicros
        return str(int(10 ** rng.uniform(0, 14)))
    return _digits(rng, rng.randint(1, 30))  # any digits at all


DIGITS = st.randoms(use_true_random=False).map(_shape)


def _spans(analyzer, detector: Detector, text: str) -> list[tuple[int, int, str, float]]:
    entities = supported(analyzer, detector.entities)
    results = analyzer.analyze(
        text=text, language="en", entities=entities, score_threshold=detector.policy.score_threshold
    )
    return sorted((r.start, r.end, r.entity_type, r.score) for r in results)


@settings(max_examples=400, deadline=None)
@given(DIGITS)
def test_a_digit_string_gives_the_same_spans_through_the_fast_path_as_through_the_full_call(
    detector, text
) -> None:
    assert digits_only(text)
    assert _spans(detector._digit_analyzer, detector, text) == _spans(detector.analyzer, detector, text)


def test_the_seeded_digit_shapes_find_something_so_the_comparison_has_teeth(detector) -> None:
    """The shapes hold what the kept recognizers find (cards, SSNs, customer ids): an equality of empty
    results alone would prove nothing."""
    rng = random.Random(5)
    found = {e for _ in range(300) for (_, _, e, _) in _spans(detector.analyzer, detector, _shape(rng))}
    assert {"CREDIT_CARD", "GOOGLE_ADS_CUSTOMER_ID"} <= found


def test_only_recognizers_of_names_libphonenumbers_and_national_ids_are_left_out(detector) -> None:
    """A national ID in digits alone is found only beside a label (`national_id_base`): none in a bare run."""
    left_out = {type(r).__name__ for r in detector.analyzer.registry.recognizers if blind_to_digits(r)}
    kept = {type(r).__name__ for r in detector._digit_analyzer.registry.recognizers}
    assert "SeparatedPhoneRecognizer" in left_out
    assert {
        "CreditCardRecognizer",
        "UsSsnRecognizer",
        "VeilPhoneRecognizer",
        "NationalPhoneRecognizer",
    } <= kept
    assert {"GroupedCardRecognizer", "ContextSsnRecognizer", "GoogleAdsCustomerIdRecognizer"} <= kept
    assert all(
        set(r.supported_entities) == {"PERSON"}
        for r in detector.analyzer.registry.recognizers
        if blind_to_digits(r)
        and type(r).__name__ != "SeparatedPhoneRecognizer"
        and not isinstance(r, NationalIdRecognizer)
    )


@pytest.fixture(scope="module")
def full_path_detector() -> Detector:
    slow = Detector(load_policy())
    slow._digit_analyzer, slow._digit_entities = slow.analyzer, slow.entities  # all through the full call
    return slow


def test_the_detector_finds_the_same_spans_in_digit_texts_with_and_without_the_fast_path(
    detector, full_path_detector
) -> None:
    """Through `detect` (views, known values, the batch pre-scan: a message of many strings), 150 seeded
    cases, with a known value learnt from an earlier text matched in the later ones."""
    rng = random.Random(11)
    for _ in range(150):
        texts = list(dict.fromkeys(_shape(rng) for _ in range(rng.choice((1, 3, 70)))))
        known = KnownValues()
        known.add(texts[0], "GOOGLE_ADS_CUSTOMER_ID")
        assert detector.detect(texts, known) == full_path_detector.detect(texts, known)
