"""Planted personal values: valid by construction (Luhn, mod-97, SSN rules), each with the needle that finds
it again in whatever the client receives, however it was re-spaced, re-cased or re-encoded on the way.

Every generator takes a `random.Random` (a seeded one for `make eval`, hypothesis' controlled one in the
tests), so one generator serves both. `reliable` values are written the way the detectors are promised to
catch in plain text (the control class); `any_value` adds national formats and bare forms (the values class).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from random import Random

from tests.classes.name_lists import APOSTROPHE_LAST, FIRST, LAST, US_FIRST, US_LAST, ascii_only

STRUCTURED_KINDS = ("email", "phone", "card", "iban", "ssn", "ipv4", "ipv6", "customer-id")


@dataclass(frozen=True)
class Planted:
    """A value hidden in a payload: how it is written there, and the pattern that finds it in a normalized,
    casefolded view of the client's message (separators between its characters tolerated)."""

    kind: str
    text: str
    needle: str = field(repr=False)

    def found_in(self, view: str) -> bool:
        return _compiled(self.needle).search(view) is not None


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(needle: str) -> re.Pattern[str]:
    pat = _CACHE.get(needle)
    if pat is None:
        pat = _CACHE[needle] = re.compile(needle)
    return pat


def digits_needle(digits: str, bounded: bool = True) -> str:
    """Digits with up to three non-word characters (or `_`) between any two, not inside a longer run
    (unless `bounded` is off: a phone's national number after its country code or trunk 0)."""
    inner = r"[\W_]{0,3}".join(digits)
    return r"(?<![0-9])" + inner + r"(?![0-9])" if bounded else inner + r"(?![0-9])"


def _alnum_needle(chars: str) -> str:
    return r"(?<![0-9a-z])" + r"[\s\-_.]{0,3}".join(re.escape(c) for c in chars.casefold()) + r"(?![0-9a-z])"


def _words_needle(*words: str) -> str:
    return r"(?<!\w)" + r"[\W_]{1,3}".join(re.escape(w.casefold()) for w in words) + r"(?!\w)"


# ---------------------------------------------------------------------------------------------- emails
DOMAINS = (
    "acme-plumbing.example",
    "gmail.com",
    "web.de",
    "northwind.co.uk",
    "outlook.com",
    "mail.firma.de",
    "example.org",
    "posteo.net",
    "yahoo.fr",
    "uni-bonn.de",
)


def email(rng: Random) -> Planted:
    first, last = ascii_only(rng.choice(US_FIRST)).lower(), ascii_only(rng.choice(US_LAST)).lower()
    local = rng.choice(
        [
            f"{first}.{last}",
            f"{first[0]}{last}",
            f"{first}_{last}{rng.randrange(100)}",
            f"{first}+crm{rng.randrange(10)}",
            f"{last}.{first}{rng.randrange(1000)}",
        ]
    )
    value = f"{local}@{rng.choice(DOMAINS)}"
    return Planted("email", value, r"(?<![\w.+-])" + re.escape(value.casefold()) + r"(?![\w-])")


# ---------------------------------------------------------------------------------------------- phones
def _d(rng: Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def phone(rng: Random, reliable: bool = False) -> Planted:
    """A phone number: E.164-style with a `+` and separators (reliable), or a national format of one of
    eleven countries. The needle is the national significant number (no country code, no trunk 0)."""
    area = rng.choice(["415", "212", "312", "206", "617", "303"])
    line = f"{rng.randrange(200, 999)}{_d(rng, 4)}"
    us = area + line
    uk = "20" + rng.choice("378") + _d(rng, 7)
    de = rng.choice(["30", "89", "40", "151", "172"]) + _d(rng, 8)
    if reliable:
        nsn, text = rng.choice(
            [
                (us, f"+1 {us[:3]} {us[3:6]} {us[6:]}"),
                (us, f"({us[:3]}) {us[3:6]}-{us[6:]}"),
                (us, f"{us[:3]}-{us[3:6]}-{us[6:]}"),
                (uk, f"+44 {uk[:2]} {uk[2:6]} {uk[6:]}"),
                (de, f"+49 {de[:2]} {de[2:]}"),
            ]
        )
        return Planted("phone", text, digits_needle(nsn, bounded=False))
    fr = rng.choice("67") + _d(rng, 8)
    es = "6" + _d(rng, 8)
    it = "06" + _d(rng, 8)
    nl = "20" + _d(rng, 7)
    au = "2" + _d(rng, 8)
    in_ = "9" + _d(rng, 9)
    br = "11" + "9" + _d(rng, 8)
    jp = "3" + _d(rng, 8)
    uk_mobile = "7700" + _d(rng, 6)
    nsn, text = rng.choice(
        [
            (us, f"+1{us}"),
            (us, f"{us[:3]}.{us[3:6]}.{us[6:]}"),
            (us, f"1-{us[:3]}-{us[3:6]}-{us[6:]}"),
            (uk, f"0{uk[:2]} {uk[2:6]} {uk[6:]}"),
            (uk_mobile, f"0{uk_mobile[:4]} {uk_mobile[4:]}"),
            (uk_mobile, f"+44 (0) {uk_mobile[:4]} {uk_mobile[4:]}"),
            (de, f"0{de[:3]} {de[3:]}"),
            (de, f"+49 (0){de[:2]} {de[2:]}"),
            (fr, f"0{fr[0]} {fr[1:3]} {fr[3:5]} {fr[5:7]} {fr[7:]}"),
            (fr, f"+33 {fr[0]} {fr[1:3]} {fr[3:5]} {fr[5:7]} {fr[7:]}"),
            (es, f"+34 {es[:3]} {es[3:6]} {es[6:]}"),
            (es, f"{es[:3]} {es[3:5]} {es[5:7]} {es[7:]}"),
            (it, f"+39 {it[:2]} {it[2:6]} {it[6:]}"),
            (nl, f"+31 {nl[:2]} {nl[2:5]} {nl[5:]}"),
            (nl, f"0{nl[:2]}-{nl[2:5]} {nl[5:]}"),
            (au, f"+61 {au[0]} {au[1:5]} {au[5:]}"),
            (au, f"(0{au[0]}) {au[1:5]} {au[5:]}"),
            (in_, f"+91 {in_[:5]} {in_[5:]}"),
            (br, f"+55 {br[:2]} {br[2:7]}-{br[7:]}"),
            (jp, f"+81 {jp[0]}-{jp[1:5]}-{jp[5:]}"),
            (jp, f"0{jp[0]}-{jp[1:5]}-{jp[5:]}"),
        ]
    )
    return Planted("phone", text, digits_needle(nsn, bounded=False))


# ---------------------------------------------------------------------------------------------- cards
def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def card_digits(rng: Random) -> str:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("55", 16), ("34", 15), ("37", 15), ("6011", 16)])
    return luhn_complete(prefix + _d(rng, length - len(prefix) - 1))


def card(rng: Random, reliable: bool = False) -> Planted:
    digits = card_digits(rng)
    if len(digits) == 15:
        grouped = [digits[:4], digits[4:10], digits[10:]]
    else:
        grouped = [digits[i : i + 4] for i in range(0, 16, 4)]
    text = rng.choice([digits, " ".join(grouped), "-".join(grouped)])
    return Planted("card", text, digits_needle(digits))


# ---------------------------------------------------------------------------------------------- IBANs
_IBAN_SHAPES = {
    "DE": "n18",
    "GB": "a4n14",
    "FR": "n23",
    "ES": "n20",
    "IT": "a1n22",
    "NL": "a4n10",
    "AT": "n16",
    "CH": "n17",
    "BE": "n12",
    "PL": "n24",
}


def iban(rng: Random, reliable: bool = False) -> Planted:
    country = rng.choice(["DE", "GB"] if reliable else sorted(_IBAN_SHAPES))
    bban = ""
    for part in re.findall(r"[an]\d+", _IBAN_SHAPES[country]):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if part[0] == "a" else "0123456789"
        bban += "".join(rng.choice(alphabet) for _ in range(int(part[1:])))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    value = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    text = (
        value
        if reliable or rng.random() < 0.5
        else " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    )
    return Planted("iban", text, _alnum_needle(value))


# ---------------------------------------------------------------------------------------------- the rest
def ssn_digits(rng: Random) -> str:
    area = rng.choice([rng.randrange(1, 666), rng.randrange(667, 900)])
    return f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"


def ssn(rng: Random, reliable: bool = False) -> Planted:
    d = ssn_digits(rng)
    return Planted("ssn", f"{d[:3]}-{d[3:5]}-{d[5:]}", digits_needle(d))


def ipv4(rng: Random, reliable: bool = False) -> Planted:
    first = rng.choice([23, 51, 81, 91, 145, 176, 185, 203, 212])
    value = f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    # Its four numbers with any separators: `51–134–86–220` reads as the address too.
    return Planted("ipv4", value, r"(?<![0-9])" + r"[\W_]{1,3}".join(value.split(".")) + r"(?![0-9])")


def ipv6(rng: Random, reliable: bool = False) -> Planted:
    groups = [rng.choice(["2001", "2a02", "2600", "2a01"]), f"{rng.randrange(1, 0xFFFF):x}"]
    groups += [f"{rng.randrange(0x1000, 0xFFFF):x}" for _ in range(2)] + ["0", "0"]
    groups += [f"{rng.randrange(1, 0xFFFF):x}" for _ in range(2)]
    addr = ipaddress.IPv6Address(":".join(groups))
    text = addr.compressed if reliable or rng.random() < 0.7 else addr.exploded
    alts = "|".join(re.escape(a) for a in (addr.compressed, addr.exploded))
    return Planted("ipv6", text, rf"(?<![0-9a-f:])(?:{alts})(?![0-9a-f])")


def customer_id(rng: Random, reliable: bool = False) -> Planted:
    d = f"{rng.randrange(1, 10)}{_d(rng, 9)}"
    dashed = f"{d[:3]}-{d[3:6]}-{d[6:]}"
    text = rng.choice([dashed, f"customers/{d}"] if reliable else [dashed, d, f"customers/{d}"])
    return Planted("customer-id", text, digits_needle(d))


# ---------------------------------------------------------------------------------------------- names
def person(rng: Random, reliable: bool = False) -> tuple[Planted, str, str]:
    """A person name: (planted, first, last). The needle is the surname as a word: a note that still shows
    the surname has leaked the person, whatever happened to the first name."""
    first = rng.choice(FIRST)
    last = rng.choice(APOSTROPHE_LAST) if rng.random() < 0.1 else rng.choice(LAST)
    if rng.random() < 0.1:
        last = f"{last}-{rng.choice(LAST)}"
    return Planted("person", f"{first} {last}", _words_needle(*re.split(r"[-\s]+", last))), first, last


def account(rng: Random) -> Planted:
    """An advertiser's account name (a policy field by key name), e.g. `Novak Dental GmbH`."""
    words = [
        rng.choice(LAST),
        rng.choice(["Plumbing", "Dental", "Realty", "Bakery", "Roofing", "Optik"]),
        rng.choice(["LLC", "GmbH", "Ltd", "SARL"]),
    ]
    return Planted("account", " ".join(words), _words_needle(*words[:2]))


GENERATORS = {
    "email": lambda r, reliable=False: email(r),
    "phone": phone,
    "card": card,
    "iban": iban,
    "ssn": ssn,
    "ipv4": ipv4,
    "ipv6": ipv6,
    "customer-id": customer_id,
}


def structured_value(rng: Random, reliable: bool, kind: str | None = None) -> Planted:
    return GENERATORS[kind or rng.choice(STRUCTURED_KINDS)](rng, reliable)


def reliable_value(rng: Random, kind: str | None = None) -> Planted:
    return structured_value(rng, True, kind)


def any_value(rng: Random, kind: str | None = None) -> Planted:
    return structured_value(rng, False, kind)


# The words next to a value that make it personal data for a reader, per kind (the control's sentences).
CONTEXT = {
    "email": ["Reply to {v} by Friday", "contact: {v}", "<{v}>", "sent by {v}"],
    "phone": ["Call back on {v}", "tel {v} (mobile)", "phone: {v}"],
    "card": ["card on file {v}", "paid with card {v}"],
    "iban": ["IBAN {v} for refunds", "refund to IBAN {v}"],
    "ssn": ["SSN {v} on the form", "ssn: {v}"],
    "ipv4": ["login from {v} at 09:14", "ip={v}"],
    "ipv6": ["login from {v} at 09:14", "client ip {v}"],
    "customer-id": ["customer id {v}", "account {v} was suspended", "Customer ID: {v}"],
}


def sentence(rng: Random, value: Planted) -> str:
    if value.kind == "customer-id" and value.text.startswith("customers/"):
        return f"resource {value.text}/campaigns/{rng.randrange(10**6)}"
    return rng.choice(CONTEXT[value.kind]).format(v=value.text)
