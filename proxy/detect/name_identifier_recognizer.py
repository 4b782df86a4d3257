"""`linkedin.com/in/maria-gonzalez-4b2a19`, `Maria_Gonzalez_Resume_2024.pdf`, `DESKTOP-LGARCIA`,
`Sofia-Hernandezs-MacBook-Pro.local`: a person's name glued into an identifier a system wrote (a URL slug,
a file, branch, host or device name). The judgement is `name_identifiers.identifier_names`: a clear given
name beside a census surname that is no word (`web-01.prod`, `fix/login-timeout`,
`q3_sales_report.pdf` stay readable). The span is the name's parts, not the whole identifier."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.name_identifiers import identifier_names
from proxy.detect.name_patterns import CONFIDENT


class VeilIdentifierNameRecognizer(EntityRecognizer):
    ENTITY = "PERSON"

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=type(self).__name__)

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [RecognizerResult(self.ENTITY, s, e, CONFIDENT) for s, e in identifier_names(text)]
