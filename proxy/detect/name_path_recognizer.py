"""`/Shared/HR/Maria Gonzalez/Payslips/2024-05.pdf`, `s3://acme-hr/maria-gonzalez/`, `Z:\\Personnel\\
Maria_Gonzalez\\`: a person's full name as one folder of a path that stands alone. The judgement is
`path_folders.path_folder_names` (a clear given name and a known surname in one folder; products, places
and topics stay). The span is the folder."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.name_patterns import CONFIDENT
from proxy.detect.path_folders import FOLDER, path_folder_names


class VeilPathFolderNameRecognizer(EntityRecognizer):
    """Not a pattern recognizer: each folder is split into parts and judged (`path_folders`). Its regexes
    are listed for the detection budget's linear-time test."""

    ENTITY = "PERSON"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("path folder", FOLDER.pattern, CONFIDENT),
    ]
    global_regex_flags = 0

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=type(self).__name__)

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [RecognizerResult(self.ENTITY, s, e, CONFIDENT) for s, e in path_folder_names(text)]
