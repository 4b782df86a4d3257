"""Letters that stand for digits inside a run of digits: `+l 3l2 784 6O54`, `4l2-58-339l`.

`O`/`o` for zero and `l`/`I` for one are the typewriter's substitutions, and a reader of a phone number
or an SSN reads them as digits without a second thought. The view does too, but only inside a run that is
a number to begin with: digit groups joined by the separators phones, cards and SSNs use, seven
digit-like characters at least, seven in ten of them real digits. A word is no such run (`Oslo`, `I`),
and short codes (`B2B`, `O2`, `10l`) are too short to be read.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

_AS_DIGIT = {"O": "0", "o": "0", "l": "1", "I": "1"}
_RUN = re.compile(r"(?<![A-Za-z0-9])\+?\(?[0-9OolI]+\)?(?:[ \-.]{1,2}\(?[0-9OolI]+\)?)*(?![A-Za-z0-9])")
# A digit beside one of the letters: the cheap tell (one class scan for a digit first).
TRIGGERS = (re.compile(r"[0-9][OolI]"), re.compile(r"[OolI][0-9]"))
_DIGIT = re.compile(r"[0-9]")


def may_hold(text: str) -> bool:
    return _DIGIT.search(text) is not None and any(t.search(text) is not None for t in TRIGGERS)


def _read(run: str) -> str:
    marks = [c for c in run if c.isdigit() or c in _AS_DIGIT]
    digits = sum(c.isdigit() for c in marks)
    if len(marks) < 7 or digits == len(marks) or digits * 10 < len(marks) * 7:
        return run
    return "".join(_AS_DIGIT.get(c, c) for c in run)


def read(view: View) -> View:
    """`view` with the letters of digit-dominant runs read as the digits they stand for (module doc)."""
    return rewrite(view, _RUN, _read)
