"""The prefilter for national identifiers that hold letters and fewer than seven digits in a row, which the
digit trigger misses: a UK NINO (`AB123456C`, `AB 12 34 56 C`), an Indian PAN (`ABCPE1234F`), an Italian
codice fiscale (`RSSMRA85T10A562S`). Anchored on digits (the engine's fast first-character scan skips to
each digit), then the letters after them; the letters before are the recognizers' business.
"""

from __future__ import annotations

import re

NATIONAL_ID_TRIGGER_RE = (
    r"\d\d(?:[A-Za-z]\d\d[A-Za-z]\d{3}[A-Za-z]"  # a codice fiscale's tail, any case: `85T10A562S`
    r"| ?\d\d ?\d\d ?[A-D]"  # a NINO's `12 34 56 C`
    r"|(?<=[A-Z]{5}\d\d)\d\d[A-Z])(?![A-Za-z0-9])"  # a PAN's `1234F` after five capitals (not `1080p`)
)
NATIONAL_ID_TRIGGER = re.compile(NATIONAL_ID_TRIGGER_RE)
