"""The base of our pattern recognizers that score context from a raw-text window around a match."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.text_windows import after, before


class WindowContextRecognizer(PatternRecognizer):
    """Boosts a weak pattern match when a context word appears shortly before it (or, for
    `CONTEXT_AFTER`, shortly after it).

    Presidio's own context enhancer needs lemmas from a trained pipeline and is replaced by a no-op here
    (`presidio_engine`), so the window is read from the raw text instead.
    """

    context_boost = 0.45
    CONTEXT_AFTER: ClassVar[list[str]] = []

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if not self.context:
            return results
        lowered = text.casefold()
        for r in results:
            if self.has_context(lowered, r.start, r.end):
                r.score = min(1.0, r.score + self.context_boost)
        return results

    def has_context(self, lowered: str, start: int, end: int) -> bool:
        said_before, said_after = before(lowered, start), after(lowered, end)
        return any(w in said_before for w in self.context) or any(w in said_after for w in self.CONTEXT_AFTER)
