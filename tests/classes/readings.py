"""Readings the judge makes beyond decoding one layer: what a reader reconstructs from text that is written
out of the usual order or notation. Each is written without the product's code (an independent reading):

- IPv4 addresses in any `inet_aton` notation (octal, hex, one 32-bit number, the last part wide);
- digits spelled as words (`four one five …`);
- text reversed, and a bidi override's span in the order a screen shows it;
- a value one character per line;
- Ascii85 (`<~ … ~>`) and uuencode (`begin … end`) blocks;
- columns of short items and concatenated string literals (`readings_layouts`);
- mail and directory formats (`readings_directory`): MIME encoded words, folded lines, vCard fields;
- the strings of one list read together (content blocks a client shows as one text, pieces of a field);
- the scalar values of one small record read together (a phone in `country_code`/`area_code`/`number`,
  an SSN in `area`/`group`/`serial`, an address in `local`/`domain`), in JSON carried in text too, and in
  XML, YAML and CSV text (`readings_records`).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

from tests.classes import (
    readings_bytes,
    readings_directory,
    readings_known_parts,
    readings_layouts,
    readings_numerals,
    readings_records,
)

_INET = re.compile(r"(?<![\w.])(?:0[xX][0-9A-Fa-f]+|\d[\d,]*)(?:\.(?:0[xX][0-9A-Fa-f]+|\d+)){0,3}(?![\w])")
_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")
_RLO_SPAN = re.compile("[\u202e\u202b\u2067]([^\u202c\u2069]*)[\u202c\u2069]?")
_A85 = re.compile(r"<~(.*?)~>", re.DOTALL)
_TOKEN_ID = re.compile(r"\[\[[A-Z0-9_]*:([a-z2-7]{16})\]\]")
# What a terminal prints as nothing (ECMA-48): CSI (7-bit or 8-bit), OSC/DCS/APC/PM/SOS strings up to BEL or
# ST, two- and three-byte escapes.
_TERMINAL = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]P_^X]|[\x90\x9d\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]"
)
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_UU = re.compile(r"^begin [0-7]{3,4} \S+\r?\n(.*?)^end\s*$", re.DOTALL | re.MULTILINE)


def _inet(form: str) -> str:
    parts = form.split(".")
    try:
        nums = []
        for p in parts:
            p = p.replace(",", "")
            if p[:2].lower() == "0x":
                nums.append(int(p[2:], 16))
            elif len(p) > 1 and p[0] == "0":
                nums.append(int(p, 8))
            else:
                nums.append(int(p))
    except ValueError:
        return form
    value = 0
    for n in nums[:-1]:
        if n > 255:
            return form
        value = value * 256 + n
    width = 256 ** (5 - len(nums))
    if nums[-1] >= width:
        return form
    value = value * width + nums[-1]
    return ".".join(str(value >> s & 255) for s in (24, 16, 8, 0))


def _spelled(text: str) -> str:
    """Digit words read as digits, the blanks and hyphens between two of them dropped."""
    out = _WORD.sub(lambda m: _DIGIT_WORDS.get(m.group().lower(), m.group()), text)
    return re.sub(r"(?<=\d)[\s,\-]+(?=\d)", "", out)


def _display(text: str) -> str:
    return _RLO_SPAN.sub(lambda m: m.group(1)[::-1], text)


def _lines_of_one(text: str) -> str | None:
    lines = text.splitlines()
    if sum(len(x.strip()) <= 1 for x in lines) < 6:
        return None
    return "".join(x.strip() if len(x.strip()) <= 1 else "\n" + x + "\n" for x in lines)


def _blocks(text: str) -> Iterator[bytes]:
    for m in _A85.finditer(text):
        with contextlib.suppress(ValueError):
            yield base64.a85decode(re.sub(r"\s", "", m.group(1)))
    for m in _UU.finditer(text):
        out = b""
        for line in m.group(1).splitlines():
            with contextlib.suppress(binascii.Error, ValueError):
                out += binascii.a2b_uu(line)
        yield out


def _overstruck(text: str) -> str:
    """Backspaces as a terminal or a pager shows them: the character after one takes the cell before it,
    except an underscore (nroff's underline), which leaves the character it is struck with."""
    out: list[str] = []
    for line in text.split("\n"):
        cells: list[str] = []
        at = 0
        for c in line:
            if c == "\b":
                at = max(0, at - 1)
            elif at < len(cells):
                cells[at] = cells[at] if c == "_" else c
                at += 1
            else:
                cells.append(c)
                at = len(cells)
        out.append("".join(cells))
    return "\n".join(out)


def readings(text: str) -> Iterator[str]:
    """The text as a reader could also read it (module doc), beside what `judge.decodings` peels."""
    if any(c.isdigit() for c in text):
        yield _INET.sub(lambda m: _inet(m.group()), text)
    if _WORD.search(text):
        yield _spelled(text)
    yield text[::-1]
    if _RLO_SPAN.search(text):
        yield _display(text)
    if "\\" in text:  # Markdown's backslash escapes: any ASCII punctuation, shown without its backslash
        yield _MD_ESCAPE.sub(r"\1", text)
    if _TERMINAL.search(text):
        yield _TERMINAL.sub("", text)
        # what a client shows of the codes' own text: an OSC 8 link's target ends at its BEL, not glued on
        yield re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text)
    if "\b" in text:
        yield _overstruck(_TERMINAL.sub("", text))
    one = _lines_of_one(text)
    if one is not None:
        yield one
    for data in _blocks(text):
        yield data.decode("utf-8", "replace")
    for m in _TOKEN_ID.finditer(text):  # a token's id is base32: ten bytes a reader can decode
        with contextlib.suppress(binascii.Error, ValueError):
            yield base64.b32decode(m.group(1).upper()).decode("latin-1")
    yield from readings_bytes.readings(text)
    yield from readings_known_parts.readings(text)
    yield from readings_numerals.readings(text)
    yield from readings_layouts.readings(text)
    yield from readings_directory.readings(text)
    yield from readings_records.readings(text)


_RECORD_VALUES = 12


def joined(node: Any) -> Iterator[str]:
    """For each list of two or more strings (or of content blocks with a `text`), the strings read as one,
    glued and line by line; for each small record, its scalar values read as one (`@` between them)."""
    if isinstance(node, dict):
        scalars = [str(v) for v in node.values() if type(v) in (str, int) and len(str(v)) <= 64]
        if 2 <= len(scalars) <= _RECORD_VALUES:
            yield "@".join(scalars)
            yield " ".join(scalars)  # an IBAN's country, check digits and BBAN read as one
        for v in node.values():
            yield from joined(v)
    elif isinstance(node, str) and node.strip()[:1] == "{" and len(node) <= 4096:
        with contextlib.suppress(ValueError):
            yield from joined(json.loads(node))
    elif isinstance(node, list):
        texts = [x if isinstance(x, str) else x.get("text") if isinstance(x, dict) else None for x in node]
        strings = [t for t in texts if isinstance(t, str)]
        if len(strings) >= 2:
            yield "".join(strings)
            yield "\n".join(strings)
        for v in node:
            yield from joined(v)
