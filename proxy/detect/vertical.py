"""A value written down a column, one character per line (`j\\na\\nn\\ne\\n@…`): read as the line it spells.

A column of single digits is usually a column (ratings, a keypad), so a column is read only when it holds
what a number list does not: a letter, `@`, `+`, `-`, `.` or `:`, or thirteen digits or more (a card's
length). Read in the detector's certain-only views (`glued`'s rule): only values that are certain without
a word boundary count, and each maps to the whole column, which is what gets replaced.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

_LINE = r"[ \t]*\S[ \t]*"
_BREAK = r"(?:[ \t]*\r?\n)+"  # blank lines between: a value's own spaces, or wider spacing
_COLUMN = re.compile(rf"(?m)^{_LINE}(?:{_BREAK}{_LINE}){{5,}}(?=\r?\n|\Z)")
TRIGGER = re.compile(rf"\n{_LINE}{_BREAK}{_LINE}\r?\n")
_CARD_LEAST = 13


def _read(column: str) -> str:
    chars = "".join(column.split())
    if chars.isdigit() and len(chars) < _CARD_LEAST:
        return column
    return " " + chars + " "


def vertical_view(text: str) -> View | None:
    """`text` with each column of single characters read as one line (module doc); None if none is."""
    if TRIGGER.search(text) is None:
        return None
    view = rewrite(View(text), _COLUMN, _read)
    return None if view.identity else view
