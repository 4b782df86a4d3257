"""`To: Santangelo, Lauren; Chamberlain, Rebecca`: every name of a `;` list of `Surname, Given` items once
one of them reads as a person (`name_inverted_lists`)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.name_inverted_lists import inverted_list_names, might_hold_inverted_list
from proxy.detect.name_patterns import CONFIDENT
from proxy.detect.name_text import inside_company_name


class VeilInvertedListNameRecognizer(EntityRecognizer):
    """Not a pattern recognizer: the list decides for its items (see `name_inverted_lists`)."""

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
        if not might_hold_inverted_list(text):
            return []
        return [
            RecognizerResult(self.ENTITY, s, e, CONFIDENT)
            for s, e in inverted_list_names(text)
            if not inside_company_name(text, s, e)
        ]
