"""Classes about a value written one byte or character at a time in another notation: bare byte codes
(base 2 spaced or continuous, decimal, octal, `0x…` each, `U+…` code points), characters written by name
(`\\N{COMMERCIAL AT}`) or in UTF-7 (`+AEA-`), an address's `@` written as a look-alike (`ⓐ`, `(ä)`) or with
RFC 5322 comments in it (`jane(work)@…`), and Ascii85 or uuencode blocks left without their closing frame.

Each builder is `f(rng) -> Case`; the judge reads each notation back on its own
(`tests.classes.readings_bytes`).
"""

from __future__ import annotations

import base64
import binascii
import json
import unicodedata
from random import Random

from tests.classes.case import Case, call, filler_record, tool_result
from tests.classes.planting import Planted, email, reliable_value, sentence

_SEPARATORS = (" ", " ", ", ", ",", "  ", "\t")


def _codes(rng: Random, text: str) -> tuple[str, str]:
    data = text.encode()
    form = rng.choice(["binary", "bitstring", "decimal", "octal", "hex-0x", "code-points"])
    sep = rng.choice(_SEPARATORS)
    if form == "binary":
        return sep.join(format(b, "08b") for b in data), form
    if form == "bitstring":
        return "".join(format(b, "08b") for b in data), form
    if form == "decimal":
        return sep.join(str(b) for b in data), form
    if form == "octal":
        return sep.join(format(b, "o") for b in data), form
    if form == "hex-0x":
        return sep.join(rng.choice(["0x{:02x}", "0x{:02X}", "0x{:x}"]).format(b) for b in data), form
    return sep.join(f"U+{ord(c):04X}" for c in text), form


_AROUND = ("payload: {}", "{}", "data follows\n{}\n", "decoded later ({})")
_AROUND_BLOCK = ("attachment:\n{}", "{}", "data follows\n{}\n")  # uuencode's `begin` starts a line


def _placed(
    rng: Random, cls: str, value: Planted, body: str, label: str, around: tuple[str, ...] = _AROUND
) -> Case:
    if rng.random() < 0.5:
        body = rng.choice(around).format(body)
    if rng.random() < 0.4:
        record = filler_record(rng) | {"body": body}
        result = tool_result(json.dumps(record)) if rng.random() < 0.5 else tool_result(structured=record)
        where = "field"
    else:
        result, where = tool_result(body), "text"
    return Case(cls, [call(result)], [value], label=f"{label}:{where}")


def byte_codes(rng: Random) -> Case:
    """A value (or the sentence holding it) written as bare codes, one byte or code point each; decimal and
    octal codes spell at least two letters (a letterless list of those is ordinary numbers)."""
    value = reliable_value(rng)
    text = value.text if rng.random() < 0.5 else sentence(rng, value)
    body, form = _codes(rng, text)
    if form in ("decimal", "octal") and sum(c.isalpha() for c in text) < 2:
        # Bare decimal/octal codes are read only when they spell letters (`proxy.detect.byte_codes`).
        body, form = _codes(rng, sentence(rng, value))
        while form not in ("decimal", "octal"):
            body, form = _codes(rng, sentence(rng, value))
    return _placed(rng, "byte-codes", value, body, form)


def _utf7(c: str) -> str:
    return "+" + base64.b64encode(c.encode("utf-16-be")).decode().rstrip("=") + "-"


def named_characters(rng: Random) -> Case:
    """A value with some of its characters (its punctuation, or any) written as `\\N{NAME}` or UTF-7."""
    value = reliable_value(rng)
    style = rng.choice(["named", "utf-7"])
    punctuation = [i for i, c in enumerate(value.text) if not c.isalnum()]
    picked = set(punctuation) if punctuation and rng.random() < 0.6 else set()
    for _ in range(1 + rng.randrange(3)):
        picked.add(rng.randrange(len(value.text)))
    out = []
    for i, c in enumerate(value.text):
        if i in picked:
            out.append(f"\\N{{{unicodedata.name(c)}}}" if style == "named" else _utf7(c))
        else:
            out.append(c)
    written = Planted(value.kind, "".join(out), "")
    return _placed(rng, "named-characters", value, sentence(rng, written), style)


_STAND_INS = ("ⓐ", "Ⓐ", "⒜", "(ä)", "(á)", "[à]", "(a)", "[a]", "{â}", "<å>", "(Ä)", "[ã]")


def email_stand_ins(rng: Random) -> Case:
    """An email address with its `@` written as a look-alike `a`, or with a comment in a half."""
    value = email(rng)
    local, domain = value.text.rsplit("@", 1)
    comment = "(" + rng.choice(["work", "home", "hq", "x", "personal", "2024"]) + ")"
    form = rng.choice(["stand-in", "comment-local", "comment-domain"])
    if form == "stand-in":
        written = local + rng.choice(_STAND_INS) + domain
    elif form == "comment-local":
        written = local + comment + "@" + domain
    else:
        written = local + "@" + comment + domain
    text = sentence(rng, Planted("email", written, ""))
    return _placed(rng, "email-stand-ins", value, text, form)


def open_blocks(rng: Random) -> Case:
    """A sentence in Ascii85 opened by `<~` but never closed, or uuencoded without its `end` line."""
    value = reliable_value(rng)
    raw = sentence(rng, value).encode()
    if rng.random() < 0.5:
        body = "<~" + base64.a85encode(raw, wrapcol=rng.choice([0, 0, 40])).decode()
        label = "ascii85-open"
    else:
        lines = [binascii.b2a_uu(raw[i : i + 45]).decode() for i in range(0, len(raw), 45)]
        body = "begin 644 note.txt\n" + "".join(lines) + rng.choice(["", "`\n"])
        label = "uuencode-no-end"
    return _placed(rng, "open-blocks", value, body, label, _AROUND_BLOCK)
