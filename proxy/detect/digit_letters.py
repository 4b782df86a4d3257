"""Letters that stand for digits inside a run of digits: `+l 3l2 784 6O54`, `4l2-58-339l`.

`O`/`o` for zero and `l`/`I` for one are the typewriter's substitutions, and a reader of a phone number
or an SSN reads them as digits without a second thought. The view does too, but only inside a run that is
a number to begin with: digit groups joined by the separators phones, cards and SSNs use, seven
digit-like characters at least, seven in ten of them real digits. A word is no such run (`Oslo`, `I`),
and short codes (`B2B`, `O2`, `10l`) are too short to be read. A run with fewer real digits is read when what
it spells is a card number by its own checksum (`4lll llll llll llll`): thirteen to nineteen digits starting
as a card does and passing Luhn, which no run of those four letters does by chance in prose.
"""

from __future__ import annotations

import re

from proxy.detect.checksums import IBAN_LENGTHS, luhn_ok
from proxy.detect.iban_trigger import IBAN_TRIGGER
from proxy.detect.view_map import View, replace_ranges

_AS_DIGIT = {"O": "0", "o": "0", "l": "1", "I": "1"}
_RUN = re.compile(r"(?<![A-Za-z0-9])\+?\(?[0-9OolI]+\)?(?:[ \-.]{1,2}\(?[0-9OolI]+\)?)*(?![A-Za-z0-9])")
# A digit beside one of the letters: the cheap tell (one class scan for a digit first).
TRIGGERS = (re.compile(r"[0-9][OolI]"), re.compile(r"[OolI][0-9]"))
_DIGIT = re.compile(r"[0-9]")
_IBAN_START = re.compile(r"[A-Za-z]{2}\d{2}")


def may_hold(text: str) -> bool:
    return _DIGIT.search(text) is not None and any(t.search(text) is not None for t in TRIGGERS)


def _read(run: str) -> str:
    marks = [c for c in run if c.isdigit() or c in _AS_DIGIT]
    digits = sum(c.isdigit() for c in marks)
    if len(marks) < 7 or digits == len(marks):
        return run
    read_as = "".join(_AS_DIGIT.get(c, c) for c in run)
    if digits * 10 >= len(marks) * 7 or _card(read_as):
        return read_as
    return run


def _card(read_as: str) -> bool:
    number = "".join(c for c in read_as if c.isdigit())
    return 13 <= len(number) <= 19 and number[0] in "3456" and luhn_ok(number)


def _country(text: str, digits_at: int) -> bool:
    """Whether the two letters before an IBAN-like start's check digits are a country with IBANs (`file 55…`
    is a word before a number, not an IBAN)."""
    letters = [c for c in text[max(0, digits_at - 4) : digits_at] if c.isalpha()][-2:]
    return "".join(letters).upper() in IBAN_LENGTHS


def read(view: View) -> View:
    """`view` with the letters of digit-dominant runs read as the digits they stand for (module doc). An
    IBAN's letters are its own (`NL43 AAAI 0000…` written `AAA I0 000…`): a run inside what starts as an
    IBAN is left as written."""
    text = view.text
    ibans = []
    if _IBAN_START.search(text):
        ibans = [m.span() for m in IBAN_TRIGGER.finditer(text) if _country(text, m.start())]
    edits = []
    for m in _RUN.finditer(text):
        read_as = _read(m.group())
        if read_as != m.group() and not any(a <= m.start() < b + 16 for a, b in ibans):
            edits.append((m.start(), m.end(), read_as))
    return replace_ranges(view, edits) if edits else view
