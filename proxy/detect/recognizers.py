"""Our recognizers, Presidio-style: declared patterns, context words, checksum validation.

They fill what Presidio lacks for these backends: Google Ads customer IDs, and recall-first email and
phone patterns (Presidio's email recognizer rejects internal and reserved TLDs; libphonenumber rejects
unassigned area codes, which test data and many real exports are full of).
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.account_label_recognizer import VeilAccountLabelRecognizer
from proxy.detect.ad_account_ids import AdAccountIdRecognizer
from proxy.detect.card_grouped import GroupedCardRecognizer, is_card
from proxy.detect.context_window import WindowContextRecognizer as _WindowContextRecognizer
from proxy.detect.iban_loose import LooseIbanRecognizer
from proxy.detect.labeled_value_recognizer import VeilLabeledValueRecognizer
from proxy.detect.name_places import person_before_place
from proxy.detect.name_recognizers import NAME_RECOGNIZERS
from proxy.detect.national_id_recognizers import NATIONAL_ID_RECOGNIZERS
from proxy.detect.number_lookalikes import epoch_after_time_key, in_object_identifier, is_opening_hours
from proxy.detect.person_recognizer import VeilPersonRecognizer
from proxy.detect.phone_e164_digits import E164DigitsPhoneRecognizer
from proxy.detect.phone_national import NationalPhoneRecognizer, is_amount
from proxy.detect.site_property import SitePropertyRecognizer
from proxy.detect.spans import Span
from proxy.detect.ssn_context import ContextSsnRecognizer
from proxy.detect.text_windows import before as text_before
from proxy.detect.userinfo_secrets import UserinfoSecretRecognizer

__all__ = [
    "OUR_RECOGNIZERS",
    "AdAccountIdRecognizer",
    "ContextSsnRecognizer",
    "E164DigitsPhoneRecognizer",
    "GoogleAdsCustomerIdRecognizer",
    "GroupedCardRecognizer",
    "LooseIbanRecognizer",
    "NationalPhoneRecognizer",
    "SitePropertyRecognizer",
    "VeilAccountLabelRecognizer",
    "VeilEmailRecognizer",
    "VeilPersonRecognizer",  # moved to proxy.detect.person_recognizer; re-exported for old imports
    "VeilPhoneRecognizer",
]


_CUSTOMER_WORDS = ("client", "customer", "cust", "cid", "gads", "adwords", "acct", "account", "mcc")
_CUSTOMER_GLUE = "|".join(f"(?<=(?i:[^a-z]{w})_)|(?<=(?i:^{w})_)" for w in _CUSTOMER_WORDS)


class GoogleAdsCustomerIdRecognizer(_WindowContextRecognizer):
    """Google Ads customer IDs: `customers/1234567890` resource names, `123-456-7890`, or ten digits next to
    a customer context word."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("resource name", r"(?<=customers/)\d{10}(?!\d)", 0.95),
        Pattern("dashed", r"(?<![\d-])\d{3}-\d{3}-\d{4}(?![\d-])", 0.5),
        # Ten digits standing alone are the shape of a customer ID: tokenized without context (a bare run
        # after an order or invoice label, or a metric label, is kept by `guard`).
        Pattern("bare", r"(?<![\w.,])(?<!\d[.,])\d{10}(?![\w]|[.,]\d)", 0.45),
        # Ten digits glued with `_` after a word naming a customer (`client_1608787110`,
        # `gads_3107797511_2026-11.csv`): the word says what the digits are, as `cid=` or `client-` would.
        Pattern("glued to a customer word", rf"(?:{_CUSTOMER_GLUE})\d{{10}}(?![A-Za-z0-9]|[.,]\d)", 0.6),
        # Ten digits in any grouping of twos to fours (`48-29-13-55-97`) right after a label naming a
        # customer's ID: the label says what the digits are, whatever their grouping.
        Pattern(
            "labeled grouping",
            r"(?<=(?i:customer|client)[ \t]{1,2}(?i:id|number|no\.?)[ \t]{0,2}[:#=]?[ \t]{0,2})"
            r"(?=(?:[-. ]?\d){10}(?![\w]|[-. ]\d))\d{2,4}(?:[-. ]\d{2,4}){2,4}(?![\w-])",
            0.6,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["customer", "cid", "account", "client", "acct", "mcc", "advertiser"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="GOOGLE_ADS_CUSTOMER_ID",
            name="GoogleAdsCustomerIdRecognizer",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )


class VeilEmailRecognizer(PatternRecognizer):
    """Email addresses by syntax alone (no TLD validation, no network), a quoted local part included
    (`"jane doe"@acme.com`, RFC 5321).

    At most 16 domain labels: with an unbounded label repeat, the `regex` engine Presidio compiles with
    backtracked quadratically through a long `a.a.a.…` chain (100,000 chars took 4 s)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "email",
            r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,16}"
            r"[A-Za-z]{2,24}(?![\w-])",
            0.9,
        ),
        # An address literal for a domain (RFC 5321 4.1.3): `jane@[IPv6:2001:db8::1]`, `jane@[192.0.2.7]`;
        # the whole address, its local part with it (the IP recognizer alone leaves `jane@[` readable).
        Pattern(
            "address literal",
            r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@\[(?:(?i:ipv6):[0-9A-Fa-f:.]{2,45}"
            r"|\d{1,3}(?:\.\d{1,3}){3})\]",
            0.9,
        ),
        Pattern(
            "quoted local part",
            r'(?<![\w"])"[^"\\\r\n@]{1,62}"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,16}'
            r"[A-Za-z]{2,24}(?![\w-])",
            0.9,
        ),
    ]

    def __init__(self) -> None:
        super().__init__(supported_entity="EMAIL_ADDRESS", name="VeilEmailRecognizer", patterns=self.PATTERNS)

    def validate_result(self, pattern_text: str) -> bool | None:
        local = pattern_text.split("@", 1)[0]
        return ".." not in pattern_text and not local.endswith(".")


_DIGITS = re.compile(r"\d")


class VeilPhoneRecognizer(_WindowContextRecognizer):
    """Phone numbers by shape, recall-first: international `+CC …` forms and separated national forms.

    Requires separators or a leading `+`, so plain integers (metrics, IDs, micros) never match.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        # Digit runs are taken whole (possessive) and groups need a separator or brackets between them, so
        # a long digit run after `+` is rejected in linear time; splitting it into groups every possible way
        # was the backtracking bait here (how many digits a phone has is the validator's business).
        Pattern(
            "international",
            r"(?<![\w+])\+\d{1,15}+(?:[ .\-]?\(\d{1,5}+\)[ .\-]?\d{1,15}+|[ .\-]\d{1,15}+){0,6}(?![\w-])",
            0.6,
        ),
        Pattern("north american", r"(?<![\w-])(?:\(\d{3}\) ?|\d{3}[ .\-])\d{3}[ .\-]\d{4}(?![\w-])", 0.5),
        Pattern("uk national", r"(?<![\w-])0\d{2,4}[ \-]\d{3,4}[ \-]?\d{3,4}(?![\w-])", 0.45),
        # `1` and a NANP number, no separator (`14155550123`): eleven digits are an ID as often as not, so
        # this one stands only right after a phone label (`analyze`).
        Pattern("north american with its 1", r"(?<![\w+.,\-])1[2-9]\d\d[2-9]\d{6}(?![\w\-]|[.,]\d)", 0.3),
    ]
    CONTEXT: ClassVar[list[str]] = ["phone", "tel", "call", "mobile", "cell", "fax", "ring", "whatsapp"]
    context_boost = 0.2

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name="VeilPhoneRecognizer",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        n = len(_DIGITS.findall(pattern_text))
        return 8 <= n <= 15

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for r in results:
            if text[r.start : r.end].isdigit():  # the bare `1` + NANP run: a phone after a phone label only
                before = text_before(text, r.start)
                r.score = _TRUNK_SCORE if _TRUNK_LABEL.search(before) else 0.0
        return [r for r in results if r.score > 0]


# Over-redaction guards, applied to every recognizer's results (Presidio's own included).
# A dotted run of numbers in a version context (`version 1.2.3.4`, `v1.2.3.4`, `build 10.0.19045.1`) is a
# version, not an IP address, phone number or ID.
# The word may close a compound key (`fw_version=`, `appVersion`), and quotes or JSON escapes may stand
# between it and the number (`"version": "1.2.3.4"`).
_VERSION_CONTEXT = re.compile(
    r"(?:(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))(?i:version|ver|release|build|firmware)|\b(?i:v))"
    r"[\s:=#\"'\\]*$"
)
_VERSION_WINDOW = 24
_NUMBER_ENTITIES = frozenset(
    {"IP_ADDRESS", "PHONE_NUMBER", "GOOGLE_ADS_CUSTOMER_ID", "US_SSN", "CREDIT_CARD"}
)
# A decimal (`0.1234567890`, `-12.5000001`): one dot between digit runs, nothing else. libphonenumber
# reads one as a national number.
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")
# A card number's digits with a decimal point among them (`4008916269515.251`): no metric has an integer
# part of eight digits and a card's length in all; a shorter integer part is a measurement's precision
# (`52.52000659999999`), which Luhn and an issuer's range pass a tenth of the time.
# What an amount is written with: digits and group or decimal marks. A phone written with a country code,
# parentheses or dashes (`(512) 850-7560`) is no amount, even where a CSV cell's `,12` follows it.
_AMOUNT_SHAPED = re.compile(r"[\d .,'\u00a0\u202f]+")
# A first group of one or two digits (not a trunk `0`): `601 123 000` is a Spanish phone's 3-3-3.
# Digits apart, most of them single (`0 2 0 1 0 0 0`, `1 | 2 | … | 10`): small numbers in a row, which
# libphonenumber reads as a number. A phone's groups are longer (`01 23 45 67 89`).
_DIGIT_GROUP = re.compile(r"\d+")


def _mostly_single_digits(value: str) -> bool:
    groups = _DIGIT_GROUP.findall(value)
    return len(groups) >= 4 and 2 * sum(len(g) == 1 for g in groups) > len(groups)


_THOUSANDS = re.compile(r"[1-9]\d?([ .,'\u00a0\u202f])\d{3}(?:\1\d{3})+")
_MARKS = " .,'\u00a0\u202f"


def _in_thousands(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` lies in a number written in thousands (`5 000 000 000`, `9,164,522,196`):
    libphonenumber reads nine of its digits as a national number."""
    while start > 0 and (
        text[start - 1].isdigit() or (text[start - 1] in _MARKS and text[start - 2 : start - 1].isdigit())
    ):
        start -= 1
    while end < len(text) and (
        text[end].isdigit() or (text[end] in _MARKS and text[end + 1 : end + 2].isdigit())
    ):
        end += 1
    return _THOUSANDS.fullmatch(text, start, end) is not None


_CARD_DECIMAL = re.compile(r"\d{8,}\.\d+")
# A calendar date (`02-01-1990`, `1990/01/02`, `02 01 1990`) is not a phone number or an ID.
_DATE = re.compile(
    r"(?:0?[1-9]|[12]\d|3[01])([-/. ])(?:0?[1-9]|[12]\d|3[01])\1(?:19|20)\d\d"
    r"|(?:19|20)\d\d([-/. ])(?:0?[1-9]|1[0-2])\2(?:0?[1-9]|[12]\d|3[01])"
)
# Where a form body or query string puts its fields: the email's local part starts after the last of them.
_FIELD_BREAK = re.compile(r"[&=?;]")
# A label that says a card number follows (`Card Number:`, `cc#`): there the number is one whatever its range.
_CARD_LABEL = re.compile(r"(?<![A-Za-z])(?i:card|cc|pan)(?![a-z])[^\n\d]{0,24}$")
# A label that says a phone number follows (`tel 02 21 2000`): there a date-shaped number is the phone.
_PHONE_LABEL = re.compile(
    r"(?<![A-Za-z])(?i:tel|phone|mobile|cell|fax|call|whatsapp|handy)(?![a-z])[^\n\d]{0,16}$"
)
# A label that says a quantity follows (`costMicros 348701932440278`, `spend (micros): …`, `impressions=…`):
# a bare digit run right after it is a metric, not an identifier. The label starts a word or a camel-case
# part (`costMicros`, `ad_clicks`), never inside one: `account` holds `count`, `discount` too.
_METRIC_LABEL = re.compile(
    r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))"
    r"(?i:micros|cost|spend|amount|budget|impressions?|clicks?|revenue|price|total|bytes|size|count"
    r"|conversions?|views?|time(?:stamp)?s?|epoch|seconds|millis)[A-Za-z_\-]{0,12}[\s:=()\"'\[\]]{1,6}$"
)
# Right before a bare `1` + NANP number, what says it is a phone (`call`, `tel`, `phone number:`, `text me
# at`): no digit, quote or field break between (a phone key's value never lends its word to an ID beside
# it), nor a word that makes it something of a call's (`Call ID`, `call duration`).
_TRUNK_LABEL = re.compile(
    r"(?<![A-Za-z])(?i:tel|phone|mobile|cell|fax|call|whatsapp|handy|sms|text me|reach me)(?![a-z])"
    r"(?![^\n\d]{0,16}(?<![A-Za-z])(?i:ids?|ref|count|duration|length|log|seconds|secs|ms|time)(?![a-z]))"
    r"[^\n\d\"',;{}\[\]]{0,16}$"
)
_TRUNK_SCORE = 0.9
# A label that says a reference number of a document follows (`order #1234567890`, `Order number …`,
# `ORD-2024-…`, `invoice`).
_REFERENCE_LABEL = re.compile(
    r"(?<![A-Za-z])(?i:order|ord|invoice|inv|ticket|tkt|ref|sku|po|tracking|receipt|case)(?![a-z])"
    r"(?:[\s_\-]{0,2}(?i:number|num|nr|no\.?|id))?[\s:#=\-_]{0,4}(?:\d{2,4}[-_])?$|#$"
)


def guard(text: str, start: int, end: int, entity: str) -> tuple[int, int] | None:
    """A detection as it should stand: None when it is a version, a decimal or a date rather than a number
    that identifies anyone, a phone number glued to a word (`ORD-2012-100000`: libphonenumber finds numbers
    inside identifiers), a phone or IP address that is an amount (`7 852 000 000,00 €`, `€ 3.168.105.224,47`),
    a card number no issuer gives out (`costMicros 5508446135581`: Luhn-valid, but a Mastercard has 16
    digits); an email trimmed to start after a query string's last field break
    (`status=ok&count=5&email=jane@acme.com` → `jane@acme.com`)."""
    value = text[start:end]
    if entity in _NUMBER_ENTITIES:
        if (
            _DECIMAL.fullmatch(value) and not (entity == "CREDIT_CARD" and _CARD_DECIMAL.fullmatch(value))
        ) or (start > 1 and text[start - 1] == "." and text[start - 2].isdigit()):
            return None
        before = text_before(text, start)
        if _DATE.fullmatch(value) and not (entity == "PHONE_NUMBER" and _PHONE_LABEL.search(before)):
            return None
        if "." in value and _VERSION_CONTEXT.search(text_before(text, start, _VERSION_WINDOW)):
            return None
        if value.isdigit() and (_METRIC_LABEL.search(before) or epoch_after_time_key(before, value)):
            return None
        if "." in text[max(0, start - 1) : end + 1] and in_object_identifier(text, start, end):
            return None  # `1.3.6.1.4.1.2021.10.1.3.1`: an OID's arcs, no address or phone
        if entity == "GOOGLE_ADS_CUSTOMER_ID" and value.isdigit() and _REFERENCE_LABEL.search(before):
            return None  # the shape alone: an order label says otherwise (checked kinds stay)
        if entity == "CREDIT_CARD" and not is_card(value) and not _CARD_LABEL.search(before):
            return None
        if entity == "IP_ADDRESS" and is_amount(text, start, end, decimal_part=False):
            return None
        if entity == "PHONE_NUMBER" and (
            is_opening_hours(text, start, end)  # `Phone: open 09:00-17:30`
            or _mostly_single_digits(value)  # spaced out with no label: `spaced` reads the labelled ones
            or (start > 1 and text[start - 1] in "-_" and text[start - 2].isalpha())
            or (
                _AMOUNT_SHAPED.fullmatch(value)
                and (
                    is_amount(text, start, end)
                    or (_in_thousands(text, start, end) and not _PHONE_LABEL.search(before))
                )
            )
        ):
            return None
    elif entity == "PERSON":
        return person_before_place(text, start, end)  # `Austin, TX`: a town before its state or country
    elif entity == "EMAIL_ADDRESS":
        at = value.find("@")
        breaks = [m.end() for m in _FIELD_BREAK.finditer(value, 0, max(at, 0))]
        if breaks:
            start += breaks[-1]
            if start >= end or text[start] == "@":
                return None
    return start, end


OUR_RECOGNIZERS = {
    cls.__name__: cls
    for cls in (
        GoogleAdsCustomerIdRecognizer,
        AdAccountIdRecognizer,
        SitePropertyRecognizer,
        VeilEmailRecognizer,
        VeilPhoneRecognizer,
        VeilLabeledValueRecognizer,
        VeilAccountLabelRecognizer,
        # Values in the formats people write them (national phones, any card grouping, loose IBANs, SSNs
        # without dashes), one recognizer per class of format:
        NationalPhoneRecognizer,
        E164DigitsPhoneRecognizer,
        GroupedCardRecognizer,
        LooseIbanRecognizer,
        ContextSsnRecognizer,
        UserinfoSecretRecognizer,
        *NATIONAL_ID_RECOGNIZERS,  # Presidio's country recognizers, scored by where the value stands
        *NAME_RECOGNIZERS,
    )
}


def guarded_spans(text: str, spans: list[Span]) -> list[Span]:
    """`spans` each cut to what its entity's guard keeps of it (`guard`), those it drops left out."""
    out = []
    for s in spans:
        kept = guard(text, s.start, s.end, s.entity)
        if kept is not None:
            out.append(Span(kept[0], kept[1], s.entity, s.score))
    return out
