"""International phone numbers written as E.164 digits without their `+` (red team round 10, class 1), and
the numbers that look like them but are no one's.

- `e164_without_plus`: a valid number of one of 20 countries (libphonenumber's own example for a mobile,
  fixed line or either, its tail redrawn until valid again) where messaging systems write them: a
  `wa.me/` link, WhatsApp's `wa_id` and `from`, an SMS gateway's `msisdn`/`to`, a call log's `Caller …`,
  a CSV's `sender` column, a CRM export's row, a JSON integer, a sentence with no phone word.
- `e164_lookalikes`: 11- to 15-digit numbers that are not phones, where they stand in real results:
  epoch milliseconds under a time key, order, invoice and tracking numbers after their label (digits
  drawn so that libphonenumber reads them as a valid number), metrics under a metric label, versions,
  ISBN-13s and EAN-13/GTIN-14 barcodes whose check digit holds; a real number after a phone word beside
  them in the same result.
"""

from __future__ import annotations

import json
from random import Random

import phonenumbers

from tests.classes.case import Case, Survivor, call, nest, tool_result
from tests.classes.planting import Planted, digits_needle

_REGIONS = (
    "DE", "FR", "GB", "ES", "IT", "BR", "AU", "IN", "NL", "SE", "MX", "US", "JP", "PL", "TR", "ZA", "NG",
    "AR", "PH", "AE",
)  # fmt: skip
_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
)


def e164_digits(rng: Random, region: str | None = None) -> str:
    """A valid number of `region` (drawn if None) as E.164 digits without the `+`, 11 digits or more: a
    region and type whose numbers are shorter (a Swedish fixed line) are drawn again."""
    while True:
        where = region or rng.choice(_REGIONS)
        example = phonenumbers.example_number_for_type(where, rng.choice(_TYPES))
        if example is None:
            continue
        code, national = str(example.country_code), str(example.national_number)
        if len(code + national) < 11:
            continue
        keep = min(3, len(national) - 4)
        for _ in range(200):
            tail = "".join(str(rng.randrange(10)) for _ in range(len(national) - keep))
            digits = code + national[:keep] + tail
            if phonenumbers.is_valid_number(phonenumbers.parse("+" + digits)):
                return digits


def _planted(digits: str) -> Planted:
    return Planted("phone", digits, digits_needle(digits))


_SLOTS = (
    ("wa.me", lambda n, r: tool_result(f"Chat with us: https://wa.me/{n}?text=Hi")),
    ("api.whatsapp", lambda n, r: tool_result(f"https://api.whatsapp.com/send?phone={n}")),
    ("wa_id", lambda n, r: tool_result(structured={"contacts": [{"wa_id": n, "profile": {"name": "C"}}]})),
    (
        "whatsapp-from",
        lambda n, r: tool_result(
            structured={"messages": [{"from": n, "id": "wamid.HBgL", "type": "text", "text": {"body": "hi"}}]}
        ),
    ),
    ("msisdn", lambda n, r: tool_result(json.dumps({"msisdn": n, "network": "T-Mobile"}))),
    ("sms-to-int", lambda n, r: tool_result(structured={"to": int(n), "status": "delivered", "parts": 1})),
    ("caller", lambda n, r: tool_result(f"Caller {n} left a voicemail at 10:42.")),
    ("callee", lambda n, r: tool_result(f"call_id=8812 callee={n} duration=63s")),
    ("csv-sender", lambda n, r: tool_result(f"sender,body,received\n{n},STOP,2026-12-07")),
    (
        "crm-row",
        lambda n, r: tool_result(structured=nest(r, {"contact": n, "stage": "lead"}, r.randrange(3))),
    ),
    ("prose", lambda n, r: tool_result(f"Please reach the customer on {n} before Friday.")),
    ("neutral-json", lambda n, r: tool_result(json.dumps({"from": n, "direction": "inbound"}))),
)


def e164_without_plus(rng: Random) -> Case:
    digits = e164_digits(rng)
    label, build = rng.choice(_SLOTS)
    return Case("e164-without-plus", [call(build(digits, rng), "messages")], [_planted(digits)], label=label)


# ------------------------------------------------------------------------------------------ look-alikes
def _gtin(rng: Random, length: int) -> str:
    body = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(length - 2))
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def _isbn13(rng: Random) -> str:
    body = rng.choice(["978", "979"]) + "".join(str(rng.randrange(10)) for _ in range(9))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _lookalike(rng: Random) -> tuple[str, str]:
    """(label, text) of a number that is no phone, written with what says what it is."""
    kind = rng.choice(
        ["epoch-ms", "order", "invoice", "tracking", "metric", "version", "isbn", "ean", "gtin14"]
    )
    phoneish = e164_digits(rng)  # digits libphonenumber reads as a valid number
    if kind == "epoch-ms":
        ms = rng.randrange(1_000_000_000_000, 2_500_000_000_000)
        return kind, f'"{rng.choice(["created_ts", "updatedAt", "expires_at_ms", "event_time"])}": {ms}'
    if kind == "order":
        return kind, rng.choice([f"Order #{phoneish}", f"order_id={phoneish}", f"Order number: {phoneish}"])
    if kind == "invoice":
        return kind, rng.choice([f"Invoice No. {phoneish}", f"invoice {phoneish} paid"])
    if kind == "tracking":
        return kind, f"Tracking number: {phoneish}"
    if kind == "metric":
        label = rng.choice(["impressions", "costMicros", "bytes", "clicks"])
        return kind, f"{label}: {phoneish}"
    if kind == "version":
        return kind, f"version {rng.randrange(1, 30)}.{rng.randrange(100)}.{phoneish}"
    if kind == "isbn":
        return kind, rng.choice([f"ISBN {_isbn13(rng)}", f'"isbn13": "{_isbn13(rng)}"', _isbn13(rng)])
    if kind == "ean":
        return kind, rng.choice([f"EAN {_gtin(rng, 13)}", f"barcode={_gtin(rng, 13)}", _gtin(rng, 13)])
    return kind, f"GTIN {_gtin(rng, 14)}"


def e164_lookalikes(rng: Random) -> Case:
    survivors = []
    lines = []
    for _ in range(rng.randrange(2, 5)):
        label, text = _lookalike(rng)
        survivors.append(Survivor(text, label=label))
        lines.append(text)
    digits = e164_digits(rng)
    lines.insert(rng.randrange(len(lines) + 1), f"WhatsApp {digits}")
    rng.shuffle(lines)
    result = tool_result("\n".join(lines))
    return Case("e164-lookalikes", [call(result, "orders")], [_planted(digits)], survivors, label="lines")
