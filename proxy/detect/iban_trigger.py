"""The start of an IBAN as the detector's prefilter sees it: two letters, two digits (a separator may
stand between any two of them), eleven letters or digits more (`lu88 0000 a000 000a 0000` has no run of
seven digits). Kept apart from the detector (which imports
Presidio) so the background detector's inert test can apply it before the detectors have loaded."""

from __future__ import annotations

import re

_SEPS = ("", r"[ \-]")
# One fixed-width lookbehind per way the country code and check digits can be cut (Python's engine has no
# variable-width lookbehind): `DE89`, `D E89`, `DE 8 9`, …
_LEADS = "|".join(
    rf"(?<=[A-Za-z]{a}[A-Za-z]{b}\d{c}\d)" for a in _SEPS for b in _SEPS for c in _SEPS
)
IBAN_TRIGGER_RE = r"\d[ \-]?\d(?:" + _LEADS + r")(?:[ \-]?[A-Za-z0-9]){11}"
IBAN_TRIGGER = re.compile(IBAN_TRIGGER_RE)
