"""`To: Santangelo, Lauren; Chamberlain, Rebecca`: every name of a `;` list of `Surname, Given` items once
one of them reads as a person (`name_inverted_lists`)."""

from __future__ import annotations

from collections.abc import Iterable

from proxy.detect.judged_recognizer import JudgedNameRecognizer
from proxy.detect.name_inverted_lists import inverted_list_names, might_hold_inverted_list
from proxy.detect.name_text import inside_company_name


class VeilInvertedListNameRecognizer(JudgedNameRecognizer):
    """The list decides for its items (see `name_inverted_lists`)."""

    @staticmethod
    def spans(text: str) -> Iterable[tuple[int, int]]:
        if not might_hold_inverted_list(text):
            return []
        return [(s, e) for s, e in inverted_list_names(text) if not inside_company_name(text, s, e)]
