"""Hypothesis strategies for the classes of disguise a hostile backend puts on a personal value.

A planted value is drawn per class (email, phone, card, IBAN, SSN, Google Ads customer ID), then disguised
by one mechanism of a class (invisible characters, confusable letters, other scripts' digits, separators,
encoding layers) and embedded in random surrounding text. Tests assert the disguised value is covered by a
detected span, so it never survives the tokenize path.
"""

from __future__ import annotations

import base64
import json
import random
from importlib import resources
from urllib.parse import quote

from hypothesis import strategies as st

WORDS = ["note", "please", "contact", "today", "the", "row", "is", "for", "see", "and", "ok", "later", "by"]


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


@st.composite
def emails(draw: st.DrawFn) -> str:
    letters = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)
    local = draw(letters) + draw(st.sampled_from(["", ".", "_"])) + draw(letters)
    domain = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10))
    tld = draw(st.sampled_from(["com", "example", "org", "net", "de"]))
    return f"{local}@{domain}.{tld}"


@st.composite
def phone_groups(draw: st.DrawFn) -> list[str]:
    area = str(draw(st.integers(201, 989)))
    exchange = str(draw(st.integers(200, 999)))
    line = f"{draw(st.integers(0, 9999)):04d}"
    return [area, exchange, line]


@st.composite
def card_groups(draw: st.DrawFn) -> list[str]:
    body = "4" + "".join(str(draw(st.integers(0, 9))) for _ in range(14))
    number = body + _luhn_digit(body)
    return [number[i : i + 4] for i in range(0, 16, 4)]


@st.composite
def ssn_groups(draw: st.DrawFn) -> list[str]:
    area = draw(st.integers(100, 665).filter(lambda a: a != 123))
    return [f"{area:03d}", f"{draw(st.integers(10, 99)):02d}", f"{draw(st.integers(1001, 9998)):04d}"]


@st.composite
def ibans(draw: st.DrawFn) -> str:
    bban = "".join(str(draw(st.integers(0, 9))) for _ in range(18))
    numeric = int(bban + "131400")  # D=13, E=14, check digits 00
    check = 98 - numeric % 97
    return f"DE{check:02d}{bban}"


@st.composite
def customer_ids(draw: st.DrawFn) -> str:
    return str(draw(st.integers(1_000_000_000, 9_999_999_999)))


SEPARATED = {"phone": phone_groups(), "card": card_groups(), "ssn": ssn_groups()}


KINDS = ["email", "phone", "card", "iban", "ssn", "customer"]


@st.composite
def planted(draw: st.DrawFn, kinds: list[str] = KINDS) -> tuple[str, str, str]:
    """(class, context, value) in plain written form: the context (`customers/`) is what makes the value
    recognizable and stays readable; the value is what must never survive."""
    kind = draw(st.sampled_from(kinds))
    if kind == "email":
        return kind, "", draw(emails())
    if kind == "iban":
        return kind, "", draw(ibans())
    if kind == "customer":
        return kind, "customers/", draw(customer_ids())
    groups = draw(SEPARATED[kind])
    if kind == "ssn":
        return kind, "SSN ", "-".join(groups)
    value = " ".join(groups)
    return kind, "", "+1 " + value if kind == "phone" else value


def embed(draw: st.DrawFn, context: str, value: str) -> tuple[str, int, int]:
    """`context + value` between random words: (text, start, end) with [start, end) the value's range."""
    before = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=5)))
    after = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=5)))
    prefix = (before + " " if before else "") + context
    return prefix + value + (" " + after if after else ""), len(prefix), len(prefix) + len(value)


# --- disguises -------------------------------------------------------------------------------------------

INVISIBLE = [
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e",  # zero-width characters, soft hyphen, Mongolian separator
    *"\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",  # bidi controls
    *"\ufe00\ufe0f",  # variation selectors
    "\U000e0041",
    "\U000e007f",
    "\U000e0100",  # tag characters, a supplementary variation selector
    *"\x00\x01\x1b\x7f\x85\x9f",  # C0 and C1 controls
    "\u0332",  # a combining mark stacked on a letter
]


@st.composite
def with_invisibles(draw: st.DrawFn, value: str) -> str:
    chars = list(value)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(1, len(chars) - 1))  # inside the value: at its edges they hide nothing
        chars.insert(at, draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


def _confusable_table() -> dict[str, list[str]]:
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    out: dict[str, list[str]] = {}
    for proto in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        out[proto] = sorted(e["c"] for e in data.get(proto, ()) if len(e["c"]) == 1 and not e["c"].isascii())
    return out


CONFUSABLES = _confusable_table()


@st.composite
def with_confusables(draw: st.DrawFn, value: str) -> str:
    letters = [i for i, c in enumerate(value) if CONFUSABLES.get(c)]
    chars = list(value)
    for i in draw(st.lists(st.sampled_from(letters), min_size=1, max_size=6, unique=True)) if letters else []:
        chars[i] = draw(st.sampled_from(CONFUSABLES[chars[i]]))
    return "".join(chars)


# Zero of a few scripts' decimal digits (category Nd): Arabic-Indic, Extended Arabic-Indic, Devanagari,
# Bengali, Thai, fullwidth, mathematical bold, Myanmar.
DIGIT_ZEROS = [0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xFF10, 0x1D7CE, 0x1040]


@st.composite
def with_script_digits(draw: st.DrawFn, value: str) -> str:
    out = []
    for c in value:
        if c.isdigit() and draw(st.booleans()):
            out.append(chr(draw(st.sampled_from(DIGIT_ZEROS)) + int(c)))
        else:
            out.append(c)
    return "".join(out)


SEPARATORS = ["-", " ", ".", "_", "/", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]
SEPARATORS += ["\u00a0", "\u2009", "\u202f", "\u2007", "\u3000"]


@st.composite
def separated(draw: st.DrawFn) -> tuple[str, str]:
    """(class, value) of a grouped number written with one random separator between its groups."""
    kind = draw(st.sampled_from(sorted(SEPARATED)))
    groups = draw(SEPARATED[kind])
    sep = draw(st.sampled_from(SEPARATORS))
    value = sep.join(groups)
    return kind, ("+1" + draw(st.sampled_from(SEPARATORS)) + value) if kind == "phone" else value


# --- encoding layers -------------------------------------------------------------------------------------


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def b64url(s: str) -> str:
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def _mime(s: str, width: int) -> str:
    encoded = b64(s)
    return "\r\n".join(encoded[i : i + width] for i in range(0, len(encoded), width))


def percent(s: str) -> str:
    return quote(s, safe="")


def percent_all(s: str) -> str:
    return "".join(f"%{b:02X}" for b in s.encode())


_NAMED = {"@": "&commat;", ".": "&period;", "-": "&hyphen;", "+": "&plus;", " ": "&nbsp;", "/": "&sol;"}


def html_entities(s: str, rnd: random.Random) -> str:
    out = []
    for c in s:
        form = rnd.randrange(4)
        if form == 0:
            out.append(f"&#{ord(c)};")
        elif form == 1:
            out.append(f"&#x{ord(c):x};")
        elif form == 2 and c in _NAMED:
            out.append(_NAMED[c])
        else:
            out.append(c if c not in "&" else "&amp;")
    return "".join(out)


def json_escapes(s: str, rnd: random.Random) -> str:
    return "".join(f"\\u{ord(c):04x}" if rnd.random() < 0.6 or c == "\\" else c for c in s)


def quoted_printable(s: str, rnd: random.Random) -> str:
    out = []
    for i, c in enumerate(s):
        if i and rnd.random() < 0.1:
            out.append("=\r\n")  # a soft line break, between characters
        if c == "=" or rnd.random() < 0.5:
            out.append("".join(f"={b:02X}" for b in c.encode()))
        else:
            out.append(c)
    return "".join(out)


LAYERS = ["base64", "base64url", "mime", "percent", "percent-all", "html", "json-u", "quoted-printable"]


def encode(layer: str, s: str, rnd: random.Random) -> str:
    if layer == "base64":
        return b64(s)
    if layer == "base64url":
        return b64url(s)
    if layer == "mime":
        return _mime(s, rnd.choice([16, 20, 76]))
    if layer == "percent":
        return percent(s)
    if layer == "percent-all":
        return percent_all(s)
    if layer == "html":
        return html_entities(s, rnd)
    if layer == "json-u":
        return json_escapes(s, rnd)
    return quoted_printable(s, rnd)


BLOCK_LAYERS = {"base64", "base64url", "mime"}


@st.composite
def encoded(draw: st.DrawFn) -> tuple[str, list[str], str, str]:
    """(class, layers, context, value) of a planted value under 1–3 encoding layers. Local encodings work
    character by character, so context and value are encoded apart; a base64 layer encodes them as one run
    (the context is then part of the value: the whole run must go)."""
    kind, context, value = draw(planted())
    layers = draw(st.lists(st.sampled_from(LAYERS), min_size=1, max_size=3))
    seed = draw(st.integers(0, 2**32))
    for i, layer in enumerate(layers):
        if layer in BLOCK_LAYERS:
            context, value = "", encode(layer, context + value, random.Random(seed + i))
        else:
            rnd = random.Random(seed + i)
            context = encode(layer, context, rnd)
            value = encode(layer, value, rnd)
    return kind, layers, context, value
