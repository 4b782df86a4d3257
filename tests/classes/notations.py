"""Classes about a value written out of the usual notation or order: an IPv4 address in any notation
`inet_aton` reads, digits spelled as words, text reversed (plain or by a bidi override), one character per
line, split across a result's content blocks, and other binary-to-text encodings (Ascii85, uuencode).

Each builder is `f(rng) -> Case`; the judge reads each notation back on its own (`tests.classes.readings`).
"""

from __future__ import annotations

import base64
import binascii
import json
from random import Random

from tests.classes.case import Case, call, filler_record, tool_result
from tests.classes.layers import _carry
from tests.classes.planting import Planted, reliable_value, sentence

# ------------------------------------------------------------------------------------------ IPv4 forms
_IP_WORDS = ("ip", "IP address", "host", "server", "login from", "addr", "remote", "src", "via", "client ip")


def _ip_form(rng: Random, quad: str) -> tuple[str, str]:
    parts = [int(p) for p in quad.split(".")]
    value = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]

    def part(n: int, style: str) -> str:
        return {"dec": str(n), "oct": "0" + format(n, "o"), "hex": f"0x{n:x}", "HEX": f"0X{n:X}"}[style]

    form = rng.choice(["octal-quad", "hex-quad", "mixed-quad", "dword", "dword-commas", "hex-dword",
                       "octal-dword", "two-part", "three-part"])  # fmt: skip
    if form.endswith("quad"):
        styles = {"octal-quad": ["oct"], "hex-quad": ["hex", "HEX"], "mixed-quad": ["dec", "oct", "hex"]}
        written = [part(n, rng.choice(styles[form])) for n in parts]
        if form == "mixed-quad":
            i = rng.randrange(4)
            written[i] = part(parts[i], rng.choice(["oct", "hex"]))
        return ".".join(written), form
    if form == "dword":
        return str(value), form
    if form == "dword-commas":
        return f"{value:,}", form
    if form == "hex-dword":
        return rng.choice([f"0x{value:08x}", f"0x{value:X}"]), form
    if form == "octal-dword":
        return "0" + format(value, "o"), form
    if form == "two-part":
        return f"{part(parts[0], rng.choice(['dec', 'oct', 'hex']))}.{value & 0xFFFFFF}", form
    return f"{parts[0]}.{parts[1]}.{value & 0xFFFF}", form


def ip_notations(rng: Random) -> Case:
    """An IPv4 address in another notation (octal, hex, one number, the last part wide) where an address
    is expected: a URL's host or after a word naming one."""
    value = reliable_value(rng, "ipv4")
    written, form = _ip_form(rng, value.text)
    if rng.random() < 0.2:  # a host name's label, dots as dashes (cloud and ISP reverse DNS)
        label = rng.choice(["ip", "ec2", "host", "static", "dsl", "pool", "node7"])
        domain = rng.choice(["eu-west-1.compute.internal", "compute-1.amazonaws.com", "dyn.example.net"])
        host = f"{label}-{value.text.replace('.', '-')}.{domain}"
        text = f"{rng.choice(['resolved', 'peer', 'seen at'])} {host}"
        result, carried = _carry(rng, text)
        return Case("notations", [call(result)], [value], label=f"ip-dashed-host:{carried}")
    if rng.random() < 0.4:
        scheme = rng.choice(["http", "https", "ftp", "ssh"])
        tail = rng.choice(["/", ":8080/x", "", "/admin?q=1"])
        text = f"{rng.choice(['see', 'open', 'fetched'])} {scheme}://{written}{tail}"
        where = "url-host"
    else:
        word = rng.choice(_IP_WORDS)
        sep = rng.choice([": ", "=", " ", " = "])
        text = f"{rng.choice(['Login', 'Request', 'Session'])} seen; {word}{sep}{written} at 09:14"
        where = "after-word"
    result, carried = _carry(rng, text)
    return Case("notations", [call(result)], [value], label=f"ip-{form}:{where}:{carried}")


# ----------------------------------------------------------------------------------- spelled digits
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def spelled_digits(rng: Random) -> Case:
    """A phone, card, SSN or customer ID with each digit spelled as a word, in any case and separator."""
    value = reliable_value(rng, rng.choice(["phone", "card", "ssn", "customer-id"]))
    digits = [c for c in value.text if c.isdigit()]
    sep = rng.choice([" ", "-", ", ", " - ", "  "])
    words = [("oh" if d == "0" and rng.random() < 0.3 else _WORDS[int(d)]) for d in digits]
    case = rng.choice([str.lower, str.upper, str.title])
    written = sep.join(case(w) for w in words)
    if value.text.startswith("+"):
        written = rng.choice(["plus ", "+"]) + written
    text = sentence(rng, value).replace(value.text, written)
    result, where = _carry(rng, text)
    return Case("notations", [call(result)], [value], label=f"spelled-digits:{where}")


# ------------------------------------------------------------------------------------------ reversed
def reversed_text(rng: Random) -> Case:
    """A value written backwards: with a note saying so, in a sentence written backwards, inside a
    right-to-left override that a screen shows in reading order, or plainly among forward words when the
    value is its own tell (an address ends in a real domain only read backwards; a card or IBAN passes its
    checksum). A bare digit run backwards with no tell is just another number, to a reader as to us."""
    value = reliable_value(rng, rng.choice(["email", "phone", "card", "iban", "ipv4"]))
    backwards = value.text[::-1]
    ways = ["rlo", "rli", "plain-noted", "whole-sentence"]
    how = rng.choice(ways + (["plain"] * 2 if value.kind in ("email", "card", "iban") else []))
    if how == "rlo":
        text = sentence(rng, value).replace(value.text, "\u202e" + backwards + "\u202c")
    elif how == "rli":
        text = sentence(rng, value).replace(value.text, "\u2067\u202e" + backwards + "\u202c\u2069")
    elif how == "plain":
        text = sentence(rng, value).replace(value.text, backwards)
    elif how == "plain-noted":
        text = f"{rng.choice(['read backwards', 'reversed', 'mirror'])}: {backwards}"
    else:
        text = sentence(rng, value)[::-1]
    result, where = _carry(rng, text)
    return Case("notations", [call(result)], [value], label=f"reversed-{how}:{where}")


# ------------------------------------------------------------------------------------ one per line
def one_per_line(rng: Random) -> Case:
    """A value's characters one per line (or one per `<br>`), after a label."""
    value = reliable_value(rng)
    brk = rng.choice(["\n", "\r\n", "\n\n", " \n"])
    written = brk.join(value.text)
    text = f"{rng.choice(['Contact', 'Value', 'Details', 'Card'])}:{brk}{written}{brk}end"
    result, where = _carry(rng, text)
    return Case("notations", [call(result)], [value], label=f"one-per-line:{where}")


# ---------------------------------------------------------------------------------- split in pieces
def split_blocks(rng: Random) -> Case:
    """A value cut in two or three pieces, each in its own text content block (a client shows them as one
    text), the cuts anywhere in the value."""
    value = reliable_value(rng)
    text = sentence(rng, value)
    at = text.index(value.text)
    cuts = sorted(rng.sample(range(at + 1, at + len(value.text)), rng.choice([1, 2])))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    blocks = [{"type": "text", "text": p} for p in pieces]
    return Case("notations", [call({"content": blocks})], [value], label=f"split-{len(pieces)}-blocks")


# ----------------------------------------------------------------------------- other binary-to-text
def _uuencode(data: bytes) -> str:
    lines = [binascii.b2a_uu(data[i : i + 45]).decode() for i in range(0, len(data), 45)]
    return "begin 644 note.txt\n" + "".join(lines) + "`\nend\n"


def block_encodings(rng: Random) -> Case:
    """A sentence holding a value in Ascii85 (`<~ … ~>`, as PostScript and PDF write it) or uuencode."""
    value: Planted = reliable_value(rng)
    raw = sentence(rng, value).encode()
    if rng.random() < 0.5:
        body = base64.a85encode(raw, wrapcol=rng.choice([0, 0, 40]), adobe=True).decode()
        label = "ascii85"
    else:
        body = _uuencode(raw)
        label = "uuencode"
    if rng.random() < 0.5:
        body = rng.choice(["attachment:\n{}", "{}", "data follows\n{}\n"]).format(body)
    if rng.random() < 0.5:
        record = filler_record(rng) | {"body": body}
        result = tool_result(json.dumps(record)) if rng.random() < 0.5 else tool_result(structured=record)
        where = "field"
    else:
        result, where = tool_result(body), "text"
    return Case("notations", [call(result)], [value], label=f"{label}:{where}")


def notations(rng: Random) -> Case:
    """Any of the builders above."""
    return rng.choice(
        [ip_notations, spelled_digits, reversed_text, one_per_line, split_blocks, block_encodings]
    )(rng)
