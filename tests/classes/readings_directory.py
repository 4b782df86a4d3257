"""Readings of directory and mail formats, as their readers show them (written without the product's code):

- MIME encoded words (RFC 2047) decoded by the standard library's mail parser (`=?UTF-8?Q?Mar=C3=ADa?=`);
- folded lines (vCard, iCalendar, mail headers) unfolded: the break and its blank removed, or the break alone;
- an LDAP DN's hex escapes (RFC 4514: `Gonzalez\\2C Maria`, `Maria\\20Gonzalez`) decoded, as a directory
  browser shows the value;
- a vCard's structured name (`N:Gonzalez;Maria;;;`) and markup (`**`, `_`, `` ` ``) read with blanks.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from email.header import decode_header, make_header

_ENCODED = re.compile(r"=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=(?:\s*=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=)*")
_FOLD = re.compile(r"\r?\n[ \t]")
_DN_HEX = re.compile(r"\\([0-9A-Fa-f]{2})")
_MARKS = re.compile(r"[*_`~;\\/]+")


def _mime(m: re.Match[str]) -> str:
    with contextlib.suppress(Exception):
        return str(make_header(decode_header(m.group())))
    return m.group()


def readings(text: str) -> Iterator[str]:
    if "=?" in text:
        yield _ENCODED.sub(_mime, text)
    if "\n" in text and _FOLD.search(text):
        yield _FOLD.sub("", text)
        yield _FOLD.sub(" ", text)
    if "\\" in text and _DN_HEX.search(text):
        yield _DN_HEX.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _MARKS.search(text):
        yield _MARKS.sub(" ", text)
