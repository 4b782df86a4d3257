"""`CHAMBERLAIN/REBECCA MS`, `P<USAMASTROIANNI<<JONATHAN<<<<`: names in the layouts of bookings and travel
documents (`name_travel`)."""

from __future__ import annotations

from collections.abc import Iterable

from proxy.detect.judged_recognizer import JudgedNameRecognizer
from proxy.detect.name_text import inside_company_name
from proxy.detect.name_travel import might_hold_travel_name, travel_names


class VeilTravelNameRecognizer(JudgedNameRecognizer):
    """Read by the layouts of travel documents (see `name_travel`)."""

    @staticmethod
    def spans(text: str) -> Iterable[tuple[int, int]]:
        if not might_hold_travel_name(text):
            return []
        return [(s, e) for s, e in travel_names(text) if not inside_company_name(text, s, e)]
