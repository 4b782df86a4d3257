"""Values glued to letters: `abc378-56-3784xyz`, `ID+14155550123X`, `card4111111111111111end`.

Recognizers anchor a number on a word boundary (`(?<![\\w])`) so that they do not read a number out of an
identifier; a backend that glues a value to letters slips past every one of them. The *glued view* puts a
space wherever a letter (or an underscore: `user_135.193.233.105`) touches a digit (or a `+`/`(` that starts a
number) in a text that holds a trigger-sized digit run, so the recognizers see the number standing alone. Only
what is certain without a word boundary is kept from this view (`GLUED_ENTITIES` at `GLUED_MIN_SCORE` or more:
checksum-validated cards and IBANs, formatted SSNs and phone numbers, emails, IP addresses): a bare digit run
glued to letters is an identifier's own digits far more often than a phone number.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

GLUED_MIN_SCORE = 0.5
GLUED_ENTITIES = frozenset(
    {"US_SSN", "CREDIT_CARD", "IBAN_CODE", "PHONE_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS"}
)
_TOUCH = re.compile(r"[A-Za-z_](?=[\d+(])|\d(?=[A-Za-z_])")


def glued_view(view: View) -> View | None:
    """`view` with a space after every letter that touches a number and every digit that touches a
    letter; None if there is none."""
    if _TOUCH.search(view.text) is None:
        return None
    glued = rewrite(view, _TOUCH, lambda c: c + " ")
    return glued if glued is not view else None
