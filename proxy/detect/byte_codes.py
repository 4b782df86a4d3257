"""Text written one byte or code point at a time as bare numbers: base-2 groups (`01101010 01100001 …`, or
one continuous bitstring), decimal or octal codes with blanks (`106 97 110 …`, `152 141 156 …`), hex codes
each behind `0x` (`0x6a 0x61 …`) and code points (`U+006A U+0061 …`).

`byte_escapes` reads the escaped and comma-listed forms; these are the bare ones, which ordinary numbers
also take (scores, a matrix), so each run of eight codes or more is read as one more view, decoded whole
and set apart by blanks: a value found in it maps to the whole run, which is what gets replaced. The view
is a reading, not a verdict: only a run that decodes to printable text is read at all (a list
of ordinary numbers decodes to control characters or broken UTF-8 and stays as written), and the detector
then judges the decoded text like any other. Decimal and octal codes must also spell two letters or more:
ordinary numbers take those forms, and a list of them between 43 and 57 would read as a digit string (a
bare card number written so is therefore not read; written in a sentence, it is); and seven in ten of
their characters must be what text and values are mostly written with (lower-case letters, digits, blanks,
`@.-_+:,/`): scores between 60 and 100 spell capitals and brackets, noise a name finder may still take.
Base-2 groups, `0x…` and `U+…` are written for bytes only and need no letters. Decoded text is shorter
than its run (no bomb).
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

_SEP = r"(?:[ \t]*[,;][ \t]*|[ \t]+)"
_RUNS = re.compile(
    rf"(?<![\w.+])(?:[01]{{7,8}}{_SEP}){{7,}}[01]{{7,8}}(?![\w.])"  # base-2 groups
    r"|(?<![\w.])(?:[01]{8}){8,}(?![\w.])"  # one continuous bitstring
    rf"|(?<![\w.])(?:0[xX][0-9A-Fa-f]{{1,2}}{_SEP}){{7,}}0[xX][0-9A-Fa-f]{{1,2}}(?![\w.])"
    rf"|(?<![\w.+])(?:[uU]\+[0-9A-Fa-f]{{4,6}}{_SEP}){{7,}}[uU]\+[0-9A-Fa-f]{{4,6}}(?![\w.])"
    rf"|(?<![\w.,])(?:[0-9]{{1,3}}{_SEP}){{7,}}[0-9]{{1,3}}(?![\w.])"  # decimal or octal codes
)
# Cheap gates, each a superset of where `_RUNS` finds its kind (the batch pre-scan runs them one by one).
TRIGGERS = (
    re.compile(r"[01]{7,8}[ \t,;]+[01]{7,8}[ \t,;]+[01]{7}"),
    re.compile(r"[01]{64}"),
    re.compile(r"0[xX][0-9A-Fa-f]{1,2}[ \t,;]+0[xX][0-9A-Fa-f]{1,2}[ \t,;]+0[xX]"),
    re.compile(r"[uU]\+[0-9A-Fa-f]{4}"),
    re.compile(r"(?:[0-9]{1,3}[ \t,;]+){7}[0-9]{1,3}"),  # eight codes, as a run needs
)
_TOKEN = re.compile(r"[0-9A-Fa-fxXuU+]+")


def may_hold(text: str) -> bool:
    return any(t.search(text) is not None for t in TRIGGERS)


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 @.-_+:,/")


def _as_text(raw: bytes, letters: int = 0) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.isprintable() or sum(c.isalpha() for c in text) < letters:
        return None
    if letters and sum(c in _PLAIN for c in text) * 10 < len(text) * 7:
        return None  # ordinary numbers (scores 60-100) spell capitals and brackets, not text
    return text


def _codes(run: str) -> str | None:
    tokens = _TOKEN.findall(run)
    first = tokens[0]
    if first[:2] in ("0x", "0X"):
        return _as_text(bytes(int(t[2:], 16) for t in tokens))
    if first[:2] in ("U+", "u+"):
        units = [int(t[2:], 16) for t in tokens]
        if any(u > 0x10FFFF or 0xD800 <= u < 0xE000 for u in units):
            return None
        text = "".join(map(chr, units))
        return text if text.isprintable() else None
    if len(tokens) == 1:  # a continuous bitstring
        bits = tokens[0]
        tokens = [bits[i : i + 8] for i in range(0, len(bits) - len(bits) % 8, 8)]
    if all(set(t) <= {"0", "1"} and len(t) >= 7 for t in tokens):
        return _as_text(bytes(int(t, 2) for t in tokens))
    values = [int(t) for t in tokens]
    if all(v < 256 for v in values):
        decimal = _as_text(bytes(values), 2)
        if decimal is not None:
            return decimal
    if all(set(t) <= set("01234567") for t in tokens) and all(int(t, 8) < 256 for t in tokens):
        return _as_text(bytes(int(t, 8) for t in tokens), 2)
    return None


def _read(run: str) -> str:
    text = _codes(run)
    return run if text is None else " " + text + " "


def codes_view(text: str) -> View | None:
    """`text` with each run of bare codes that spells text read as that text; None if it has none."""
    if not may_hold(text):
        return None
    view = rewrite(View(text), _RUNS, _read)
    return None if view.identity else view
