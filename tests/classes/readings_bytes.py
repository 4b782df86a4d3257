"""The judge's readings of the notations in `tests.classes.byte_codes`, written without the product's code:
bare byte codes (base 2, decimal, octal, `0x…`, `U+…`), `\\N{NAME}` and UTF-7, look-alike `@`s and address
comments, and Ascii85/uuencode blocks without their closing frame."""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import unicodedata
from collections.abc import Iterator

_RUN = re.compile(r"(?:(?:0[xX]|[uU]\+)?[0-9A-Fa-f]{1,8}[ \t,;]*){8,}")
_NAMED = re.compile(r"\\N\{([^}]{1,90})\}")
_UTF7 = re.compile(r"\+[A-Za-z0-9+/]+-")
_LOOK_ALIKE = re.compile(r"[ⓐⒶ⒜🅐🅰🄰]|[\[({<]\s?[^\W\d_]\s?[\])}>]")
_COMMENT = re.compile(r"\([^()\s@]+\)(?=@)|(?<=@)\([^()\s@]+\)")
_OPEN_A85 = re.compile(r"<~([!-uz\s]+)")
_OPEN_UU = re.compile(r"^begin [0-7]{3,4} \S+\r?\n((?:[!-`][ -`]*\r?\n?)+)", re.MULTILINE)


def _decoded(run: str) -> Iterator[str]:
    tokens = re.findall(r"[0-9A-Fa-fxXuU+]+", run)
    if len(tokens) == 1 and set(tokens[0]) <= {"0", "1"}:
        tokens = [tokens[0][i : i + 8] for i in range(0, len(tokens[0]), 8)]
    for base, cut in ((2, 0), (8, 0), (10, 0), (16, 2)):
        with contextlib.suppress(ValueError):
            codes = [int(t[cut:], base) for t in tokens]
            if tokens[0][:2].upper() == "U+":
                yield "".join(map(chr, codes))
            else:
                yield bytes(codes).decode("utf-8", "replace")


def _a_like(m: re.Match[str]) -> str:
    letters = [c for c in unicodedata.normalize("NFKD", m.group()) if c.isalpha()]
    return "@" if letters and letters[0].lower() == "a" else m.group()


def readings(text: str) -> Iterator[str]:
    """`text` with each such notation read as what it spells (one reading per kind that is present)."""
    runs = _RUN.findall(text) if any(c.isdigit() for c in text) else []
    for run in runs:
        yield from _decoded(run)
    if "\\N{" in text:
        yield _NAMED.sub(lambda m: _lookup(m.group(1), m.group()), text)
    if "+" in text and "-" in text:
        yield _UTF7.sub(lambda m: _utf7(m.group()), text)
    if _LOOK_ALIKE.search(text) or _COMMENT.search(text):
        yield _COMMENT.sub("", _LOOK_ALIKE.sub(_a_like, text))
    for m in _OPEN_A85.finditer(text):
        body = re.sub(r"\s", "", m.group(1))
        for cut in range(5):
            with contextlib.suppress(ValueError):
                yield base64.a85decode(body[: len(body) - cut]).decode("utf-8", "replace")
                break
    for m in _OPEN_UU.finditer(text):
        out = b""
        for line in m.group(1).splitlines():
            with contextlib.suppress(binascii.Error, ValueError):
                out += binascii.a2b_uu(line)
        yield out.decode("utf-8", "replace")


def _lookup(name: str, written: str) -> str:
    try:
        return unicodedata.lookup(name)
    except KeyError:
        return written


def _utf7(run: str) -> str:
    """A UTF-7 run; one that is no UTF-7 from its first `+` may be from a later one (`ron+c+AHI-`)."""
    try:
        return run.encode("ascii").decode("utf-7")
    except UnicodeError:
        cut = run.rfind("+")
        return run[:cut] + _utf7(run[cut:]) if cut > 0 else run
