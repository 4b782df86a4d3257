"""What a value's shape and its key say, before any detector runs.

- Skipped values. `skip_keys` (policy) does not switch scanning off for a key name: under such a key
  only an *enum-shaped* value goes unscanned — a short identifier that starts with a letter, holds no
  whitespace, no `@`, no run of three digits (`ENABLED`, `text`, `application/json`, `America/New_York`,
  `byPage`), or an ISO date (`2025-06-18`: MCP's protocol versions are dates). Such a value cannot hold an
  address, a phone, a card, an IBAN or an ID; anything else under the key (`"status": "Email sent to
  jane@acme.example"`) is scanned like any string. The protocol's own structure (`content[].type`, a
  resource's `mimeType`, `progressToken`, `protocolVersion`) keeps its values because they are listed in the
  shipped `skip_keys` and fit this shape — so the handshake is answered without waiting for the detectors.
- Key context. A bare digit run means something beside a key that names it (`cid: 1234567890`,
  `{"tel": 4155550123}`, `{"customer": {"id": 1234567890}}`): one table maps key words to an entity and a
  validator of the digits; a key that also names a metric (`accountBudgetMicros`, `phoneCount`) gives none.
- Number candidates. A JSON number of seven integral digits or more is scanned as the digits a client reads
  in it (`number_text`): an integer of any sign, a float with an integral value (`4111111111111111.0`) or
  in exponent form (`4.15555e9` reads as 4155550000, `4.111111111111111e+30` shows the mantissa's digits).
  Small numbers, non-finite floats and any number under a metric key stay numbers. An integer beyond 64 bits
  is refused (no interoperable parser reads it exactly, and no detector can find a value inside a digit run
  that long).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from proxy.errors import blocked
from proxy.policy import key_vocab, normalize_key
from proxy.policy.keys import key_words  # the one key reading (`clientCustomerId` → client, customer, id)
from proxy.scan import address_keys

_ENUM = re.compile(r"[A-Za-z][A-Za-z0-9_.:/+\-]{0,63}")
_DIGITS3 = re.compile(r"\d{3}")
_ISO_DATE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")


def is_enum_shaped(value: str) -> bool:
    """A short identifier or a calendar date: it can hold no detectable value (see the module docstring).

    The identifier shape alone would pass `DE50-52-60-18-…` (an IBAN in pairs: no run of three digits) and
    `HenrikeOkonkwo` (a name glued in CamelCase), so a value a structured trigger fires on (an IBAN's start,
    seven digits across separators) or that reads as a glued full name is no enum: it is scanned."""
    if _ISO_DATE.fullmatch(value) is not None:
        return True
    if _ENUM.fullmatch(value) is None or _DIGITS3.search(value) is not None:
        return False
    return not _holds_a_value(value)


def _holds_a_value(value: str) -> bool:
    from proxy.detect.triggers import triggered  # light: regexes only

    if triggered(value):
        return True
    from proxy.detect.name_glued import GLUED_WORD, glued_name

    return any(glued_name(m.group()) for m in GLUED_WORD.finditer(value))


# Integers with at least this many digits are candidates (the detectors' digit trigger is seven digits).
BIG_INT = 1_000_000

INT64 = 1 << 63


def decimal_text(v: Any) -> str:
    """The digits a client reads in a JSON number, as a detector judges them: an integer's decimal text; a
    float's integral digits, or its mantissa's digits when it prints with an exponent."""
    if type(v) is not float:
        return str(v)
    if not math.isfinite(v):
        return repr(v)
    shown = repr(v)
    if "e" in shown:
        mantissa = shown.partition("e")[0]
        return ("-" if v < 0 else "") + mantissa.lstrip("-").replace(".", "")
    return str(int(v))


def number_text(v: Any) -> str | None:
    """The text to scan for a JSON number that may be an identifier (see the module docstring), or None.
    Raises LimitExceeded for an integer beyond 64 bits."""
    t = type(v)
    if t is not int and t is not float:
        return None
    if not (v >= BIG_INT or v <= -BIG_INT) or (t is float and not math.isfinite(v)):
        return None
    if t is int:
        refuse_beyond_64_bits(v)
    return decimal_text(v)


def refuse_beyond_64_bits(v: int) -> None:
    """Raise LimitExceeded for an integer no 64-bit parser reads (JSON numbers are doubles in JavaScript,
    orjson rejects them): a hiding place for digits no detector can find inside, under any key."""
    if v >= INT64 or v < -INT64:
        raise blocked("a JSON integer beyond 64 bits")


# A key naming a quantity: its numbers are metrics, never identifiers. Matched on the key's words (a word
# starting with one of these stems: `costMicros`, `numClicks`, `impressions`), never on substrings (`account`
# holds `count`).
_METRIC_STEMS = (
    "micros",
    "click",
    "calls",  # `phone_calls`: a count of calls (Google Ads `metrics.phone_calls`), never a phone
    "impression",
    "cost",
    "count",
    "ctr",
    "amount",
    "total",
    "sum",
    "avg",
    "average",
    "rate",
    "budget",
    "spend",
    "revenue",
    "conversion",
    "view",
    "size",
    "bytes",
    "duration",
    "millis",
    "seconds",
    "timestamp",
    "time",
    "date",
    "year",
    "position",
    "rank",
    "score",
    "quantity",
    "qty",
    "price",
    "balance",
    "limit",
    "version",
    "length",
    "percent",
    "ratio",
    "index",
    "offset",
    "page",
    "lat",
    "lng",
    "lon",
    "width",
    "height",
    "interactions",
    "engagement",
    "cpc",
    "cpm",
    "roas",
)


_NOT_METRICS = frozenset({"country", "countries"})  # `count…` words that count nothing (`iban_country`)


@lru_cache(maxsize=8192)
def is_metric_key(key: str) -> bool:
    return any(word.startswith(_METRIC_STEMS) and word not in _NOT_METRICS for word in key_words(key))


_NON_DIGIT_SEPARATORS = re.compile(r"[\s().\-/+]")


def _digits(value: str) -> str | None:
    """The digits of a bare digit run with the usual separators (`415-555-0134`, `+1 (415) 555 0134`)."""
    if len(value) > 40:
        return None
    digits = _NON_DIGIT_SEPARATORS.sub("", value)
    return digits if digits.isdigit() and digits.isascii() else None


def _n_digits(lo: int, hi: int) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        digits = _digits(value)
        return digits is not None and lo <= len(digits) <= hi

    return check


_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")


def _iban(value: str) -> bool:
    return _IBAN.fullmatch(value.replace(" ", "").upper()) is not None


# key word -> (entity, validator of the value's text). One table for the class "a key gives a bare value its
# meaning"; the validators only check the shape the word implies (how many digits), never a checksum: under
# `card` a 16-digit run is a card number even when a test system made it Luhn-invalid.
_CONTEXT: dict[str, tuple[str, Callable[[str], bool]]] = {
    **dict.fromkeys(("customer", "cid", "cust"), ("GOOGLE_ADS_CUSTOMER_ID", _n_digits(10, 10))),
    **dict.fromkeys(("client",), ("GOOGLE_ADS_CUSTOMER_ID", _n_digits(10, 10))),
    **dict.fromkeys(("account", "acct"), ("ACCOUNT_NUMBER", _n_digits(6, 18))),
    # An ad or analytics platform's account ID by its own words (`merchantId`, `advertiser_id`, `propertyId`;
    # the word alone is prose's too: `advertiser reach 1,234,567`): TikTok's advertiser IDs run to 19 digits
    # (`ad_account_ids`).
    **dict.fromkeys(("merchantid", "advertiserid", "propertyid"), ("ACCOUNT_NUMBER", _n_digits(6, 21))),
    # Seven or eight digits too: an SSN whose area starts with zeros loses them as a JSON number or in a
    # spreadsheet's export (`078051120` → 78051120); the key says what it was.
    **dict.fromkeys(("ssn", "sin", "tin"), ("US_SSN", _n_digits(7, 9))),
    **dict.fromkeys(("card", "cc", "pan"), ("CREDIT_CARD", _n_digits(12, 19))),
    **dict.fromkeys(
        ("tel", "phone", "telephone", "mobile", "cell", "fax", "msisdn", "whatsapp", "sms"),
        ("PHONE_NUMBER", _n_digits(7, 15)),
    ),
    "iban": ("IBAN_CODE", _iban),
    # Several words naming one thing (`social_security_number`, `socialSecurityNo`, `credit-card`): matched on
    # the key's words joined, as field rules normalize keys (`normalize_key`).
    **dict.fromkeys(("socialsecurity", "socialinsurance", "taxpayer", "taxid"), ("US_SSN", _n_digits(7, 9))),
    **dict.fromkeys(("creditcard", "debitcard", "paymentcard"), ("CREDIT_CARD", _n_digits(12, 19))),
    **dict.fromkeys(("phonenumber", "telno", "cellphone"), ("PHONE_NUMBER", _n_digits(7, 15))),
    # Who calls or is messaged, as messaging APIs name them: WhatsApp's `wa_id`, a call log's `caller`.
    **dict.fromkeys(("waid", "caller", "callee"), ("PHONE_NUMBER", _n_digits(7, 15))),
    # The same things in other languages (`telefon`, `kreditkarte`, `steuerId`): proxy/policy/key_vocab.py
    **dict.fromkeys(key_vocab.words(key_vocab.NATIONAL_ID), ("US_SSN", _n_digits(7, 9))),
    **dict.fromkeys(key_vocab.words(key_vocab.CARD), ("CREDIT_CARD", _n_digits(12, 19))),
    **dict.fromkeys(key_vocab.words(key_vocab.PHONE), ("PHONE_NUMBER", _n_digits(7, 15))),
    **dict.fromkeys(key_vocab.words(key_vocab.CUSTOMER_NUMBER), ("ACCOUNT_NUMBER", _n_digits(6, 18))),
}
_MAX_COMPOUND = 3  # words joined at most
# Keys that say nothing themselves: their context is the key of the object they sit in (`customer.id`).
GENERIC_KEYS = frozenset({"id", "number", "num", "no", "value", "code"})


Context = tuple[str, Callable[[str], bool]]


@lru_cache(maxsize=8192)
def key_context(key: str) -> tuple[Context, ...] | None:
    """The (entity, validator) pairs a key gives a bare value beside it, the key's own words first, then
    phrases written out (`social_security_number` is an `ssn`, `taxIdentificationNumber` a `tin`: the
    initials of words of three letters or more, so `session_id_number` is no `sin`); None if none."""
    if is_metric_key(key):
        return None
    words = key_words(key)
    found: list[Context] = []
    # The key whole, as a field rule reads it: a word with an accent is cut at it (`número_cliente` reads
    # n, ú, mero, cliente), so the tables' accented words are found only so.
    whole = _CONTEXT.get(normalize_key(key))
    if whole is not None:
        found.append(whole)
    for word in words:
        hit = _CONTEXT.get(word) or _CONTEXT.get(word[:-1] if word.endswith("s") else word)
        if hit is not None:
            found.append(hit)
    for n in range(2, min(_MAX_COMPOUND, len(words)) + 1):  # several words naming one thing
        for i in range(len(words) - n + 1):
            hit = _CONTEXT.get("".join(words[i : i + n]))
            if hit is not None:
                found.append(hit)
    for size in (2, 3, 4):
        for i in range(len(words) - size + 1):
            run = words[i : i + size]
            if all(len(w) >= 3 and w.isalpha() for w in run[:-1]) and (len(run[-1]) >= 3 or run[-1] in _NO):
                hit = _CONTEXT.get("".join(w[0] for w in run))
                if hit is not None:
                    found.append(hit)
    postal = address_keys.context(key)  # `MailingStreet`, `line1`, `Anschrift`: read by the key's words
    if postal is not None:
        found.append(postal)
    return tuple(dict.fromkeys(found)) or None


_NO = frozenset({"no", "nr"})


# An integer grouped in thousands, one separator throughout: `,` `'` `.` a blank, a no-break or thin space
# (`123,456,789`, `1'234'567'890`, `1.234.567.890`, `1 234 567 890`).
THOUSANDS = re.compile(r"\d{1,3}([,'. \u00a0\u2009\u202f])\d{3}(?:\1\d{3}){1,2}")


# An SSN's, phone's or customer ID's own grouping joined by `:` `'` or `,` (`517:60:1302`, `(415) 214:5430`):
# no time (two-digit parts) and no amount (three-digit groups); the key says what it is.
_GROUPED = re.compile(r"\+?(?:1[:',])?\d{3}([:',])\d{2,3}\1\d{4}|\(\d{3}\) ?\d{3}[:',]\d{4}")


def context_entity(key: str, value: str) -> str | None:
    """The entity of `value` (a string, or a number's decimal text) beside `key`, if the key gives one:
    the first of its contexts whose shape the value has (`customer_ssn`: 10 digits are a customer ID,
    9 an SSN). A calendar date is none of them (`"account": "2024-05-01"`, `"card": "2024-05-01T10:00Z"`).
    An identifier written as an amount, in thousands groups, is judged as the digits it writes: the key
    says what it is (`"ssn": "123,456,789"`)."""
    if _ISO_DATE.fullmatch(value[:10]) is not None and (len(value) == 10 or value[10] in "T "):
        return None
    if THOUSANDS.fullmatch(value) is not None or _GROUPED.fullmatch(value) is not None:
        value = re.sub(r"\D", "", value)
    for entity, valid in key_context(key) or ():
        if entity == "ACCOUNT_NUMBER" and _n_digits(10, 10)(value):
            return "GOOGLE_ADS_CUSTOMER_ID"  # a 10-digit account: a Google Ads customer account
        if valid(value):
            return entity
    return None
