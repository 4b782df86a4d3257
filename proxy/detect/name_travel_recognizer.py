"""`CHAMBERLAIN/REBECCA MS`, `P<USAMASTROIANNI<<JONATHAN<<<<`: names in the layouts of bookings and travel
documents (`name_travel`)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.name_patterns import CONFIDENT
from proxy.detect.name_text import inside_company_name
from proxy.detect.name_travel import might_hold_travel_name, travel_names


class VeilTravelNameRecognizer(EntityRecognizer):
    """Not a pattern recognizer: read by the layouts of travel documents (see `name_travel`)."""

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
        if not might_hold_travel_name(text):
            return []
        return [
            RecognizerResult(self.ENTITY, s, e, CONFIDENT)
            for s, e in travel_names(text)
            if not inside_company_name(text, s, e)
        ]
