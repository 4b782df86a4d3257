"""The check digits of cards (Luhn) and IBANs (ISO 13616 mod 97), in one place and free of Presidio, so the
views and the scan's list readers use the same checks as the recognizers."""

from __future__ import annotations

import re

# IBAN length per country: the SWIFT IBAN Registry (ISO 13616), all 89 countries of release 100 (January
# 2025), unchanged through release 102 (June 2026) -- Burundi, Djibouti, the Falklands, Honduras, Libya,
# Mongolia, Nicaragua, Oman, Russia, Somalia, Sudan and Yemen were added 2020-2024. Dependent territories
# (Aland, Guernsey, French overseas departments...) write their parent's code. Presidio's per-country
# patterns are not used: some have the wrong length (Portugal's reads 21 characters; a Portuguese IBAN has
# 25) and none of the countries added since 2020.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
    "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def luhn_ok(digits: str) -> bool:
    """Whether ASCII `digits` pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mod97_ok(iban: str) -> bool:
    """The ISO 13616 check: the country and check digits moved to the end, letters as 10–35, mod 97 is 1."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def is_iban(compact: str) -> bool:
    """`compact` (upper case, no separators) is an IBAN: its country's length, check digits, mod-97."""
    return IBAN_LENGTHS.get(compact[:2]) == len(compact) and compact[2:4].isdigit() and mod97_ok(compact)


_ES_ID_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_ES_ID = re.compile(r"([XYZ]?)(\d{7,8})-?([A-Z])")


def spanish_id_ok(written: str) -> bool:
    """A Spanish DNI/NIF (`12345678Z`) or NIE (`Z1234567B`) whose mod-23 check letter holds: its letters are
    the ID's, not letters typed for digits (`digit_letters`)."""
    m = _ES_ID.fullmatch(written)
    if m is None or (m.group(1) != "") == (len(m.group(2)) == 8):
        return False
    number = int(str("XYZ".index(m.group(1))) + m.group(2)) if m.group(1) else int(m.group(2))
    return _ES_ID_LETTERS[number % 23] == m.group(3)
