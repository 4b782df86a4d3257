"""The detector self-test: canaries through the real pipeline before the first message is served.

A detector that loads but finds nothing is worse than one that fails to load: it passes everything. A
recognizer that raises on some input, an NER pipeline that is not a trained one (a blank spaCy directory
loads without complaint and finds no names), a trigger regex broken by an edit: each would let values
through unnoticed. So once the detector is built, each enabled recognizer gets its canary
(`proxy.detect.canaries`) with the pipeline's own NLP artifacts, and must report its entity; then every
canary goes through `Detector.detect` as a message would, and must be found. Recognizers without a canary
(internal helpers, a Presidio recognizer we ship none for) must at least not raise.

A failure raises `DetectorSelfTestFailed`, whose message names the recognizer and the entity type, never a
canary's text. The caller fails closed: the background loader blocks every message that needs detection
with it; a synchronous start refuses to start.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from proxy.detect.canaries import CANARIES, PROSE_NAME
from proxy.errors import DetectorSelfTestFailed

if TYPE_CHECKING:
    from proxy.detect.detector import Detector

log = logging.getLogger(__name__)

NER_RECOGNIZER = "VeilSpacyRecognizer"


def self_test(detector: Detector) -> None:
    """DetectorSelfTestFailed unless every enabled recognizer and the whole pipeline find their canaries."""
    started = time.monotonic()
    analyzer = detector.analyzer
    tested: dict[str, tuple[str, str]] = {}
    for recognizer in analyzer.registry.recognizers:
        name = str(getattr(recognizer, "name", type(recognizer).__name__))
        text, entity = CANARIES.get(name, (PROSE_NAME, ""))
        what = _label(name, detector)
        try:
            artifacts = analyzer.nlp_engine.process_text(text, "en")
            found = recognizer.analyze(text, recognizer.supported_entities, artifacts) or []
        except Exception as exc:  # the class only: an exception's text may quote the canary
            raise DetectorSelfTestFailed(
                f"detector self-test failed: {what} raised {type(exc).__name__} on its canary"
            ) from None
        if entity and entity in recognizer.supported_entities:
            if not any(r.entity_type == entity for r in found):
                raise DetectorSelfTestFailed(
                    f"detector self-test failed: {what} found no {entity} in its canary"
                )
            tested[name] = (text, entity)
    try:
        spans = detector.detect(sorted({text for text, _ in tested.values()}))
    except Exception as exc:
        raise DetectorSelfTestFailed(
            f"detector self-test failed: the detection pipeline raised {type(exc).__name__} on the canaries"
        ) from None
    for name, (text, entity) in sorted(tested.items()):
        if not spans.get(text):
            raise DetectorSelfTestFailed(
                f"detector self-test failed: the detection pipeline found nothing in the {entity} canary "
                f"of {_label(name, detector)}"
            )
    log.info(
        "detector self-test passed",
        extra={"recognizers": len(tested), "seconds": round(time.monotonic() - started, 3)},
    )


def _label(name: str, detector: Detector) -> str:
    if name == NER_RECOGNIZER:
        return f"the NER pipeline {detector.policy.ner.model!r}"
    return f"recognizer {name}"
