"""Numbers that look like identifiers but say what they are by their place or their shape (red team round
six, issue 15): the detection guard (`proxy.detect.recognizers.guard`) drops a phone number, IP address or
customer ID read in one of them, and the to-client walker leaves a time key's epoch alone.

- A time: a time-like key (`created_ts`, `expires_at`, `updatedAt`, `last_seen`, `login_time`) holding a
  plain run of 10 or 13 digits that reads as epoch seconds or milliseconds between 2001 and 2050. The key
  must name a time and the value must be one: `{"customer_id": 1767225600}` and `expires_at=+1 (415) 555 …`
  stay identifiers. Ten digits between 2001 and 2050 also cover North American numbers of area codes 201
  to 252, which is why the key, not the digits, decides.
- An object identifier: a dotted run of five arcs or more, the first 0, 1 or 2 and none with a leading zero
  (`1.3.6.1.4.1.2021.10.1.3.1`, `.1.3.6.1.2.1.1.3.0`): no IPv4 address has more than four parts and a
  phone written with dots in groups has a trunk `0` or a country code first (`06.12.34.56.78`). Arcs of
  one digit each need an OID's own mark (`in_object_identifier`), as a phone spaced out with dots is one
  digit a part too; the spacing reader (`proxy.detect.spaced`) leaves such a run as written.
- Opening hours: two clock times joined by a dash or `to`, each `HH:MM` or `HH.MM` with one separator
  (`09:00-17:30`, `09.00 – 17.30`); written without it (`0900-1730`) only beside a word of hours or days
  (`hours`, `open`, `Mon-Fri`), on the quarter hour and ending after they start: a Dutch `0800-1234`
  stays a phone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from proxy.policy.keys import key_words

# The last word of a key that names a moment (`created_at`, `expiresAt`, `last_seen`, `event_ts`).
TIME_WORDS = frozenset(
    {
        "ts",
        "at",
        "time",
        "timestamp",
        "epoch",
        "seen",
        "since",
        "until",
        "expires",
        "expiry",
        "expiration",
        "created",
        "updated",
        "modified",
        "deleted",
        "started",
        "ended",
        "issued",
    }
)
_UNIT_WORDS = frozenset({"ms", "millis", "sec", "secs", "utc", "unix"})  # `created_ts_ms`, `expires_at_utc`
# Epoch seconds from 2001-09-09 (the first ten-digit second) to 2050-01-01, and milliseconds of the same.
_SECONDS = (1_000_000_000, 2_524_608_000)
_MILLIS = (1_000_000_000_000, 2_524_608_000_000)


@lru_cache(maxsize=4096)
def is_time_key(key: str) -> bool:
    """Whether a key names a moment: its last word (past a unit: `created_ts_ms`) is a time word."""
    words = [w for w in key_words(key) if not w.isdigit()]
    while words and words[-1] in _UNIT_WORDS:
        words.pop()
    return len(words) >= 1 and words[-1] in TIME_WORDS and (words[-1] != "at" or len(words) >= 2)


def is_epoch(value: object) -> bool:
    """Whether a JSON integer or a string of plain digits reads as epoch seconds or milliseconds of
    2001 to 2050 (ten or thirteen digits, nothing else)."""
    if type(value) is int:
        n = value
    elif type(value) is str and value.isascii() and value.isdigit() and value[:1] != "0":
        n = int(value)
    else:
        return False
    return _SECONDS[0] <= n < _SECONDS[1] or _MILLIS[0] <= n < _MILLIS[1]


_VERSION_WORDS = frozenset({"version", "ver", "release", "build", "firmware", "fw"})
_DOTTED_VERSION = re.compile(r"\d{1,5}(?:\.\d{1,6}){1,4}")


@lru_cache(maxsize=4096)
def is_version_key(key: str) -> bool:
    """Whether a key names a version: its last word is a version word (`build`, `fw_version`,
    `appVersion`)."""
    words = [w for w in key_words(key) if not w.isdigit()]
    return bool(words) and words[-1] in _VERSION_WORDS


def is_moment_or_version(value: object) -> bool:
    """What a time or version key holds by its shape alone: an epoch (`is_epoch`), or a dotted version
    written as a string (`10.0.19045.3803`, `9.17.104.203`): in text a version word before it says so
    (`recognizers`); under its key, the key does."""
    return is_epoch(value) or (type(value) is str and _DOTTED_VERSION.fullmatch(value) is not None)


# In text: a time key right before the value (`created_ts=…`, `"expires_at": …`, `updatedAt: …`): the key's
# last word starts a word or a camel-case part; `at` only closes a compound key (`created_at`, not `reach
# me at: …`); a `:` or `=` between, quotes and JSON escapes around it.
_WORDS = "|".join(sorted(TIME_WORDS - {"at"}, key=len, reverse=True))
_TIME_LABEL = re.compile(
    r"(?:(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))(?i:" + _WORDS + r")"
    r"|(?:(?<=[a-z])At|(?<=[A-Za-z0-9][_\-.])(?i:at)))"
    r"(?:[_\-]?(?i:ms|millis|secs?|utc|unix))?(?![A-Za-z])"
    r"[\"'\\]{0,2}\s{0,2}[:=]\s{0,2}[\"'\\]{0,2}$"
)


def epoch_after_time_key(before: str, value: str) -> bool:
    """A plain epoch value right after a time key in text (`event=login created_ts=1767225600`)."""
    return is_epoch(value) and _TIME_LABEL.search(before) is not None


# ------------------------------------------------------------------------------------ object identifiers
_OID = re.compile(r"[0-2](?:\.(?:0|[1-9]\d{0,9})){4,}")
_DOTTED = frozenset("0123456789.")
_MAX_RUN = 160
_INTERNET_ARC = "1.3.6.1."  # iso.org.dod.internet: the root of every SNMP MIB
_OID_WORD = re.compile(r"(?<![A-Za-z])(?i:oid|snmp\w*|mib)(?![A-Za-z])")
_OID_WORD_WINDOW = 24
# A word right before the run that says an identifier follows (`SSN 1.3.6.12.1193`, `tel: .2.1.2…`): then
# the run is read as that identifier, whatever its shape.
_IDENTIFIER_WORD = re.compile(
    r"(?<![A-Za-z])(?i:ssn|social|phone|tel|mobile|cell|fax|call|customer|cid|account|acct|card)(?![a-z])"
    r"[^\n\d]{0,16}$"
)


def in_object_identifier(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` lies in a dotted run of numbers shaped like an OID (read out from the
    span over digits and dots) with no word naming an identifier right before it. Arcs of one digit each
    are also a phone or SSN spaced out with dots (`2.1.2.5.5.5.0.1.3.4`): those need an OID's own mark,
    the absolute form's leading dot (`.1.3.6.1.2.1.1.3.0`), the internet arc `1.3.6.1` first, or
    `oid`/`snmp`/`mib` before."""
    lo, hi = start, end
    while lo > 0 and start - lo < _MAX_RUN and text[lo - 1] in _DOTTED:
        lo -= 1
    while hi < len(text) and hi - end < _MAX_RUN and text[hi] in _DOTTED:
        hi += 1
    run = text[lo:hi].rstrip(".")
    arcs = run.lstrip(".")
    if arcs.count(".") < 4 or _OID.fullmatch(arcs) is None:
        return False
    before = text[max(0, lo - _OID_WORD_WINDOW) : lo]
    if _IDENTIFIER_WORD.search(before):
        return False
    if len(arcs) > 2 * arcs.count(".") + 1:  # an arc of two digits or more: no spacing reads it
        return True
    return run[:1] == "." or arcs.startswith(_INTERNET_ARC) or _OID_WORD.search(before) is not None


# ------------------------------------------------------------------------------------------ opening hours
_CLOCK_RANGE = re.compile(
    r"(?:[01]?\d|2[0-3])([:.])[0-5]\d\s{0,3}(?:[-\u2013\u2014]|to)\s{0,3}(?:[01]?\d|2[0-3])\1[0-5]\d"
)
_BARE_RANGE = re.compile(r"([01]\d|2[0-3])([0-5]\d)\s{0,3}[-\u2013\u2014]\s{0,3}([01]\d|2[0-3])([0-5]\d)")
_HOURS_WORD = re.compile(
    r"(?<![A-Za-z])(?i:hours?|open|opening|closed|daily|weekdays?|weekends?|business"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|am|pm)(?![A-Za-z])"
)
_HOURS_WINDOW = 40


def is_opening_hours(text: str, start: int, end: int) -> bool:
    """Whether the span is a range of two clock times (`09:00-17:30`), or a bare one (`0900-1730`) on the
    quarter hour, ending later, beside a word of hours or days."""
    value = text[start:end]
    if _CLOCK_RANGE.fullmatch(value):
        return True
    m = _BARE_RANGE.fullmatch(value)
    if m is None:
        return False
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if m1 % 15 or m2 % 15 or h2 * 60 + m2 <= h1 * 60 + m1:
        return False
    around = text[max(0, start - _HOURS_WINDOW) : start] + " " + text[end : end + _HOURS_WINDOW]
    return _HOURS_WORD.search(around) is not None
