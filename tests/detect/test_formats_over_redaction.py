"""The other side of the format recognizers: numbers written like phones, cards or IDs that identify nobody
stay readable. One generator per class: dates in every order and separator, times, ISO timestamps, version
strings, order numbers without context, money amounts in every locale's grouping, micros, decimals, ranges,
percentages, postal codes, years and year ranges."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from proxy.detect.phone_e164_digits import valid_international
from tests.detect.format_strategies import luhn_complete

CLASS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FRAMES = ("{v}", "row {v} done", "on {v} the report ran", "total: {v}", "({v})", "{v}, then")


@st.composite
def dates(draw: st.DrawFn) -> str:
    y, m, d = draw(st.integers(1950, 2060)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    sep = draw(st.sampled_from(["-", "/", ".", " ", "_"]))
    order = draw(st.sampled_from(["ymd", "dmy", "mdy"]))
    parts = {"ymd": (f"{y}", f"{m:02d}", f"{d:02d}"), "dmy": (f"{d:02d}", f"{m:02d}", f"{y}")}
    parts["mdy"] = (f"{m:02d}", f"{d:02d}", f"{y}")
    return sep.join(parts[order])


@st.composite
def times(draw: st.DrawFn) -> str:
    h, m, s = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    return draw(
        st.sampled_from([f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}:{s:02d}", f"{h:02d}:{m:02d}:{s:02d}.{s:03d}"])
    )


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    date = f"{draw(st.integers(1990, 2060))}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
    clock = draw(times())
    zone = draw(st.sampled_from(["Z", "+01:00", "-05:00", "", ".123456Z"]))
    return f"{date}{draw(st.sampled_from(['T', ' ']))}{clock}{zone}"


@st.composite
def versions(draw: st.DrawFn) -> str:
    """With a version word, or bare with two or three parts (bare `1.2.3.4` is an IPv4 address)."""
    prefix = draw(st.sampled_from(["", "v", "version ", "build "]))
    parts = [str(draw(st.integers(0, 40))) for _ in range(draw(st.integers(2, 4 if prefix else 3)))]
    return prefix + ".".join(parts)


def _international(digits: str) -> bool:
    return len(digits) >= 11 and not digits.startswith("1") and valid_international(digits)


@st.composite
def order_numbers(draw: st.DrawFn) -> str:
    n = draw(st.integers(10**5, 10**12))
    seq = draw(st.integers(10**5, 10**8))
    return draw(
        st.sampled_from(
            [
                f"order #{n}",
                f"ORD-{draw(st.integers(2000, 2040))}-{seq}",
                f"invoice {n}",
                f"#{n}",
                # A bare ten-digit run is a Google Ads customer ID's shape and is tokenized without context
                # (docs/detection.md), and so is a bare run of 11 digits or more that libphonenumber takes for
                # an international number with its `+` left off (fail closed: `447400123456` is a UK mobile);
                # an order number keeps its label.
                f"{n}" if len(str(n)) != 10 and not _international(str(n)) else f"order {n}",
            ]
        )
    )


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@st.composite
def money(draw: st.DrawFn) -> str:
    """`1 234 567,89 €`, `€ 12.345.678`, `$1,234,567.89`, `CHF 1'234'567.50`, `12 345 678 EUR`."""
    # Small, large (as long as a phone number), and round (`10 000 000 000`: groups of zeros).
    round_ = st.builds(lambda m, k: m * 10**k, st.integers(1, 999), st.integers(3, 10))
    n = draw(st.one_of(st.integers(1000, 10**6), st.integers(10**8, 10**12), round_))
    cents = f"{draw(st.integers(0, 99)):02d}"
    style = draw(st.sampled_from(["fr", "de", "en", "ch", "bare-sign", "code"]))
    if style == "fr":
        return f"{_grouped(n, ' ')},{cents} €"
    if style == "de":
        return f"€ {_grouped(n, '.')},{cents}" if draw(st.booleans()) else f"{_grouped(n, '.')},{cents} EUR"
    if style == "en":
        return f"${_grouped(n, ',')}.{cents}"
    if style == "ch":
        return f"CHF {_grouped(n, chr(39))}.{cents}"
    if style == "bare-sign":
        return f"{draw(st.sampled_from(['€', '$', '£']))} {_grouped(n, ' ')}"
    return f"{_grouped(n, ' ')} {draw(st.sampled_from(['EUR', 'USD', 'GBP', 'PLN', 'JPY']))}"


@st.composite
def micros(draw: st.DrawFn) -> str:
    """6–15 digits, some of them Luhn-valid (a tenth of all integers are: that is no card number)."""
    label = draw(st.sampled_from(["costMicros", "spend (micros):", "amount_micros ="]))
    size = draw(st.integers(6, 15))
    n = str(draw(st.integers(10 ** (size - 1), 10**size - 1)))
    if draw(st.booleans()):
        n = luhn_complete(n[:-1])
    return f"{label} {n}"


@st.composite
def cards_backwards(draw: st.DrawFn) -> str:
    """Long amounts and ids that read as a card only backwards (`291574850061773` is `377160058475192`
    reversed, an Amex's shape and checksum), with no word saying a card is meant: a tenth of the numbers
    with a card's last digits are."""
    prefix = draw(st.sampled_from(["4", "51", "55", "34", "37", "6011", "2221", "3528"]))
    size = 15 if prefix in ("34", "37") else draw(st.sampled_from([16, 19]))
    body = str(draw(st.integers(10 ** (size - len(prefix) - 2), 10 ** (size - len(prefix) - 1) - 1)))
    card = luhn_complete(prefix + body)
    assume(luhn_complete(card[::-1][:-1]) != card[::-1])  # a card as written too is no look-alike
    label = draw(st.sampled_from(["costMicros", "spend (micros):", "order", "id", "impressions", ""]))
    return f"{label} {card[::-1]}".strip()


@st.composite
def decimals(draw: st.DrawFn) -> str:
    whole = draw(st.integers(0, 10**6))
    frac = draw(st.text("0123456789", min_size=1, max_size=12))
    return draw(st.sampled_from([f"{whole}.{frac}", f"{whole},{frac}", f"-{whole}.{frac}"]))


@st.composite
def ranges(draw: st.DrawFn) -> str:
    a = draw(st.integers(0, 10**5))
    b = a + draw(st.integers(1, 10**5))
    return draw(st.sampled_from([f"{a}-{b}", f"{a} - {b}", f"{a}–{b}", f"{a} to {b}", f"{a}..{b}"]))


@st.composite
def percentages(draw: st.DrawFn) -> str:
    return f"{draw(st.integers(0, 100))}.{draw(st.integers(0, 99))}%" + draw(
        st.sampled_from(["", " of 2026"])
    )


@st.composite
def postal_codes(draw: st.DrawFn) -> str:
    zip5 = f"{draw(st.integers(501, 99950)):05d}"
    return draw(
        st.sampled_from(
            [
                zip5,
                f"{zip5}-{draw(st.integers(1, 9999)):04d}",
                f"{zip5} Paris",
                f"D-{zip5} Berlin",
                f"SW1A {draw(st.integers(1, 9))}AA",
                f"{draw(st.integers(1000, 9999))} AB Amsterdam",
            ]
        )
    )


@st.composite
def years(draw: st.DrawFn) -> str:
    a = draw(st.integers(1900, 2060))
    return draw(
        st.sampled_from([f"{a}", f"{a}-{a + 1}", f"{a}/{(a + 1) % 100:02d}", f"FY{a}", f"{a}–{a + 7}"])
    )


GENERATORS = {
    "dates": dates(),
    "times": times(),
    "timestamps": timestamps(),
    "versions": versions(),
    "order numbers": order_numbers(),
    "money": money(),
    "micros": micros(),
    "cards backwards": cards_backwards(),
    "decimals": decimals(),
    "ranges": ranges(),
    "percentages": percentages(),
    "postal codes": postal_codes(),
    "years": years(),
}


def structured_hits(detector, text: str) -> list[tuple[str, str]]:
    """What the detector takes from `text` as a structured value (person names are the NER's business and
    have their own over-redaction tests: `Berlin` read as a surname is not a format's fault)."""
    spans = detector.detect([text]).get(text, [])
    return [(s.entity, text[s.start : s.end]) for s in spans if s.entity != "PERSON"]


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@CLASS
@given(data=st.data())
def test_numbers_written_like_ids_that_identify_nobody_stay_readable(detector, kind, data):
    text = data.draw(st.sampled_from(FRAMES)).format(v=data.draw(GENERATORS[kind]))
    assert structured_hits(detector, text) == []
