"""CSV and TSV text: a column whose header names a person (`name`, `contact`, `Account Owner`, `assignee`)
holds names, cell by cell.

The same decision the walker makes for a column of records (`is_name_column`, judged on the column's
distinct values under its header), applied to delimited text: a header line with a delimiter (`,`, tab,
`;`, `|`), a header field that is a name key (`is_name_key`), and rows under it. Each non-empty cell of a
name column is one PERSON span, whatever its case or how unfamiliar the name.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.name_csv import MAX_CELL, MAX_ROWS, cells, delimiter, name_header
from proxy.detect.name_keys import is_name_key
from proxy.detect.name_patterns import CONFIDENT
from proxy.detect.names import is_name_column


class VeilCsvNameColumnRecognizer(EntityRecognizer):
    """Not a pattern recognizer: it reads the text as a table (see the module docstring)."""

    ENTITY = "PERSON"
    PATTERNS: ClassVar[list[Pattern]] = []  # no pattern: the table is split by its delimiter (`name_csv`)

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
        if not name_header(text):
            return []
        first_end = text.find("\n")
        header = text[:first_end]
        sep = delimiter(header)
        assert sep is not None
        names = [text[s:e] for s, e in cells(header, 0, sep)]
        columns = [i for i, n in enumerate(names) if is_name_key(n)]
        rows: list[list[tuple[int, int]]] = []
        pos = first_end + 1
        while pos < len(text) and len(rows) < MAX_ROWS:
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if text[pos:end].strip():
                rows.append(cells(text[pos:end], pos, sep))
            pos = end + 1
        out: list[RecognizerResult] = []
        for col in columns:
            spans = [r[col] for r in rows if col < len(r) and r[col][1] > r[col][0]]
            spans = [(s, e) for s, e in spans if e - s <= MAX_CELL]
            if spans and is_name_column(names[col], [text[s:e] for s, e in spans]):
                out.extend(RecognizerResult(self.ENTITY, s, e, CONFIDENT) for s, e in spans)
        return out
