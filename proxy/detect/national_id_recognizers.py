"""National identifiers by Presidio's own country recognizers (their patterns and checksums), scored where
the value stands (`national_id_base`): one wrapper per identifier, declaring how much its shape says alone.

Alone (no label): an Italian codice fiscale (sixteen characters of a strict layout and a check letter), a
Spanish DNI/NIF and NIE (eight digits or a foreigner's `X`/`Y`/`Z` and seven, and a mod-23 check letter),
an Aadhaar number written in its 4-4-4 grouping (Verhoeff check digit), a UK NINO written in its pairs
(`AB 12 34 56 C`). Beside a label or under a key naming it: the same compact (`123456789012`,
`AB123456C`), an Indian PAN (a layout, no check), an Australian TFN (mod 11), a Polish PESEL (a birth date
and a check digit) and an NHS number (mod 11), whose digits alone are any order or phone number's.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import (
    AuTfnRecognizer,
    EsNieRecognizer,
    EsNifRecognizer,
    InAadhaarRecognizer,
    InPanRecognizer,
    ItFiscalCodeRecognizer,
    NhsRecognizer,
    PlPeselRecognizer,
    UkNinoRecognizer,
)

from proxy.detect.national_id_base import NationalIdRecognizer

_ALONE = 0.6  # over the policy threshold without a label


class VeilAadhaarRecognizer(NationalIdRecognizer, InAadhaarRecognizer):
    """`2345 6789 0124`, `2345-6789-0124` alone; `234567890124` beside `Aadhaar`, `UIDAI`, `आधार`."""

    SHAPE = re.compile(r"\d{4}[- :]?\d{4}[- :]?\d{4}")
    GROUPED_SCORE = _ALONE
    MORE_CONTEXT: ClassVar[list[str]] = ["aadhar", "adhaar", "aadhaar no", "uid", "आधार"]


class VeilNinoRecognizer(NationalIdRecognizer, UkNinoRecognizer):
    """`AB 12 34 56 C` alone; `AB123456C` beside `National Insurance`, `NINO`, `NI number`."""

    SHAPE = re.compile(r"\d\d ?\d\d ?\d\d ?[A-D]")
    GROUPED_SCORE = _ALONE
    MORE_CONTEXT: ClassVar[list[str]] = ["ni no", "ni #", "insurance no", "insurance number"]


class VeilPanRecognizer(NationalIdRecognizer, InPanRecognizer):
    """`ABCPE1234F` (the fourth letter a holder's status) beside `PAN`, `Permanent Account Number`."""

    SHAPE = re.compile(r"\d{4}[A-Z]")
    LABELLED_ONLY = True
    PATTERN_NAMES = ("PAN (High)",)  # Presidio's looser ones take any ten-character code with four digits
    # Only the pattern that runs: Presidio's "PAN (Low)" looks ahead with `.*?` at every position, quadratic
    # on a long line (test_detection_budget's bait).
    PATTERNS: list[Pattern] = [p for p in InPanRecognizer.PATTERNS if p.name == "PAN (High)"]  # noqa: RUF012
    MORE_CONTEXT: ClassVar[list[str]] = ["pan card", "pan no", "income tax", "स्थायी खाता संख्या"]


class VeilTfnRecognizer(NationalIdRecognizer, AuTfnRecognizer):
    """`123 456 782` or `123456782` (mod 11) beside `TFN`, `tax file number`."""

    SHAPE = re.compile(r"\d{3}\s?\d{3}\s?\d{3}")
    LABELLED_ONLY = True
    MORE_CONTEXT: ClassVar[list[str]] = ["tax file no", "tax file"]


class VeilPeselRecognizer(NationalIdRecognizer, PlPeselRecognizer):
    """`44051401359` (a birth date, a check digit) beside `PESEL`, `numer PESEL`."""

    SHAPE = re.compile(r"\d{11}")
    LABELLED_ONLY = True
    MORE_CONTEXT: ClassVar[list[str]] = ["numer pesel", "nr pesel", "polish national id"]


class VeilFiscalCodeRecognizer(NationalIdRecognizer, ItFiscalCodeRecognizer):
    """`RSSMRA85T10A562S` (layout and check letter) anywhere, in either case."""

    SHAPE = re.compile(r"\d\d[A-Za-z]\d\d[A-Za-z]")
    BARE_SCORE = _ALONE
    CASE_SENSITIVE = False
    MORE_CONTEXT: ClassVar[list[str]] = ["cod. fiscale", "cod fiscale", "c.f.", "fiscal code", "tax code"]


class VeilNifRecognizer(NationalIdRecognizer, EsNifRecognizer):
    """`12345678Z`, `12345678-Z` (mod-23 letter) anywhere; upper case only (`15000000s` is a duration)."""

    SHAPE = re.compile(r"\d{7}-?[A-Z]")
    BARE_SCORE = _ALONE
    MORE_CONTEXT: ClassVar[list[str]] = ["d.n.i", "n.i.f", "documento de identidad", "national id"]


class VeilNieRecognizer(NationalIdRecognizer, EsNieRecognizer):
    """`X1234567L` (a foreigner's `X`/`Y`/`Z`, mod-23 letter) anywhere; without the prefix it is a NIF."""

    SHAPE = re.compile(r"\d{7}-?[A-Z]")
    BARE_SCORE = _ALONE
    MORE_CONTEXT: ClassVar[list[str]] = ["n.i.e", "número de extranjero", "numero de extranjero", "tie"]


class VeilNhsNumberRecognizer(NationalIdRecognizer, NhsRecognizer):
    """`943 476 5919`, `9434765919` (mod 11) beside `NHS`, `NHS number`."""

    SHAPE = re.compile(r"\d{3}[- ]?\d{3}[- ]?\d{4}")
    LABELLED_ONLY = True
    MORE_CONTEXT: ClassVar[list[str]] = ["nhs no", "nhs number", "nhs #"]


NATIONAL_ID_RECOGNIZERS = (
    VeilAadhaarRecognizer,
    VeilNinoRecognizer,
    VeilPanRecognizer,
    VeilTfnRecognizer,
    VeilPeselRecognizer,
    VeilFiscalCodeRecognizer,
    VeilNifRecognizer,
    VeilNieRecognizer,
    VeilNhsNumberRecognizer,
)
