"""The shape of our name recognizers that are no pattern recognizers: a text's candidates are split into
parts and judged by a module of their own (`name_identifiers`, `path_folders`, `name_slots`). Each lists
its regexes as `PATTERNS` for the detection budget's linear-time test, and names its judgement `spans`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.name_patterns import CONFIDENT


class JudgedNameRecognizer(EntityRecognizer):
    """A person name wherever `spans` finds one, at the confidence of a name certain by its place."""

    ENTITY = "PERSON"
    PATTERNS: ClassVar[list[Pattern]] = []
    global_regex_flags = 0

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=type(self).__name__)

    def load(self) -> None:
        return None

    @staticmethod
    def spans(text: str) -> Iterable[tuple[int, int]]:
        """The (start, end) of each name the recognizer's own judgement finds in `text`."""
        raise NotImplementedError

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [RecognizerResult(self.ENTITY, s, e, CONFIDENT) for s, e in self.spans(text)]
