"""The start of an IBAN as the detector's prefilter sees it: two letters, two digits, eleven letters or digits
more (`lu88 0000 a000 000a 0000` has no run of seven digits). Kept apart from the detector (which imports
Presidio) so the background detector's inert test can apply it before the detectors have loaded."""

from __future__ import annotations

import re

IBAN_TRIGGER_RE = r"\d\d(?:(?<=[A-Za-z]{2}\d\d)|(?<=[A-Za-z]{2}[ \-]\d\d))(?:[ \-]?[A-Za-z0-9]){11}"
IBAN_TRIGGER = re.compile(IBAN_TRIGGER_RE)
