"""A PDF font's `ToUnicode` CMap: which text each glyph code stands for (ISO 32000-1 §9.10.3).

A PDF may show text by glyph codes that are no characters (`<0012001500160017> Tj`, a subset font's
glyph numbers); its `ToUnicode` stream says which text each code is, in `bfchar` pairs
(`<0012> <004A>`) and `bfrange` runs (`<0013> <0016> <006F>`, or a list of destinations). This module reads
those, and decodes a shown string through them, so what the page shows is scanned as text. Codes are as
wide as their source strings are written (one or two bytes, mostly); destinations are UTF-16BE.

Ranges are kept as ranges (a CMap of `<0000> <FFFF>` costs nothing), and what a CMap holds is capped
(`MAX_ENTRIES`): past it the rest is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_ENTRIES = 1 << 16  # bfchar pairs and bfrange runs read from one CMap at most

_BLOCK = re.compile(rb"beginbf(char|range)(.*?)endbf\1", re.DOTALL)
_HEX = rb"<([0-9A-Fa-f\s]*)>"
_CHAR = re.compile(_HEX + rb"\s*" + _HEX)
_RANGE = re.compile(_HEX + rb"\s*" + _HEX + rb"\s*(?:" + _HEX + rb"|\[((?:\s*<[0-9A-Fa-f\s]*>)*)\s*\])")


def _hex(token: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", token)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _unicode(dst: bytes) -> str:
    return dst.decode("utf-16-be", "replace") if len(dst) % 2 == 0 else dst.decode("latin-1")


@dataclass
class CMap:
    chars: dict[bytes, str] = field(default_factory=dict)
    ranges: list[tuple[int, int, int, bytes | list[str]]] = field(default_factory=list)  # lo, hi, width, dst
    widths: list[int] = field(default_factory=list)  # code widths in bytes, widest first

    def decode(self, raw: bytes) -> str:
        """The text `raw`'s codes stand for; a code the CMap does not map is skipped (one byte of the
        narrowest width), as a viewer shows no character for it."""
        out: list[str] = []
        at, narrow = 0, self.widths[-1] if self.widths else 1
        while at < len(raw):
            for width in self.widths:
                text = self._lookup(raw[at : at + width]) if at + width <= len(raw) else None
                if text is not None:
                    out.append(text)
                    at += width
                    break
            else:
                at += narrow
        return "".join(out)

    def _lookup(self, code: bytes) -> str | None:
        found = self.chars.get(code)
        if found is not None:
            return found
        value = int.from_bytes(code, "big")
        for lo, hi, width, dst in self.ranges:
            if width == len(code) and lo <= value <= hi:
                if isinstance(dst, list):
                    return dst[value - lo] if value - lo < len(dst) else None
                start = int.from_bytes(dst, "big") + value - lo
                return _unicode(start.to_bytes(len(dst), "big")) if start < 1 << (8 * len(dst)) else None
        return None


def parse_cmap(data: bytes) -> CMap | None:
    """The mapping a ToUnicode stream declares; None if it declares none."""
    cmap, entries = CMap(), 0
    widths: set[int] = set()
    for block in _BLOCK.finditer(data):
        if block.group(1) == b"char":
            for m in _CHAR.finditer(block.group(2)):
                src = _hex(m.group(1))
                cmap.chars[src] = _unicode(_hex(m.group(2)))
                widths.add(len(src))
                entries += 1
        else:
            for m in _RANGE.finditer(block.group(2)):
                lo, hi = _hex(m.group(1)), _hex(m.group(2))
                if not lo or len(lo) != len(hi):
                    continue
                dst: bytes | list[str] = (
                    _hex(m.group(3))
                    if m.group(3) is not None
                    else [_unicode(_hex(d)) for d in re.findall(_HEX, m.group(4) or b"")]
                )
                cmap.ranges.append((int.from_bytes(lo, "big"), int.from_bytes(hi, "big"), len(lo), dst))
                widths.add(len(lo))
                entries += 1
        if entries > MAX_ENTRIES:
            break
    if not widths:
        return None
    cmap.widths = sorted(widths, reverse=True)
    return cmap
