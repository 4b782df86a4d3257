"""`— G. Tolliver`, `| Gallagher, Danielle | Controller |`: a name after a sign-off dash or as a whole
Markdown cell (`name_signoffs`)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.name_patterns import CONFIDENT
from proxy.detect.name_signoffs import cell_names, might_hold_signoff_or_cell, signoff_names
from proxy.detect.name_text import inside_company_name


class VeilSignoffCellNameRecognizer(EntityRecognizer):
    """Not a pattern recognizer: a sign-off line or a table cell, judged as a whole line is
    (`name_signoffs`)."""

    ENTITY = "PERSON"
    PATTERNS: ClassVar[list[Pattern]] = []

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=type(self).__name__)

    def load(self) -> None:
        return None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        if not might_hold_signoff_or_cell(text):
            return []
        return [
            RecognizerResult(self.ENTITY, s, e, CONFIDENT)
            for s, e in signoff_names(text) + cell_names(text)
            if not inside_company_name(text, s, e)
        ]
