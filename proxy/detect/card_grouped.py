"""Payment card numbers in any grouping: 13–19 digits, bare or split into groups by spaces, dots or dashes
(`4111 1111 1111 1111`, `3782-822463-10005`, `6212.3456.7890.1234.567`), from any issuer whose number range is
in `ISSUERS` (Mir `2200–2204`, Mastercard's 2-series, UnionPay's 19 digits among them).

Presidio's card recognizer knows four-digit groups of a few leading digits; a card is a card whatever the
grouping. The Luhn checksum and the issuer's range and lengths are what make a digit run a card number (a
tenth of random runs pass Luhn alone): a bare run must also have a card's usual length (16 or 19 digits, 15
for American Express), so plain integers such as micros amounts and IDs stay readable.
"""

from __future__ import annotations

import re
import unicodedata
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from proxy.detect.checksums import luhn_ok

# (lowest prefix, highest prefix, lengths): a number matches when its leading digits, as many as the
# prefixes have, fall in the range.
ISSUERS: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (2200, 2204, frozenset(range(16, 20))),  # Mir
    (62, 62, frozenset(range(16, 20))),  # UnionPay
    (81, 82, frozenset(range(16, 20))),  # UnionPay / RuPay
    (6011, 6011, frozenset(range(16, 20))),  # Discover
    (644, 649, frozenset(range(16, 20))),
    (65, 65, frozenset(range(16, 20))),  # Discover / RuPay
    (3528, 3589, frozenset(range(16, 20))),  # JCB
    (300, 305, frozenset(range(14, 20))),  # Diners Club
    (36, 36, frozenset(range(14, 20))),
    (38, 39, frozenset(range(16, 20))),
    (50, 50, frozenset(range(13, 20))),  # Maestro, Verve
    (56, 69, frozenset(range(13, 20))),  # Maestro, RuPay
    (9792, 9792, frozenset({16})),  # Troy
)
# Not in it: UATP (`1…`, 15 digits), whose range is every 15-digit integer that starts with 1.
BARE_LENGTHS = frozenset({16, 19})  # and American Express's 15 (`34…`, `37…`)
SCORE = 1.0  # checksum and structure validated, as Presidio scores its own (a tie goes to the longer span)

# Bare, or a first group of 1–18 digits and groups of 1–17 after it (`6222 021234567890123`,
# `451-913-056-159-277-6`, `4-012-8888-8888-1881`) with a space, dot, dash, apostrophe or comma between
# every two, mixed or not (`4781-2713 9822.3515`, `4963'3500'1067'7512`: Luhn and the issuer's range
# decide; an amount with cents is none, `_is_amount`). Not inside a word, a decimal or a longer chain; a
# dash after a word is a glue (`visa-42-18-89-86-09-13-90-99`);
# the lookahead refuses a chain cut short, so one digit run is one candidate.
_CANDIDATE = (
    r"(?<![\w+.,:/])(?<![^A-Za-z]-)(?<!^-)(?<!\d[ .\-])"
    r"(?:\d{13,19}+|\d{1,18}+(?:[ .\-']|, )\d{1,17}+(?:(?:[ .\-']|, )\d{1,13}+){0,7})"
    r"(?![\w%]|[ .,:/\-]\d)"
)


def issued(digits: str) -> bool:
    """Whether an issuer's range and lengths admit `digits`."""
    for low, high, lengths in ISSUERS:
        if len(digits) in lengths and low <= int(digits[: len(str(low))]) <= high:
            return True
    return False


_SEPARATORS = re.compile(r"[^0-9]+")


class _AsciiDigits(dict[int, str]):
    """`str.translate` table: every character with a digit value (decimal digits of any script, circled,
    superscript and other compatibility digits) to its ASCII digit; anything else unchanged."""

    def __missing__(self, cp: int) -> str:
        value = unicodedata.digit(chr(cp), None)
        if value is None:
            return chr(cp)  # not kept: the table holds digits only, whatever text goes through it
        self[cp] = str(value)
        return self[cp]


_AS_ASCII_DIGITS = _AsciiDigits()


def _is_amount(candidate: str) -> bool:
    """A number grouped in thousands (`6 870 000 000 000`: one to three digits, then threes, one separator
    throughout), or an amount with cents (`566'999'999'999.09`, `5 669 999 999 999,09`: the last separator a
    decimal mark, two digits after it, the separators before it all another one). No issuer groups a card
    number so."""
    seps = _SEPARATORS.findall(candidate)
    groups = _SEPARATORS.split(candidate)
    if len(seps) >= 2 and seps[-1] in (".", ",") and len(groups[-1]) == 2 and seps[-1] not in seps[:-1]:
        return True
    thousands = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    return len(groups) >= 3 and thousands and len(set(seps)) == 1


def is_card(candidate: str) -> bool:
    """Whether `candidate` (digits, bare or grouped) is a card number: 13–19 digits, an issuer's range and
    length, Luhn; bare only with a usual length. Applied to every card detection (`recognizers.guard`)."""
    candidate = candidate.translate(_AS_ASCII_DIGITS)  # `④①①①…`, `٤١١١…`: a digit of any form is a digit
    digits = "".join(c for c in candidate if "0" <= c <= "9")
    if not 13 <= len(digits) <= 19 or _is_amount(candidate):
        return False
    if (
        digits == candidate
        and len(digits) not in BARE_LENGTHS
        and not (len(digits) == 15 and digits[:2] in ("34", "37"))
    ):
        return False
    return issued(digits) and luhn_ok(digits)


class GroupedCardRecognizer(PatternRecognizer):
    """Card numbers by Luhn and issuer range, in any uniform grouping (module doc)."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern("card digits", _CANDIDATE, SCORE)]

    def __init__(self) -> None:
        super().__init__(supported_entity="CREDIT_CARD", name="GroupedCardRecognizer", patterns=self.PATTERNS)

    def validate_result(self, pattern_text: str) -> bool | None:
        return is_card(pattern_text)
