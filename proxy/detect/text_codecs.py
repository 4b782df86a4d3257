"""Which Unicode encoding bytes are written in, by their byte-order mark or by where their zero bytes fall.

Text in the ASCII range written in a fixed-width Unicode encoding has zero bytes at fixed places of each
code unit: every other byte in UTF-16, three of every four in UTF-32, before the character's byte in
big-endian and after it in little-endian. One rule reads the whole family (UTF-16 and UTF-32, either byte
order, with or without a BOM) instead of a case for each: a backend that base64-encodes its text as UTF-32
hides it from a reader that only knew UTF-16's shape. Used by the detector's base64 reading (`decoders`)
and by the blob reader (`proxy.scan.blob_layers`).
"""

from __future__ import annotations

import codecs

# Longest first: UTF-32LE's mark begins with UTF-16LE's.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 4096
_LIVE = 0.05  # at most this share of the character's own byte is zero


def bom_codec(raw: bytes) -> tuple[str, int] | None:
    """(codec, length of the mark) when `raw` starts with a byte-order mark."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return codec, len(bom)
    return None


def unit_codec(raw: bytes, zeros: float = 0.4) -> str | None:
    """`utf-32-le`, `utf-32-be`, `utf-16-le` or `utf-16-be` when the bytes have that encoding's shape: in
    each code unit, the high bytes zero in at least `zeros` of the units and the low byte almost never
    (so UTF-32 is not read as UTF-16 with NUL characters); None for any other bytes."""
    sample = raw[:_SAMPLE]
    for width in (4, 2):
        units = len(sample) // width
        if units < 2 or len(sample) % width:
            continue
        share = [sample[i::width].count(0) / units for i in range(width)]
        if share[0] < _LIVE and all(s >= zeros for s in share[1:]):
            return f"utf-{8 * width}-le"
        if share[-1] < _LIVE and all(s >= zeros for s in share[:-1]):
            return f"utf-{8 * width}-be"
    return None
