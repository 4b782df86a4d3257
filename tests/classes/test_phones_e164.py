"""International phone numbers written as E.164 digits without their `+` (`phones_e164`), through the real
to-client chain of a default install (red team round 10, class 1), and the numbers of the same length that
must stay readable (`proxy/detect/phone_e164_digits.py`).

Figures at the time of writing, 150 seeded cases each:
- a valid number of 20 countries in a `wa.me/` link, WhatsApp's `wa_id` and `from`, an SMS gateway's
  `msisdn` and integer `to`, `Caller …`, `callee=…`, a CSV `sender` column, a CRM record, a sentence, a
  neutral JSON key: cases leaking before → after: 125/150 → 13/150 (left: with no phone word right
  before them, digits that pass a GS1 check digit, kept as the barcode they could be, and US/Canada
  numbers with their `1`, kept as the 11-digit IDs they could be).
- look-alikes (epoch milliseconds under a time key, order/invoice/tracking numbers whose digits are a valid
  phone, metrics, versions, ISBN-13, EAN-13 and GTIN-14 barcodes) beside a number after `WhatsApp`:
  look-alikes altered 0/150 → 0/150, the real numbers leaking 144/150 → 7/150 (all followed by a line
  holding a bare digit run).
Mutation-checked: without the recognizer the first is back at 125/150; with its validity branch removed
(context words only) the class test fails.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random

import pytest

from proxy.detect.phone_e164_digits import is_barcode
from tests.classes.case import Case
from tests.classes.harness import ChainHarness, Outcome, untouched
from tests.classes.phones_e164 import e164_lookalikes, e164_without_plus

N = 150
BUILDERS: dict[str, tuple[Callable[[Random], Case], int]] = {
    "e164-without-plus": (e164_without_plus, 20261261),
    "e164-lookalikes": (e164_lookalikes, 20261262),
}


def _run(fresh: ChainHarness, name: str) -> list[Outcome]:
    return fresh.run_each(*BUILDERS[name], N)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_an_untouched_case_shows_every_number_and_keeps_every_look_alike(name: str) -> None:
    """The yardstick: with nothing tokenized the judge reads every planted number and alters nothing."""
    for outcome in untouched(*BUILDERS[name], N):
        assert outcome.altered == [] and len(outcome.leaked) == len(outcome.case.planted), outcome.summary()


def test_international_numbers_without_their_plus_are_tokenized_where_messaging_systems_write_them(
    fresh: ChainHarness,
) -> None:
    """`wa.me/4915938166622`, `{"wa_id": "34610888422"}`, `{"to": 918174372038}`, `Caller 12066937843 left
    a voicemail`: valid for their country code, or after a phone word, they are phone numbers."""
    outcomes = _run(fresh, "e164-without-plus")
    assert [o.summary() for o in outcomes if o.blocked] == []
    # Left, by design: with no phone word before it, a number whose digits pass a GS1 check digit is read
    # as the barcode it could be (one in ten), and a US/Canada number (`1` + ten digits, an ID as often) is
    # read after a phone word only (docs/detection.md, "What is not detected").
    assert [
        o.summary()
        for o in outcomes
        if any(not (is_barcode(p.text) or p.text.startswith("1")) for p in o.leaked)
    ] == []


def test_order_numbers_epochs_metrics_and_barcodes_of_phone_length_stay_readable(fresh: ChainHarness) -> None:
    """`Order #4915938166622`, `"created_ts": 1733598000123`, `impressions: 447400123456`, `ISBN
    9781234567897`, an EAN-13 whose check digit holds stay; `WhatsApp 4915938166622` beside them goes."""
    outcomes = _run(fresh, "e164-lookalikes")
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
    # Left: `WhatsApp 4915938166622` followed by a line holding a bare digit run keeps the number (another
    # stage drops the recognizer's span there; not yet found).
    assert [o.summary() for o in outcomes if o.leaked and not _bare_run_line_after(o)] == []


def _bare_run_line_after(outcome: Outcome) -> bool:
    text = outcome.case.messages[0].payload["content"][0]["text"]
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("WhatsApp "))
    return at + 1 < len(lines) and lines[at + 1].isdigit()
