"""Phone numbers written the national way, without a country code: `06 12 34 56 78`, `698 34 92 13`,
`03-1234-5678`, `(11) 95089-9170`, `07700 900123`, `01.23.45.67.89`, or after an `00` international prefix
(`0044 20 7946 0958`, `00 49 30 12345678`).

Grouped digits are everywhere (dates, money, ranges, order and postal codes), so the shape alone scores
below the policy threshold. A match stands when

- a phone context word is near it (`WindowContextRecognizer`'s window: `tel`, `mobile`, `whatsapp`…), or
- libphonenumber reads it as a valid number of one of `REGIONS` *written the way that region writes it*:
  `format_number(NATIONAL)` gives the same digit groups (its trunk `0` may be left off, as Indian and
  Brazilian numbers often are), or, after `00`, as a valid international number.

libphonenumber alone accepts almost any nine or ten digits in some region; the region's own grouping is
what makes `06 12 34 56 78` a French phone and `2026 12 04`, `94103-1234` or `12 345 678` not one. Numbers
shaped like a thousands-grouped amount (`612 345 678`, `1.234.567.890`) and short two-part numbers
(`94103-1234`, a range `39080-39081`) are left to context; dates and IP addresses never match, and an
amount (`is_amount`) is never a phone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

import phonenumbers
from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.context_window import WindowContextRecognizer

# Where a national number is written without a country code: libphonenumber's regions, each one a parse
# per candidate without context (~20 µs). Regions whose plain 8-digit numbers look like any integer are
# in it only when their grouping is distinctive (DK, NO: `12 34 56 78`).
REGIONS = (
    "US", "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "LU", "ES", "PT", "IT", "PL", "CZ", "SE", "NO",
    "DK", "FI", "GR", "TR", "AU", "NZ", "IN", "JP", "KR", "CN", "SG", "HK", "BR", "MX", "AR", "CO", "ZA",
)  # fmt: skip

SHAPE_SCORE = 0.3  # under the default threshold (0.4): a shape alone is not a phone number
# With context, or valid in its region's own format: as sure as the other phone recognizers' validated
# matches, so that where one of them finds part of the number (`201-555-0000` of `001 201-555-0000`) the
# tie goes to the longer span and no digit of it stays behind.
VALID_SCORE = 1.0

_GROUPS = re.compile(r"\d+")
# An amount: a currency sign or code right before or after the digits.
_CURRENCY_BEFORE = re.compile(r"(?:([$€£¥₹₩₽])|\b([A-Za-z]{3}))\s?$")
_CURRENCY_AFTER = re.compile(r"^\s?(?:([$€£¥₹₩₽])|([A-Za-z]{3})\b)")
_CHAIN = frozenset(" .,'-")  # what joins the digit groups of an amount
_AREA_CODE = re.compile(r"\(\d{1,5}\)")
_DECIMAL_PART = re.compile(r"[.,]\d")
_CURRENCY_CODES = frozenset(
    ("EUR", "USD", "GBP", "CHF", "JPY", "INR", "BRL", "AUD", "CAD", "CNY", "SEK", "NOK", "DKK", "PLN", "CZK",
     "MXN", "ZAR", "NZD", "HKD", "SGD", "KRW", "TRY", "RUB")
)  # fmt: skip


def _is_date(groups: list[str]) -> bool:
    """Three groups that read as a calendar date, day-month-year or year-month-day (any separator)."""
    if len(groups) != 3:
        return False
    a, b, c = (int(g) for g in groups)
    if len(groups[0]) == 4 and len(groups[1]) <= 2 and len(groups[2]) <= 2:
        return 1900 <= a <= 2099 and 1 <= b <= 12 and 1 <= c <= 31
    if len(groups[2]) == 4 and len(groups[0]) <= 2 and len(groups[1]) <= 2:
        return 1900 <= c <= 2099 and ((1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31))
    return False


def _is_ip(text: str, groups: list[str]) -> bool:
    """A dotted quad as addresses are written (`012.34.50.00`, with its leading zeros, is a Belgian phone)."""
    return (
        len(groups) == 4
        and text.count(".") == 3
        and all(len(g) <= 3 and int(g) <= 255 and (g == "0" or g[0] != "0") for g in groups)
    )


def _range_or_short(text: str, groups: list[str]) -> bool:
    """Two groups under ten digits (`94103-1234`, `02710 0001`: a zip+4), or joined by anything but a space
    without a trunk 0 (`39080-39081`, `36020..36021`: a range)."""
    if len(groups) != 2:
        return False
    joined_by_space = text.endswith(groups[0] + " " + groups[1])
    return sum(map(len, groups)) < 10 or (not joined_by_space and not groups[0].startswith("0"))


def ambiguous_shape(value: str) -> bool:
    """Grouped digits that are as often an amount, a zip+4 or a range as a phone number: only a phone word
    makes them one (this recognizer's context; libphonenumber's matches without one are dropped)."""
    if value.startswith("+") or _AREA_CODE.match(value):
        return False
    groups = _GROUPS.findall(value)
    return _range_or_short(value, groups) or _thousands_shaped(groups)


def _thousands_shaped(groups: list[str]) -> bool:
    """`612 345 678`, `1.234.567`: how a large amount is grouped (no trunk 0, threes after the first)."""
    return not groups[0].startswith("0") and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


@lru_cache(maxsize=64)
def _regions_for(length: int, trunk: bool) -> tuple[str, ...]:
    """The regions where a national number can have `length` digits (with its trunk prefix, when `trunk`):
    libphonenumber's possible lengths, read before any parse (a parse per region is the costly step)."""
    out = []
    for region in REGIONS:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if meta is None or meta.general_desc is None:
            continue
        lengths = set(meta.general_desc.possible_length or ())
        prefix = meta.national_prefix or ""
        if length in lengths or (trunk and prefix == "0" and length - 1 in lengths):
            out.append(region)
    return tuple(out)


def _national_number(digits: str, region: str) -> phonenumbers.PhoneNumber:
    """`digits` read as a national number of `region`, its trunk prefix dropped: built directly (what
    `phonenumbers.parse` does for plain digits, without its normalizing passes: a third of the time)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = (meta.national_prefix if meta is not None else None) or ""
    nsn = (
        digits[len(prefix) :]
        if prefix and digits.startswith(prefix) and len(digits) > len(prefix)
        else digits
    )
    number = phonenumbers.PhoneNumber(
        country_code=phonenumbers.country_code_for_region(region), national_number=int(nsn)
    )
    zeros = len(nsn) - len(nsn.lstrip("0"))
    if zeros:
        number.italian_leading_zero = True
        if zeros > 1:
            number.number_of_leading_zeros = zeros
    return number


@lru_cache(maxsize=4096)
def region_formatted(digits: str, lengths: tuple[int, ...]) -> bool:
    """Whether `digits`, grouped as `lengths`, is a valid number the way a region writes it (see module)."""
    if digits.startswith("00"):
        try:
            number = phonenumbers.parse("+" + digits[2:], None)
        except phonenumbers.NumberParseException:
            return False
        return phonenumbers.is_valid_number(number)
    for region in _regions_for(len(digits), digits[0] == "0"):
        number = _national_number(digits, region)
        if not phonenumbers.is_valid_number_for_region(number, region):
            continue
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        groups = [len(g) for g in _GROUPS.findall(written)]
        if tuple(groups) == lengths and "".join(_GROUPS.findall(written)) == digits:
            return True
        if written.lstrip("(").startswith("0") and not digits.startswith("0") and groups[0] > 1:
            groups[0] -= 1  # the trunk 0 left off (`98765 43210`)
            if tuple(groups) == lengths:
                return True
    return False


class NationalPhoneRecognizer(WindowContextRecognizer):
    """Grouped digits shaped like a phone number (2–7 groups, 8–15 digits, `space . -` or a bracketed area
    code between them), kept with context or when a region writes the number that way (module doc)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "grouped digits",
            # Not inside a word, a decimal, a longer chain of groups or after a `+` (the international
            # recognizer's); each group taken whole (possessive), at most six separators: linear time.
            r"(?<![\w+.,:/\-])(?<!\d[ .\-])"
            r"(?:\(\d{2,5}+\)[ \-]?|\d{1,5}+[ .\-])"
            r"(?:\d{1,8}+[ .\-]){0,5}"
            r"\d{2,8}+"
            r"(?![\w%]|[ .,:/\-]\d)",
            SHAPE_SCORE,
        )
    ]
    CONTEXT: ClassVar[list[str]] = [
        "phone", "tel", "tél", "call", "mobile", "cell", "fax", "whatsapp", "sms", "ring", "handy",
        "portable", "móvil", "movil", "celular", "cellulare", "telefon", "téléphone", "teléfono",
        "telefone", "telefono", "rufnummer", "anruf", "appel", "llamar", "contact",
    ]  # fmt: skip
    CONTEXT_AFTER: ClassVar[list[str]] = ["mobile", "cell", "phone", "whatsapp", "fax", "(home)", "(work)"]
    context_boost = VALID_SCORE - SHAPE_SCORE

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name="NationalPhoneRecognizer",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        groups = _GROUPS.findall(pattern_text)
        if not 8 <= sum(map(len, groups)) <= 15:
            return False
        if _is_ip(pattern_text, groups) or _is_date(groups):
            return False
        return None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        out = []
        for r in super().analyze(text, entities, nlp_artifacts, regex_flags):
            if r.score <= SHAPE_SCORE:  # no context word: the region's own format decides
                groups = _GROUPS.findall(text[r.start : r.end])
                if not ambiguous_shape(text[r.start : r.end]):
                    lengths = tuple(len(g) for g in groups)
                    if region_formatted("".join(groups), lengths):
                        r.score = VALID_SCORE
            out.append(r)
        return out


def is_amount(text: str, start: int, end: int, *, decimal_part: bool = True) -> bool:
    """Whether the digits at `text[start:end]` are (part of) an amount: a decimal part follows
    (`12 345 678,90`; with `decimal_part`), or a currency sign or ISO code is right before or after the
    chain of digit groups they sit in (`€ 12 345 678`, `€ 10 000 000 000`, `7 852 000 000,00 EUR`). Applied
    to phone and IP detections (`recognizers.guard`): libphonenumber reads the digits of amounts as numbers,
    and `3.168.105.224,47 €` is dotted like an address."""
    if decimal_part and _DECIMAL_PART.match(text, end):
        return True
    while start > 1 and text[start - 1] in _CHAIN and text[start - 2].isdigit():
        start -= 2
        while start > 0 and text[start - 1].isdigit():
            start -= 1
    while end + 1 < len(text) and text[end] in _CHAIN and text[end + 1].isdigit():
        end += 2
        while end < len(text) and text[end].isdigit():
            end += 1
    for m in (
        _CURRENCY_BEFORE.search(text, max(0, start - 5), start),
        _CURRENCY_AFTER.search(text[end : end + 5]),
    ):
        if m is not None and (m.group(1) or m.group(2).upper() in _CURRENCY_CODES):
            return True
    return False
