"""A value written across a row, one digit per cell (`| 4 | 1 | 5 | 5 | 5 | 5 | 0 | 1 | 2 | 3 |`, `4,1,5,…`, a
tab between each): read as the number its cells spell, as `vertical` reads one down a column.

A row of single digits is usually a row of small counts, so it is read only when it is the whole line (no
label, no wider cell: a table of counts has them) and its digits pass the check of the identifier of that
length: a card (13 to 19 digits, starting as a card does, Luhn), a US/Canada number (ten digits, or eleven
after a `1`, that the numbering plan knows), an SSN (nine digits in the ranges ever issued). The view writes
the row as that identifier is written (`415-555-2671`, `536-22-4187`, a card in fours), so its recognizer
reads it as surely as the written form; the whole row maps back to it. Read with the detector's certain-only
views, as columns are.
"""

from __future__ import annotations

import re

import phonenumbers

from proxy.detect.checksums import luhn_ok
from proxy.detect.view_map import View, replace_ranges

# Nine single digits or more, apart by one delimiter (a table's bar, a comma, a semicolon, a tab), the whole
# line (a Markdown row's outer bars included). Cheap: C-speed, digits and delimiters alone.
TRIGGER = re.compile(r"\d[ \t]*[|,;\t][ \t]*\d[ \t]*[|,;\t][ \t]*\d[ \t]*[|,;\t][ \t]*\d")
_ROW = re.compile(r"(?m)^[ \t]*(\|?)[ \t]*(\d(?:[ \t]*[|,;\t][ \t]*\d){8,18})[ \t]*(\|?)[ \t]*\r?$")
_DELIMITER = re.compile(r"[|,;\t]")
_DIGIT = re.compile(r"\d")


def _ssn(d: str) -> bool:
    return d[:3] not in ("000", "666") and d[0] != "9" and d[3:5] != "00" and d[5:] != "0000"


def _nanp(d: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(d, "US"))
    except phonenumbers.NumberParseException:
        return False


def _identifier(d: str) -> str | None:
    """The digits written as the identifier of their length whose check they pass (module doc), or None."""
    if 13 <= len(d) <= 19:
        return " ".join(d[i : i + 4] for i in range(0, len(d), 4)) if d[0] in "3456" and luhn_ok(d) else None
    if len(d) == 10 or (len(d) == 11 and d[0] == "1"):
        n = d[-10:]
        return f"{n[:3]}-{n[3:6]}-{n[6:]}" if _nanp(n) else None
    return f"{d[:3]}-{d[3:5]}-{d[5:]}" if len(d) == 9 and _ssn(d) else None


def row_view(text: str) -> View | None:
    """`text` with each row of single-digit cells that spells an identifier written as it (module doc);
    None if none does."""
    if TRIGGER.search(text) is None:
        return None
    edits = []
    for m in _ROW.finditer(text):
        cells = m.group(2)
        delimiters = set(_DELIMITER.findall(cells))
        bars = m.group(1) + m.group(3)
        if len(delimiters) != 1 or (bars and delimiters != {"|"}):
            continue
        written = _identifier("".join(_DIGIT.findall(cells)))
        if written is not None:
            edits.append((m.start(2), m.end(2), f" {written} "))
    return replace_ranges(View(text), edits) if edits else None
