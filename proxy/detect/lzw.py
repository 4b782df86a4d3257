"""LZW as a PDF's `LZWDecode` filter writes it (ISO 32000-1 §7.4.4): codes of 9 to 12 bits, most significant
bit first, 256 clears the table, 257 ends the data; with `EarlyChange` 1 (the default) the code width grows
one code early, as TIFF's LZW also does.

No library the proxy already depends on opens it, and it is short. Bounded: a code can stand for up to 4,096
bytes, so a small stream can expand far (a bomb); decoding stops at `limit` and says so, so the caller
blocks the message as it does for a Flate stream past its budget. A damaged stream yields what decoded
before the damage.
"""

from __future__ import annotations

_CLEAR, _END = 256, 257


class TooLarge(Exception):
    """The stream expands past the caller's limit."""


def lzw_decode(data: bytes, limit: int, early_change: int = 1) -> bytes:
    """The bytes an LZW stream decodes to; `TooLarge` past `limit` bytes."""
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, buffer, bits = 9, 0, 0
    previous: bytes | None = None
    out = bytearray()
    for byte in data:
        buffer = (buffer << 8) | byte
        bits += 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            buffer &= (1 << bits) - 1
            if code == _CLEAR:
                del table[258:]
                width, previous = 9, None
                continue
            if code == _END:
                return bytes(out)
            if code < len(table) and (code < 256 or code >= 258):
                entry = table[code]
            elif code == len(table) and previous is not None:
                entry = previous + previous[:1]  # the code being defined right now
            else:
                return bytes(out)  # damaged: what decoded so far
            out += entry
            if len(out) > limit:
                raise TooLarge
            if previous is not None and len(table) < 4096:
                table.append(previous + entry[:1])
            previous = entry
            if len(table) + early_change >= (1 << width) and width < 12:
                width += 1
    return bytes(out)


def lzw_encode(data: bytes, early_change: int = 1) -> bytes:
    """An LZW stream of `data` (the tests' writer, and a check that decoding is its inverse)."""
    table = {bytes([i]): i for i in range(256)}
    next_code, width = 258, 9
    codes: list[tuple[int, int]] = [(_CLEAR, 9)]
    current = b""
    for i in range(len(data)):
        candidate = current + data[i : i + 1]
        if candidate in table:
            current = candidate
            continue
        codes.append((table[current], width))
        if next_code < 4096:
            table[candidate] = next_code
            next_code += 1
        if next_code + early_change > (1 << width) and width < 12:
            width += 1
        if next_code >= 4095:
            codes.append((_CLEAR, width))
            table = {bytes([j]): j for j in range(256)}
            next_code, width = 258, 9
        current = data[i : i + 1]
    if current:
        codes.append((table[current], width))
        next_code += 1
        if next_code + early_change > (1 << width) and width < 12:
            width += 1
    codes.append((_END, width))
    buffer, bits, out = 0, 0, bytearray()
    for code, w in codes:
        buffer = (buffer << w) | code
        bits += w
        while bits >= 8:
            bits -= 8
            out.append((buffer >> bits) & 0xFF)
        buffer &= (1 << bits) - 1
    if bits:
        out.append((buffer << (8 - bits)) & 0xFF)
    return bytes(out)
