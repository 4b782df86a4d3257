"""The cheap tests that decide whether a string goes to Presidio at all: anything a structured recognizer
could match has a trigger (an `@`, a digit run, a dotted quad, an IPv6 group, an IBAN's start). Kept apart
from the detector so the batch pre-scan (`batch_scan`) and the detector share one definition.
"""

from __future__ import annotations

import re

from proxy.detect.iban_trigger import IBAN_TRIGGER, IBAN_TRIGGER_RE
from proxy.detect.national_id_trigger import NATIONAL_ID_TRIGGER, NATIONAL_ID_TRIGGER_RE

# Anything a structured recognizer could match has an @, a run of 7+ digits with short separator runs
# (an apostrophe or a comma among them: `4963'3500'…`, `5303, 0243, …`),
# a dotted quad, an IPv6 group, a customers/ resource name, a lettered national ID's digits and letter
# (`AB 12 34 56 C`, `ABCPE1234F`: `national_id_trigger`), a Search Console domain property (`sc-domain:`)
# or the start of an IBAN (two letters, two digits, eleven letters or digits more: `lu88 0000 a000 000a
# 0000` has no run of seven digits). Strings without one skip Presidio.
STRUCTURED_TRIGGER = re.compile(
    r"@|\d(?:[\s().\-/+',]{0,2}\d){6}|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9A-Fa-f]{1,4}::?[0-9A-Fa-f]{1,4}:|"
    r"-(?:domain|DOMAIN|Domain):(?<=[sS][cC]-.......)|"
    + IBAN_TRIGGER_RE
    + "|"
    + NATIONAL_ID_TRIGGER_RE
)
# The same test, cheaper per string (it runs on every unique string of a message): `@` by substring search;
# the digit runs alone, so the scan stops only at digits; the IPv6 group anchored on its colon (a hex digit
# before it), searched only in text with a colon. `triggered(t)` equals `STRUCTURED_TRIGGER.search(t)`
# being found (checked by a test).
DIGIT_TRIGGER = re.compile(r"\d(?:[\s().\-/+',]{0,2}\d){6}|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
IPV6_TRIGGER = re.compile(r":(?<=[0-9A-Fa-f]:):?[0-9A-Fa-f]{1,4}:")
# `sc-domain:` as Search Console writes it (or upper-case): led by the hyphen, a literal the engine's
# fast scan finds (a case-blind pattern scans five times slower).
SITE_TRIGGER = re.compile(r"-(?:domain|DOMAIN|Domain):(?<=[sS][cC]-.......)")
# Digits first: the engine's fast scan for the first character skips to each digit pair (~16 µs per KB of
# prose; letters first took twice that).


# Where a digit trigger can be: a run of 7+ characters of its classes that starts with a digit. Python's
# regex engine finds such runs about four times faster than it tries the trigger at every digit, and only
# the runs are then tried.
_DIGIT_RUN = re.compile(r"\d[\d\s().\-/+',]{6,}")


def digit_trigger_at(text: str, pos: int = 0) -> int:
    """Where the first digit run holding a `DIGIT_TRIGGER` match starts, at or after `pos`; -1 if none.
    A match lies inside one run (every character of it is of the run's classes), so trying the runs finds
    exactly the texts the trigger finds."""
    for run in _DIGIT_RUN.finditer(text, pos):
        if DIGIT_TRIGGER.search(run.group()) is not None:
            return run.start()
    return -1


def triggered(text: str) -> bool:
    return (
        "@" in text
        or digit_trigger_at(text) >= 0
        or (":" in text and IPV6_TRIGGER.search(text) is not None)
        or IBAN_TRIGGER.search(text) is not None
        or (":" in text and SITE_TRIGGER.search(text) is not None)
        or NATIONAL_ID_TRIGGER.search(text) is not None
    )
