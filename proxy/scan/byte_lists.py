"""Bytes as a JSON list of numbers: Node's `Buffer.toJSON()` (`{"type": "Buffer", "data": [106, 97, …]}`),
a byte array a backend serialized as it was. A client reads the text in it as easily as a string.

A list of eight or more integers, every one a byte, is read as the text those bytes spell (UTF-8, or the
printable runs of binary): a document of its own, scanned like a blob's text. It cannot be written back
with a token in it (the list would no longer be those bytes, and a token is no byte list), so a value found
in it blocks the message, as a value in media's carried text does.
"""

from __future__ import annotations

from typing import Any

from proxy.detect.carried_text import printable_text
from proxy.errors import blocked

MIN_BYTES = 8


def bytes_text(node: list[Any]) -> str | None:
    """The text a list of byte values spells, or None if it is no such list or spells none."""
    if len(node) < MIN_BYTES or type(node[0]) is not int:
        return None
    if not all(type(v) is int and 0 <= v <= 255 for v in node):
        return None
    raw = bytes(node)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return printable_text(raw)


def refuse_patch(_texts: Any) -> str:
    """The write-back of a byte list whose text held a value: there is none (module doc)."""
    raise blocked("a list of bytes carries personal data it cannot patch")
