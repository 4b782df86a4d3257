"""A number cut into groups no format uses (`14/052/321/34`, `451-913-056-159-277-6`), a card's groups
with mixed separators or a decimal point among its digits, a phone in a CSV cell, an IBAN in any grouping:
each is the value it spells. Amounts, decimals and formats with even groups keep their reading."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from proxy.detect.card_grouped import is_card
from tests.detect.helpers import survives, tokenized
from tests.detect.strategies import SEPARATED, embed, ibans
from tests.detect.view_classes import unevenly_grouped

FAST = settings(max_examples=150, deadline=None, derandomize=True)


@FAST
@given(st.data())
def test_a_number_in_uneven_short_groups_is_one_value(detector, data):
    _kind, value = data.draw(unevenly_grouped())
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_a_card_with_mixed_separators_or_a_long_integer_part_before_a_decimal_point_is_a_card(detector, data):
    digits = "".join(data.draw(SEPARATED["card"]))
    if data.draw(st.booleans()):
        groups = [digits[i : i + 4] for i in range(0, 16, 4)]
        value = groups[0] + "".join(data.draw(st.sampled_from([" ", "-", "."])) + g for g in groups[1:])
    else:
        cut = data.draw(st.integers(8, 15))
        value = digits[:cut] + "." + digits[cut:]
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_a_formatted_phone_in_a_csv_cell_is_a_phone(detector, data):
    area, exchange, line = data.draw(SEPARATED["phone"])
    value = data.draw(
        st.sampled_from(
            [f"({area}) {exchange}-{line}", f"+1 {area} {exchange} {line}", f"{area}-{exchange}-{line}"]
        )
    )
    before = f"{data.draw(st.integers(1, 99))},"
    text = f"id,phone,clicks\n{before}{value},{data.draw(st.integers(0, 99))}\n"
    start = text.index(value)
    assert survives(detector, text, start, start + len(value)) == ""


@FAST
@given(st.data())
def test_an_iban_in_any_grouping_is_an_iban(detector, data):
    compact = data.draw(ibans())
    groups, pos = [], 0
    while pos < len(compact):
        n = data.draw(st.integers(1, 5))
        groups.append(compact[pos : pos + n])
        pos += n
    value = " ".join(groups)
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(
    value=st.one_of(
        # a measurement at a double's full precision: Luhn and an issuer's range pass a tenth of these
        st.builds(lambda i, f: f"{i}.{f}", st.integers(1, 9999), st.integers(10**11, 10**13 - 1)),
        # thousands, with any usual mark
        st.builds(
            lambda n, mark: f"{n:,}".replace(",", mark),
            st.integers(10**8, 10**11),
            st.sampled_from([",", " ", "."]),
        ),
        # even groups: a date, a French phone's pairs are a phone (tokenized), a version
        st.builds(lambda a, b, c: f"{a}.{b}.{c}", st.integers(1, 20), st.integers(0, 30), st.integers(0, 99)),
    ),
    label=st.sampled_from(["ratio", "amount", "value", "score", "version"]),
)
def test_decimals_amounts_and_versions_keep_their_reading(detector, value, label):
    text = f"{label} {value} today"
    assert tokenized(detector, text)[0] == text


@FAST
@given(st.data())
def test_a_card_whose_first_group_is_one_digit_is_a_card(detector, data):
    """`4-012-8888-8888-1881`, `4 1111 1111 1111 111`: the issuer's digit set apart, any grouping after it."""
    digits = "".join(data.draw(SEPARATED["card"]))
    cuts = sorted(data.draw(st.sets(st.integers(2, len(digits) - 1), min_size=2, max_size=4)))
    bounds = [0, 1, *cuts, len(digits)]
    assume(any(b - a != 3 for a, b in pairwise(bounds[1:])))  # `4 111 111…`: thousands
    sep = data.draw(st.sampled_from([" ", "-", "."]))
    value = sep.join(digits[a:b] for a, b in pairwise(bounds))
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_an_ipv4_address_with_zero_padded_or_hex_octets_or_spaced_dots_is_an_ip_address(detector, data):
    """`203.000.113.077`, `0xcb.0x0.0x71.0x4d`, `203 . 0 . 113 . 77`: a reader (and `inet_aton`) reads the
    same address."""
    octets = data.draw(st.lists(st.integers(0, 255), min_size=4, max_size=4).filter(lambda o: o[0] >= 11))
    form = data.draw(st.sampled_from(["zero-padded", "hex", "spaced"]))
    if form == "zero-padded":
        value = ".".join(f"{o:03d}" if data.draw(st.booleans()) else str(o) for o in octets)
        assume(value != ".".join(map(str, octets)))
    elif form == "hex":
        shape = data.draw(st.sampled_from(["0x{:x}", "0x{:02X}", "0X{:02x}"]))
        value = ".".join(shape.format(o) for o in octets)
    else:
        value = data.draw(st.sampled_from([" . ", " .", ". ", "  .  "])).join(map(str, octets))
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(st.data())
def test_a_card_in_digits_of_any_form_is_judged_without_error(detector, data):
    """Circled, superscript, fullwidth or another script's digits: the card check reads each as its digit
    (it raised on `④`, which `str.isdigit` admits and `int` does not read, and the message was blocked as an
    internal error)."""
    digits = "".join(data.draw(SEPARATED["card"]))
    forms = data.draw(st.sampled_from(["circled", "superscript", "fullwidth", "arabic-indic", "devanagari"]))
    table = {
        "circled": "⓪①②③④⑤⑥⑦⑧⑨",
        "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
        "fullwidth": "０１２３４５６７８９",
        "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
        "devanagari": "०१२३४५६७८९",
    }[forms]
    value = "".join(table[int(c)] for c in digits)
    assert is_card(value)
    text, start, end = embed(data.draw, "card ", value)
    assert survives(detector, text, start, end) == ""
