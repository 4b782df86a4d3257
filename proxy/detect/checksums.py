"""The check digits of cards (Luhn) and IBANs (ISO 13616 mod 97), in one place and free of Presidio, so the
views and the scan's list readers use the same checks as the recognizers."""

from __future__ import annotations


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
