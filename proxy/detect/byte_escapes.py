"""Bytes written one escape or one number at a time: C octal escapes (`\\152\\141\\156`), CSS escapes
(`\\6a \\61 \\6e `), hex bytes with separators (`6a 61 6e 65`, `6a:61:6e:65`, what packet dumps print),
hex dumps with their offsets and character column (`xxd`, `hexdump -C`, read whole across their lines) and
character codes as a list (`106,97,110,101`, what `String.fromCharCode(…)` takes).

Each run is a local encoding (`proxy.detect.decoders`): decoded in place as one more view, so a value found
in it maps back to the run, which is what gets replaced. A run must be long enough to carry a value (four
escapes, eight bytes or codes) and codes must be printable ASCII, so ordinary lists of numbers and short
hex pairs (a MAC address) are not read as text. A run whose bytes are no UTF-8 is left as it is.
"""

from __future__ import annotations

import re

# Backslash escapes: octal first (`\152` also reads as a CSS escape of U+0152).
BACKSLASH_RUNS = r"(?:\\[0-3][0-7]{2}){4,}|(?:\\[0-9A-Fa-f]{2,6} ?){4,}"
_CODE = r"(?:3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-6])"  # printable ASCII, in decimal
# A dump's line: an offset, then groups of one or two hex bytes (`xxd`, `hexdump -C`, `od -x`), then
# whatever column of characters the tool prints.
_XXD_GROUPS = r"(?: [0-9A-Fa-f]{4}){1,8}(?: [0-9A-Fa-f]{2})?(?![0-9A-Fa-f])"  # the last may be one byte
_BYTE_GROUPS = r"(?: {1,2}[0-9A-Fa-f]{2}(?![0-9A-Fa-f])){2,16}"
_DUMP_LINE = rf"[0-9A-Fa-f]{{4,8}}:?(?:{_XXD_GROUPS}|{_BYTE_GROUPS})[^\n]*"
# A dump (lines of it, read whole: a value crosses its lines; the first may follow a label), hex pairs
# with one separator each, and decimal character codes with commas.
LISTS = (
    rf"(?<![0-9A-Fa-f:]){_DUMP_LINE}(?:\n{_DUMP_LINE})*"
    r"|(?<![0-9A-Fa-f:\-])[0-9A-Fa-f]{2}(?:[ :\-][0-9A-Fa-f]{2}){7,}(?![0-9A-Fa-f])"
    rf"|(?<![0-9.]){_CODE}(?:[ \t]?,[ \t]?{_CODE}){{7,}}(?![0-9.])"
)
FAMILY = re.compile(LISTS)
# The cheap tests (no lookbehind, no alternation: the engine's fast scan), a superset of what LISTS finds.
_HEX_TRIGGER = re.compile(r"[0-9A-Fa-f]{2}(?:[ :\-][0-9A-Fa-f]{2}){7}")
_DUMP_TRIGGER = re.compile(r"[0-9A-Fa-f]{4,8}:?(?:[ \t]{1,2}[0-9A-Fa-f]{2,4}){3}")
# Its bytes: groups of two bytes one blank apart (`xxd`), or of one byte, one or two blanks apart
# (`hexdump -C`, `od`); the characters column after them is no group of the same width.
_DUMP_HEX = re.compile(rf"[0-9A-Fa-f]{{4,8}}:?({_XXD_GROUPS}|{_BYTE_GROUPS})")
_CODES_TRIGGER = re.compile(r"[0-9]{2,3}(?:[ \t]?,[ \t]?[0-9]{2,3}){7}")


TRIGGERS = (_HEX_TRIGGER, _CODES_TRIGGER, _DUMP_TRIGGER)


def has_runs(text: str) -> bool:
    """Whether `text` may hold a hex dump or a list of character codes (a superset; C-speed scans)."""
    return (
        _HEX_TRIGGER.search(text) is not None
        or ("," in text and _CODES_TRIGGER.search(text) is not None)
        or _DUMP_TRIGGER.search(text) is not None
    )
_OCTAL = re.compile(r"\\([0-3][0-7]{2})")
_CSS = re.compile(r"\\([0-9A-Fa-f]{2,6}) ?")
_NOT_HEX = re.compile(r"[^0-9A-Fa-f]")


def _text(raw: bytes, run: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def decode(run: str) -> str:
    """The text a run spells (`run` itself when its bytes are no UTF-8, or it spells nothing: like every
    decoder, this never raises)."""
    try:
        return _decode(run)
    except ValueError:
        return run


def _decode(run: str) -> str:
    if run[0] == "\\":
        if _OCTAL.fullmatch(run[:4]) is not None and run[4:5] in ("\\", ""):
            return _text(bytes(int(o, 8) for o in _OCTAL.findall(run)), run)
        units = [int(h, 16) for h in _CSS.findall(run)]
        if any(u > 0x10FFFF or 0xD800 <= u < 0xE000 for u in units):
            return run
        return "".join(map(chr, units))
    if "," in run:
        return "".join(chr(int(c)) for c in run.split(","))
    dump = [_DUMP_HEX.match(line) for line in run.split("\n")]
    if all(dump) and (len(dump) > 1 or run[8:9] in (":", " ")):  # an offset leads every line
        hexes = _NOT_HEX.sub("", "".join(m.group(1) for m in dump if m is not None))
        return _text(bytes.fromhex(hexes[: len(hexes) // 2 * 2]), run)
    return _text(bytes.fromhex(_NOT_HEX.sub("", run)), run)
