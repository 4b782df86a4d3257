"""International phone numbers written as E.164 digits without their `+`: `4915938166622`, `12066937843`.

WhatsApp's Cloud API writes every number this way (`contacts[].wa_id`, `messages[].from`), so do `wa.me/`
click-to-chat links, Twilio's and most SMS gateways' `msisdn`, `from` and `to`, CRM exports and call logs
(`Caller 12066937843 left a voicemail`), often as JSON integers. With the `+` the other phone recognizers
read them; without it an 11- to 15-digit run is as often an order number, an epoch in milliseconds, a
metric or a barcode. A run stands as a phone number when

- a phone word is right before it, by morphology of what a phone is called where messages are sent
  (`caller`, `callee`, `msisdn`, `wa_id`, `whatsapp`, `wa.me/`, `sms`, `sender`, `recipient`, `tel`, …)
  and no word of a call's other numbers stands between (`Call ID`, `sms count`, `call duration`): there
  the digits are the phone's whatever libphonenumber says (a test or new range it does not know), or
- libphonenumber reads `+` and the run as a valid number of its country code (the country code is part
  of the digits: no region is guessed) and nothing says it is something else: not a barcode (an
  EAN/GTIN of 12 to 14 digits whose check digit holds, an ISBN-13's `978`/`979`), not after an order,
  invoice or tracking label, not a `1` + North American number (eleven digits are an ID as often:
  those stand after a phone word only, as `VeilPhoneRecognizer` reads them), not after a time key.
  Metric labels are `recognizers.guard`'s, for every number entity.

Ten-digit runs are left to the Google Ads customer ID recognizer, which tokenizes every one of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

import phonenumbers
from presidio_analyzer import Pattern, RecognizerResult

from proxy.detect.pattern_judging import ResultJudgingRecognizer
from proxy.detect.text_windows import before as text_before

SHAPE_SCORE = 0.3  # under the threshold: eleven to fifteen digits alone are no phone number
VALID_SCORE = 0.85  # valid for its country code, nothing saying it is something else
CONTEXT_SCORE = 1.0  # a phone word right before it

# Words that say a number is a phone's, written before it: the phone's names (`tel`, `mobile`, `handy`),
# who calls or is called (`caller`, `callee`, `called party`), messaging channels and their ids (`sms`,
# `msisdn`, `whatsapp`, `wa_id`, a `wa.me/` link), the parties of a message record (`sender`,
# `recipient`). Whole words or a compound key's parts (`callerNumber`, `caller_id`, `wa_id`).
_CONTEXT_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))"
    r"(?i:tel|phone|telephone|mobile|cell|fax|call|caller|callee|called|calling|dial(?:ed|led)?"
    r"|whatsapp|wa[_\-]?id|wa\.me/|sms|mms|text(?:ed)?|msisdn|handy|sender|recipient|receiver|voicemail"
    r"|viber|telegram|contact|callback|telefon|telefono|tel[eé]fono|t[eé]l[eé]phone|celular"
    r"|cellulare|portable|m[oó]vil)"
    r"(?:s|es)?(?![a-z])"
)
_PHONE_WORD_THEN = r"[^\n\d]{0,24}$"
# The same words naming a call's or a message's other numbers (`Call ID`, `sms count`, `call duration`).
_OTHER_NUMBER = re.compile(
    r"(?<![A-Za-z])(?i:ids?|ref|count|duration|length|log|seconds|secs|ms|time|cost|price)(?![a-z])"
)
# A label that says the number is a reference of a document or a parcel (`order #…`, `Invoice No: …`).
_REFERENCE_BEFORE = re.compile(
    r"(?<![A-Za-z])(?i:order|ord|invoice|inv|ticket|tkt|ref|reference|sku|po|tracking|receipt|case"
    r"|isbn|ean|gtin|upc|barcode|serial|transaction|txn|payment|batch|lot)(?:s|es)?(?![a-z])"
    r"(?:[\s_\-]{0,2}(?i:number|num|nr|no\.?|id|code))?[\s:#=\-_\"']{0,6}$"
)
# A number sign right before (`#212800000000`, `No. …`, `Nr. …`, `№ …`): a reference's number; a phone is
# written after its word, never after a number sign alone.
_NUMBER_SIGN_BEFORE = re.compile(r"(?:#|(?<![A-Za-z])(?i:no|nr|nº)\.?[ \t]?|№[ \t]?)$")

# A time key right before (`modified_timestamp=`, `created_ts:`, `expiresAt=`): an epoch, also where a view
# masked the run's first digits (`modified_timestamp#81435064320` of `…=2381435064320`).
_TIME_KEY_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z])|(?<=_))(?i:timestamp|ts|time|at|epoch|ms|millis|date|seen)"
    r"[\s:=#\"']{1,4}$"
)


# A path segment after a collection's name (`conversionActions/355684694927`, `geoTargetConstants/…`): a
# resource name's id. A phone in a path is read after its word only (`wa.me/…`, `tel/…`).
_PATH_SEGMENT_BEFORE = re.compile(r"[A-Za-z][\w.-]*/$")
# A file's extension right after (`backup_34834069762.tar.gz`, read with its `_` as a blank): a file name.
_FILE_EXTENSION_AFTER = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}(?![A-Za-z0-9])")


def gtin_check_digit_holds(digits: str) -> bool:
    """Whether `digits` (12 to 14 of them) end in their GS1 check digit: UPC-A, EAN-13, GTIN-14."""
    if not 12 <= len(digits) <= 14:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def is_barcode(digits: str) -> bool:
    """An ISBN-13 (`978…`, `979…`) or a GTIN whose check digit holds: a product's number, no one's phone."""
    return (len(digits) == 13 and digits[:3] in ("978", "979")) or gtin_check_digit_holds(digits)


@lru_cache(maxsize=4096)
def valid_international(digits: str) -> bool:
    """Whether `+digits` is a valid number for its country code (libphonenumber, offline metadata)."""
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _phone_word_before(before: str) -> str | None:
    """What stands between the last phone word in `before` and the number, if one is close enough."""
    last = None
    for m in _CONTEXT_BEFORE.finditer(before):
        last = m
    if last is None or re.fullmatch(_PHONE_WORD_THEN, before[last.end() :]) is None:
        return None
    return before[last.end() :]


class E164DigitsPhoneRecognizer(ResultJudgingRecognizer):
    """An 11- to 15-digit run that is a valid international number with its `+` left off (module doc)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        # Not inside a word, a decimal, after a `+` (the international recognizers'), a dash or an `_`
        # glued to a word (`ORD-…`); the run taken whole.
        Pattern(
            "e164 digits",
            r"(?<![\w+.,\-])(?<!\d[.,])[1-9]\d{10,14}+(?![\w\-]|[.,]\d)",
            SHAPE_SCORE,
        )
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER", name="E164DigitsPhoneRecognizer", patterns=self.PATTERNS
        )

    def judge(self, result: RecognizerResult, text: str) -> RecognizerResult | None:
        digits = text[result.start : result.end]
        before = text_before(text, result.start)
        said = _phone_word_before(before)
        if said is not None and _OTHER_NUMBER.search(said):
            return None  # `Call ID 12066937843`: the call's, not a phone's number
        if said is not None:
            result.score = CONTEXT_SCORE
        elif (
            not valid_international(digits)
            or is_barcode(digits)
            or digits.startswith("1")  # `1` + NANP: an 11-digit ID as often (after a phone word only)
            or _REFERENCE_BEFORE.search(before)
            or _TIME_KEY_BEFORE.search(before)
            or _PATH_SEGMENT_BEFORE.search(before)
            or _NUMBER_SIGN_BEFORE.search(before)
            or _FILE_EXTENSION_AFTER.match(text, result.end) is not None
        ):
            return None
        else:
            result.score = VALID_SCORE
        return result
