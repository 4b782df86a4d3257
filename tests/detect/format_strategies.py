"""Hypothesis strategies that generate personal values in the formats people write them, by class.

Phones: valid national numbers of many regions, drawn from libphonenumber's own metadata (each region's
example numbers with their line digits redrawn until the number is valid again), written NATIONAL,
INTERNATIONAL, E.164, after an `00` prefix, with the region's separators swapped, or regrouped at random.
Cards: valid-Luhn numbers of every issuer range, bare or in any uniform grouping. IBANs: valid check digits
for many countries, in any case, bare or grouped by spaces or dashes. SSNs, IP addresses with ports,
emails with tags, subdomains, capitals and quoted local parts. The tables here are written from the
standards, not imported from the recognizers they test.
"""

from __future__ import annotations

import re

import phonenumbers
from hypothesis import assume
from hypothesis import strategies as st

PHONE_REGIONS = (
    "US", "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "ES", "PT", "IT", "PL", "SE", "AU", "IN", "JP",
    "BR", "MX", "CZ", "DK", "NO", "FI", "NZ", "ZA",
)  # fmt: skip
_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
PHONE_CONTEXT = ("tel", "Tel.:", "phone", "mobile:", "WhatsApp", "call me on", "Handy", "téléphone")
NEUTRAL = ("see", "ref", "note:", "row", "from the form:", "value")


@st.composite
def valid_numbers(draw: st.DrawFn, regions: tuple[str, ...] = PHONE_REGIONS) -> phonenumbers.PhoneNumber:
    """A valid number of a region: its example number with the last 3–6 digits redrawn."""
    region = draw(st.sampled_from(regions))
    example = phonenumbers.example_number_for_type(region, draw(st.sampled_from(_TYPES)))
    assume(example is not None)
    nsn = phonenumbers.national_significant_number(example)
    keep = len(nsn) - draw(st.integers(3, min(6, len(nsn) - 2)))
    tail = draw(st.text("0123456789", min_size=len(nsn) - keep, max_size=len(nsn) - keep))
    number = phonenumbers.parse(nsn[:keep] + tail, region)
    assume(phonenumbers.is_valid_number_for_region(number, region))
    return number


def national(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def national_digits(number: phonenumbers.PhoneNumber) -> str:
    """The number's digits as its national format writes them (trunk 0 included)."""
    return "".join(re.findall(r"\d", national(number)))


@st.composite
def national_phones(draw: st.DrawFn) -> str:
    """The region's NATIONAL format, its separators kept or all swapped for one of `space - . /` (a dot
    only between three groups or more: `07400.123456` is a decimal)."""
    text = national(draw(valid_numbers()))
    sep = draw(st.sampled_from([None, " ", "-", ".", "/"]))
    if sep == "." and len(re.findall(r"\d+", text)) < 3:
        sep = None
    if sep is not None:
        text = re.sub(r"(?<=\d)[ \-](?=\d)", sep, text)  # between digits: `(11) ` keeps its space
    return text


@st.composite
def international_phones(draw: st.DrawFn) -> str:
    """INTERNATIONAL, E.164, or the international digits after `00` (`0044 20 7946 0958`)."""
    number = draw(valid_numbers())
    form = draw(st.sampled_from(["international", "e164", "00"]))
    if form == "e164":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return text if form == "international" else draw(st.sampled_from(["00", "00 "])) + text[1:]


def _groups(draw: st.DrawFn, digits: str, sizes: tuple[int, int]) -> list[str]:
    """`digits` cut into groups of `sizes` digits (the last one may be longer to take what is left)."""
    out, pos = [], 0
    while len(digits) - pos > sizes[1]:
        n = draw(st.integers(*sizes))
        out.append(digits[pos : pos + n])
        pos += n
    out.append(digits[pos:])
    if len(out[-1]) < sizes[0] and len(out) > 1:
        out[-2:] = [out[-2] + out[-1]]
    return out


@st.composite
def regrouped_phones(draw: st.DrawFn) -> tuple[str, str]:
    """(context word, number): the national digits cut into random groups of 2–5 with one separator (a dot
    only between three groups or more: `20155.50000` is a decimal)."""
    digits = national_digits(draw(valid_numbers()))
    groups = _groups(draw, digits, (2, 5))
    assume(len(groups) >= 2)
    sep = draw(st.sampled_from([" ", "-", "."] if len(groups) > 2 else [" ", "-"]))
    return draw(st.sampled_from(PHONE_CONTEXT)), sep.join(groups)


# ---------------------------------------------------------------------------------------------- cards
# (issuer, prefixes to draw from, lengths)
CARD_RANGES = (
    ("visa", ["4"], [13, 16, 19]),
    ("mastercard", [str(p) for p in range(51, 56)], [16]),
    ("mastercard 2-series", [str(p) for p in range(2221, 2721)], [16]),
    ("amex", ["34", "37"], [15]),
    ("mir", [str(p) for p in range(2200, 2205)], [16, 19]),
    ("unionpay", ["62"], [16, 17, 18, 19]),
    ("discover", ["6011", "65", *map(str, range(644, 650))], [16]),
    ("jcb", [str(p) for p in range(3528, 3590)], [16]),
)


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


@st.composite
def card_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(issuer, digits): a valid-Luhn number in an issuer's range and lengths."""
    issuer, prefixes, lengths = draw(st.sampled_from(CARD_RANGES))
    prefix, length = draw(st.sampled_from(prefixes)), draw(st.sampled_from(lengths))
    body = draw(st.text("0123456789", min_size=length - len(prefix) - 1, max_size=length - len(prefix) - 1))
    return issuer, luhn_complete(prefix + body)


@st.composite
def grouped_cards(draw: st.DrawFn) -> tuple[str, str]:
    """(issuer, text): bare (the usual lengths), the issuer's usual grouping, or random groups of 2–8, with
    one separator throughout (a dot only between three groups or more: `40000.00000006` is a decimal)."""
    issuer, digits = draw(card_numbers())
    sep = draw(st.sampled_from([" ", "-", "."]))
    style = draw(st.sampled_from(["bare", "usual", "random"]))
    if style == "bare":
        assume(len(digits) in (15, 16, 19))
        return issuer, digits
    if style == "usual":
        cuts = [4, 10] if len(digits) == 15 else list(range(4, len(digits), 4))
        groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
        if len(groups[-1]) < 2:
            groups[-2:] = [groups[-2] + groups[-1]]
    else:
        groups = _groups(draw, digits, (2, 8))
        assume(len(groups) >= 2)
    if sep == "." and len(groups) < 3:
        sep = " "
    return issuer, sep.join(groups)


# ---------------------------------------------------------------------------------------------- IBANs
# Country → BBAN structure (ISO 13616 registry): `a` letters, `n` digits, `c` letters or digits.
IBAN_SHAPES = {
    "DE": "n18", "GB": "a4n14", "FR": "n10c11n2", "ES": "n20", "IT": "a1n10c12", "NL": "a4n10",
    "AT": "n16", "CH": "n5c12", "BE": "n12", "PL": "n24", "PT": "n21", "IE": "a4n14", "LU": "n3c13",
    "SE": "n20", "DK": "n14", "NO": "n11", "FI": "n14", "CZ": "n20", "GR": "n7c16", "HU": "n24",
}  # fmt: skip
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALPHABETS = {"a": _LETTERS, "n": "0123456789", "c": _LETTERS + "0123456789"}


@st.composite
def iban_values(draw: st.DrawFn, letter_split: bool = False) -> str:
    """A valid IBAN. `letter_split`: of a country whose BBAN takes letters, with letters wherever it does,
    so that no run of seven digits is left (`LU28 001A BCDE FGHI JKLM`)."""
    shapes = {cc: s for cc, s in IBAN_SHAPES.items() if "c" in s} if letter_split else IBAN_SHAPES
    country = draw(st.sampled_from(sorted(shapes)))
    bban = ""
    for kind, n in re.findall(r"([anc])(\d+)", IBAN_SHAPES[country]):
        alphabet = _LETTERS if letter_split and kind == "c" else _ALPHABETS[kind]
        bban += draw(st.text(alphabet, min_size=int(n), max_size=int(n)))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


@st.composite
def written_ibans(draw: st.DrawFn, letter_split: bool = False) -> str:
    """An IBAN in upper, lower or mixed case; bare, in fours or in random groups; spaces or dashes."""
    value = draw(iban_values(letter_split))
    case = draw(st.sampled_from(["upper", "lower", "mixed"]))
    if case == "lower":
        value = value.lower()
    elif case == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(value), max_size=len(value)))
        value = "".join(c.lower() if f else c for c, f in zip(value, flips, strict=True))
    style = draw(st.sampled_from(["bare", "fours", "random"]))
    if style == "bare":
        return value
    if style == "fours":
        groups = [value[i : i + 4] for i in range(0, len(value), 4)]
    else:  # the country and check digits stay together; the rest in random groups
        groups = [value[:4], *_groups(draw, value[4:], (2, 6))]
    return draw(st.sampled_from([" ", "-"])).join(groups)


# ---------------------------------------------------------------------------------------------- the rest
SSN_CONTEXT = ("SSN", "ssn:", "SSN#", "Social Security No.", "social security number", "soc sec")


@st.composite
def ssn_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(context, ssn): a valid SSN bare, spaced, dotted or dashed."""
    area = draw(st.one_of(st.integers(1, 665), st.integers(667, 899)))
    d = f"{area:03d}{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 9999)):04d}"
    sep = draw(st.sampled_from(["", " ", ".", "-"]))
    return draw(st.sampled_from(SSN_CONTEXT)), sep.join([d[:3], d[3:5], d[5:]])


@st.composite
def ip_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(text, address): IPv4 or IPv6, bare or with a port (`1.2.3.4:8080`, `[2001:db8::1]:443`)."""
    port = draw(st.integers(1, 65535))
    if draw(st.booleans()):
        addr = ".".join(str(draw(st.integers(1, 254))) for _ in range(4))
        return draw(st.sampled_from([addr, f"{addr}:{port}"])), addr
    groups = [draw(st.sampled_from(["2001", "2a02", "2600", "2a01", "fe80"]))]
    groups += [f"{draw(st.integers(1, 0xFFFF)):x}" for _ in range(3)] + ["0", "0"]
    groups += [f"{draw(st.integers(1, 0xFFFF)):x}" for _ in range(2)]
    import ipaddress

    addr = ipaddress.IPv6Address(":".join(groups)).compressed
    if draw(st.booleans()):
        addr = addr.upper()
    return draw(st.sampled_from([addr, f"[{addr}]:{port}", f"http://[{addr}]:{port}/x"])), addr


_WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)


@st.composite
def email_texts(draw: st.DrawFn) -> str:
    """Plus tags, subdomains, capitals and quoted local parts."""
    local = draw(_WORD) + draw(st.sampled_from(["", ".", "_", "-"])) + draw(_WORD)
    if draw(st.booleans()):
        local += "+" + draw(_WORD)
    if draw(st.integers(0, 4)) == 0:
        local = '"' + local.replace(".", " ") + '"'
    labels = draw(st.lists(_WORD, min_size=1, max_size=3))
    domain = ".".join([*labels, draw(st.sampled_from(["com", "co.uk", "de", "example", "io"]))])
    value = f"{local}@{domain}"
    return value.upper() if draw(st.integers(0, 3)) == 0 else value
