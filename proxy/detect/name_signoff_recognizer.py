"""`— G. Tolliver`, `| Gallagher, Danielle | Controller |`: a name after a sign-off dash or as a whole
Markdown cell (`name_signoffs`)."""

from __future__ import annotations

from collections.abc import Iterable

from proxy.detect.judged_recognizer import JudgedNameRecognizer
from proxy.detect.name_signoffs import cell_names, might_hold_signoff_or_cell, signoff_names
from proxy.detect.name_text import inside_company_name


class VeilSignoffCellNameRecognizer(JudgedNameRecognizer):
    """A sign-off line or a table cell, judged as a whole line is (`name_signoffs`)."""

    @staticmethod
    def spans(text: str) -> Iterable[tuple[int, int]]:
        if not might_hold_signoff_or_cell(text):
            return []
        return [
            (s, e) for s, e in signoff_names(text) + cell_names(text) if not inside_company_name(text, s, e)
        ]
