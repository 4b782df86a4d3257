"""The text a PDF shows, as its text operators spell it.

A PDF's printable runs (`carried_text`) hold its strings as written: a value split across a `TJ` array for
kerning (`[(jane.d) -20 (oe@acme) 10 (-corp.com)] TJ`), written with octal escapes (`jane.doe\\100acme…`)
or as a hex string (`<6a616e65>`), or inside a stream encoded with `ASCII85Decode` (alone or before
`FlateDecode`), reads in pieces or not at all. This module reads every content stream (raw, inflated, and
ASCII85-decoded, within the same inflate budget) and joins what its `Tj`, `TJ`, `'` and `"` operators
show: the strings of one array glued (a kerning number moves a glyph, it is no space unless it is a
word's width), one operator's text per line.

Robust by construction: it reads any bytes without raising but for the budget (`LimitExceeded`), and
never returns more text than the bytes it was given.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

_STREAM = re.compile(rb"stream\r?\n")
_END = re.compile(rb"\s*endstream")
_LENGTH = re.compile(rb"/Length\s+(\d{1,9})(?!\s+\d+\s+R)")  # a direct length, not a reference
_DICT_BEFORE = 512  # bytes before `stream` where its dictionary (and its /Filter) is looked for
# A string operand: a literal `( … )` (balanced, backslash-escaped) or a hex string `< … >`; a number.
_LITERAL = rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)"
_HEX = rb"<[0-9A-Fa-f\s]*>"
_OPERAND = re.compile(rb"(" + _LITERAL + rb")|(" + _HEX + rb")|(-?\d+(?:\.\d+)?)")
_SHOWN = re.compile(
    rb"\[((?:" + _LITERAL + rb"|" + _HEX + rb"|[^\]])*)\]\s*TJ"  # an array: strings and displacements
    rb"|(" + _LITERAL + rb"|" + _HEX + rb")\s*(?:Tj|'|\")"  # one string
)
_TEXT_OBJECT = re.compile(rb"(?<![A-Za-z])BT\s(.*?)\sET(?![A-Za-z])", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r?\n|.)", re.DOTALL)
_WORD_GAP = 200  # a TJ displacement (thousandths of a text unit) wider than this is a space between words


def _literal(body: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        e = m.group(1)
        if e[:1].isdigit():
            return bytes([int(e, 8) & 0xFF])
        if e[:1] in (b"\r", b"\n"):
            return b""  # a line continuation
        return _ESCAPES.get(e, e)

    return _ESCAPE.sub(one, body[1:-1])


def _string(token: bytes) -> bytes:
    if token[:1] == b"(":
        return _literal(token)
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", token)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def shown_text(content: bytes) -> list[str]:
    """The text each text-showing operator of a content stream's text objects (`BT` … `ET`) shows (module
    doc). Only inside text objects: an image's compressed bytes hold `(…)'` by chance."""
    out: list[str] = []
    for block in _TEXT_OBJECT.finditer(content):
        out += _shown(block.group(1))
    return out


def _shown(content: bytes) -> list[str]:
    out: list[str] = []
    for m in _SHOWN.finditer(content):
        if m.group(1) is not None:
            pieces: list[bytes] = []
            for op in _OPERAND.finditer(m.group(1)):
                if op.group(3) is not None:
                    if float(op.group(3)) < -_WORD_GAP:
                        pieces.append(b" ")
                else:
                    pieces.append(_string(op.group(1) or op.group(2)))
            raw = b"".join(pieces)
        else:
            raw = _string(m.group(2))
        text = raw.decode("utf-16") if raw[:2] in (b"\xfe\xff", b"\xff\xfe") else raw.decode("latin-1")
        if text.strip():
            out.append(text)
    return out


def _ascii85(data: bytes) -> bytes | None:
    body = data.strip()
    end = body.find(b"~>")
    body = body[:end] if end >= 0 else body
    if body.startswith(b"<~"):
        body = body[2:]
    try:
        return base64.a85decode(re.sub(rb"\s", b"", body))
    except (ValueError, binascii.Error):
        return None


def pdf_text(raw: bytes, inflate: Callable[[bytes], bytes]) -> str | None:
    """What the text operators of every stream of a PDF show, one per line; None if nothing. `inflate`
    opens a zlib stream within the caller's budget (b"" when it is none)."""
    if raw[:5] != b"%PDF-":
        return None
    out: list[str] = []
    for m in _STREAM.finditer(raw):
        start = m.end()
        head = raw[max(0, m.start() - _DICT_BEFORE) : m.start()]
        head = head[head.rfind(b"<<") :] if b"<<" in head else head
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length is not None else -1
        if not (start <= end <= len(raw) and _END.match(raw, end)):  # no usable /Length: up to `endstream`
            end_m = _END.search(raw, start)
            end = end_m.start() if end_m is not None else len(raw)
        data = raw[start:end]
        if b"/Image" in head:  # pixels, not text
            continue
        if b"/ASCII85Decode" in head or b"/A85" in head:
            data = _ascii85(data) or b""
        if b"/FlateDecode" in head or b"/Fl" in head:
            data = inflate(data) or data
        out += shown_text(data)
    return "\n".join(out) or None

