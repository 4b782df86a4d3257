"""The fast path for a text of digits alone (`12345678901`, a report's ids and metrics): Presidio's analyzer
without the recognizers that cannot find anything in one.

A report of distinct ids sends one new number per row to Presidio, and most of each call went to steps a
bare digit run gives nothing to: libphonenumber (whose every match in such a text is all digits, which
`SeparatedPhoneRecognizer` drops: a phone written for humans has a separator) and the person-name
recognizers (a name has letters; the name-gated NLP engine gives such a text the blank pipeline, so NER
sees nothing either). Every other recognizer runs, through the same engine steps (the same NLP artifacts,
score threshold, duplicate removal), so the spans are those of the full call: the checksum recognizers
(cards by Luhn, IBANs), SSNs, customer ids, the recall-first phone recognizers, the labelled values. The
session's known values and the key rules run outside Presidio, on every text alike.
`tests/detect/test_digit_fast_path.py` runs the digit shapes the recognizers read through both.
"""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry

from proxy.detect.national_id_base import NationalIdRecognizer
from proxy.detect.presidio_engine import SeparatedPhoneRecognizer


def digits_only(text: str) -> bool:
    """A text of ASCII digits alone (no sign, separator or space: those a phone recognizer reads)."""
    return text.isascii() and text.isdigit()


def blind_to_digits(recognizer: EntityRecognizer) -> bool:
    """Whether a recognizer finds nothing in a text of digits alone: libphonenumber's (its all-digit
    matches are dropped), the national IDs' (found in digits alone only beside a label) and those
    that report person names only."""
    if isinstance(recognizer, SeparatedPhoneRecognizer | NationalIdRecognizer):
        return True  # a national ID in digits alone is found only beside a label (`national_id_base`)
    return set(recognizer.supported_entities) <= {"PERSON"}


def supported(analyzer: AnalyzerEngine, entities: list[str]) -> list[str]:
    """The `entities` some recognizer of `analyzer` reports (Presidio warns of each other one, per call)."""
    have = set(analyzer.get_supported_entities("en"))
    return [e for e in entities if e in have]


def digit_analyzer(full: AnalyzerEngine) -> AnalyzerEngine:
    """An engine over the same recognizer instances and NLP engine as `full`, minus those blind to digits."""
    kept = [r for r in full.registry.recognizers if not blind_to_digits(r)]
    return AnalyzerEngine(
        registry=RecognizerRegistry(recognizers=kept, supported_languages=["en"]),
        nlp_engine=full.nlp_engine,
        supported_languages=["en"],
        context_aware_enhancer=full.context_aware_enhancer,
        default_score_threshold=full.default_score_threshold,
    )
