"""Presidio's AnalyzerEngine, built fully offline from a policy.

No model download (we hand Presidio a loaded spaCy pipeline, a blank one by default), no public-suffix
list fetch (`TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""`, set in `proxy/__init__`), and a trimmed registry of
only the recognizers the policy enables by name. Presidio's lemma-based context scoring is replaced by a
no-op: it needs a trained pipeline and is the quadratic part on long texts; our recognizers score context
from a raw-text window instead.
"""

from __future__ import annotations

import logging
from typing import Any

import presidio_analyzer.analyzer_engine as _presidio_analyzer_engine
import presidio_analyzer.pattern_recognizer as _presidio_pattern_recognizer
import presidio_analyzer.predefined_recognizers.generic.iban_recognizer as _presidio_iban
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UsSsnRecognizer,
)

from proxy.detect.recognizers import OUR_RECOGNIZERS
from proxy.errors import PolicyError
from proxy.policy import Policy

log = logging.getLogger(__name__)


class _NoContextEnhancer(ContextAwareEnhancer):
    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0,
            min_score_with_context_similarity=0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return raw_results


class _SeparatedPhoneRecognizer(PhoneRecognizer):
    """Presidio's libphonenumber recognizer, minus bare digit runs.

    libphonenumber happily reads an 11-digit ID or a costMicros value as a US number; a phone number written
    for humans has a `+`, a space, a dash, a dot or brackets.
    """

    def analyze(self, text, entities, nlp_artifacts=None):
        results = super().analyze(text, entities, nlp_artifacts)
        return [r for r in results if not text[r.start : r.end].isdigit()]


def _presidio_recognizers(policy: Policy) -> dict[str, Any]:
    return {
        "EmailRecognizer": EmailRecognizer,
        "PhoneRecognizer": lambda: _SeparatedPhoneRecognizer(supported_regions=tuple(policy.phone_regions)),
        "CreditCardRecognizer": CreditCardRecognizer,
        "IbanRecognizer": IbanRecognizer,
        "IpRecognizer": IpRecognizer,
        "UsSsnRecognizer": UsSsnRecognizer,
    }


def known_recognizer_names() -> list[str]:
    return sorted(
        [
            *OUR_RECOGNIZERS,
            "EmailRecognizer",
            "PhoneRecognizer",
            "CreditCardRecognizer",
            "IbanRecognizer",
            "IpRecognizer",
            "UsSsnRecognizer",
        ]
    )


def build_recognizers(policy: Policy) -> list[EntityRecognizer]:
    factories = {**_presidio_recognizers(policy), **OUR_RECOGNIZERS}
    out: list[EntityRecognizer] = []
    for name in policy.recognizers:
        factory = factories.get(name)
        if factory is None:
            raise PolicyError(
                f"unknown recognizer {name!r} in detection.recognizers; "
                f"known: {', '.join(known_recognizer_names())}"
            )
        out.append(factory())
    return out


def load_spacy(model: str | None) -> Any:
    import spacy

    if model is None:
        return spacy.blank("en")
    try:
        return spacy.load(model, exclude=["parser", "lemmatizer", "textcat"])
    except OSError:
        raise PolicyError(
            f"detection.ner.model: spaCy pipeline {model!r} is not installed "
            "(mcp-veil never downloads models)"
        ) from None


# Presidio gives each regex search a timeout (`REGEX_TIMEOUT_SECONDS`, 60 s by default) and, when it fires,
# logs a warning and skips the pattern: the text passes that pattern unscanned. Set to the detection budget,
# a timeout can only fire once the budget is spent, and the detector's budget check after the call then
# blocks the message. Module-wide, so with several policies in one process the largest budget holds (a
# smaller timeout could skip a pattern inside a larger budget).
_REGEX_TIMEOUT_MODULES = (_presidio_pattern_recognizer, _presidio_analyzer_engine, _presidio_iban)
_regex_timeout: float | None = None


def bound_regex_timeouts(seconds: float) -> None:
    global _regex_timeout
    _regex_timeout = seconds if _regex_timeout is None else max(_regex_timeout, seconds)
    for module in _REGEX_TIMEOUT_MODULES:
        if not hasattr(module, "REGEX_TIMEOUT_SECONDS"):
            raise RuntimeError("presidio_analyzer no longer has REGEX_TIMEOUT_SECONDS: review the budget")
        module.REGEX_TIMEOUT_SECONDS = _regex_timeout  # type: ignore[attr-defined]


def build_analyzer(policy: Policy) -> tuple[AnalyzerEngine, list[str]]:
    """An AnalyzerEngine and the entity types it can report."""
    bound_regex_timeouts(policy.detection_seconds)
    nlp = load_spacy(policy.ner.model)
    engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": policy.ner.model or "blank"}],
        ner_model_configuration=NerModelConfiguration(
            labels_to_ignore=["CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"]
        ),
    )
    engine.nlp = {"en": nlp}  # type: ignore[assignment]  # loaded here: SpacyNlpEngine.load() would try spacy.cli.download
    recognizers = build_recognizers(policy)
    if policy.ner.model is not None:
        recognizers.append(SpacyRecognizer(supported_entities=list(policy.ner.entities)))
        if "PERSON" in policy.ner.entities and "VeilPersonRecognizer" not in policy.recognizers:
            recognizers.append(OUR_RECOGNIZERS["VeilPersonRecognizer"]())
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=["en"],
        context_aware_enhancer=_NoContextEnhancer(),
        default_score_threshold=policy.score_threshold,
    )
    entities = sorted({e for r in recognizers for e in r.supported_entities})
    return analyzer, entities
