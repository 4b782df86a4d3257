"""A value written down a column (`j\\na\\nn\\ne\\n@…`, `- j\\n- a…`, `"ja",\\n"ne",…`, `| 1 | j |…`): read as
the line its items spell.

An item is a line holding one to three characters, after what lays out a list, a quote, an array or a
table: a bullet or a number (`- `, `* `, `• `, `1. `, `2) `), a `>` quote, quotes around it, a trailing comma
or semicolon, or a Markdown table row (its last cell). Items laid out alike (a column of single characters
ends at a wider one: `end` under it is the text after it), four or more in a row (blank lines between them
skipped), or three of two or three characters, are joined without their blanks and read as one line; every
character of it maps back to the character it was, so a value found there replaces the original from its
first piece to its last, the markup between them included.

A column of digits alone is usually a column (ratings, a keypad, a list of small numbers), so it is read
only when its digits make a card (13 to 19, Luhn); a list of decimals (`4.5`, `3.9`) is never read. Read
in the detector's certain-only views (`glued`'s rule): only values that are certain without a word boundary
count. A run that reads as base64 is decoded by the detector like any other (base64 laid out one character
a line).
"""

from __future__ import annotations

import re

from proxy.detect.checksums import luhn_ok
from proxy.detect.view_map import View

# Two short lines in a row (the second may be blank): cheap, and what every column starts with.
TRIGGER = re.compile(r"\n[^\n]{1,16}\n[^\n]{0,16}\n")
_ITEM = re.compile(
    r"(?m)^[ \t]*(?:"
    r"(?P<tab>\|)(?:[^|\n]*\|)*?[ \t]*(?P<t>[^|\s](?:[^|\n]?[^|\s])?)?[ \t]*\|"  # a table row: its last cell
    r"|(?:(?P<m>[-*•+–>]|\d{1,4}[.):])[ \t]+)?"  # a bullet or a number
    r"(?:(?P<qq>['\"`])(?P<q>[^\n'\"`]{0,3})(?P=qq)|(?P<b>\S(?:[^\n]?[^\s,;])?))?[ \t]*[,;]?"
    r")[ \t]*\r?$"
)
_TABLE_RULE = re.compile(r":?-+:?")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_CARD_LEAST = 13
_CARD_MOST = 19
_LEAST_ITEMS = 4
_LEAST_WIDE_ITEMS = 3  # items of two or three characters: a value takes fewer lines
_LEAST_CHARS = 6


def _item(m: re.Match[str]) -> tuple[str, int, int] | None:
    """How a matched line lays out its item (a run keeps one layout) and the item's range (possibly
    empty: a blank a value holds); None for a blank line or a table's rule row."""
    tab, t, marker, qq, q, b = m.group("tab", "t", "m", "qq", "q", "b")
    if tab is not None:
        if t is not None and _TABLE_RULE.fullmatch(t):
            return None
        return ("|", *(m.span("t") if t is not None else (m.end(), m.end())))
    layout = ("n" if marker and marker[0].isdigit() else marker or "") + (qq or "")
    if b is not None:
        return (layout, *m.span("b"))
    if q is not None:
        return (layout, *m.span("q"))
    if marker and not qq:  # a bullet alone: a blank item of a list, or a `+`/`-` of a value
        return ("?" + marker, *m.span("m"))
    return None  # a blank line


def _runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of items laid out alike on consecutive lines (blank lines between them skipped)."""
    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    layout = ""
    last_end = -1
    first_wide = False
    for m in _ITEM.finditer(text):
        item = _item(m)
        start = m.start()
        if item is None and m.group("tab") is None:
            continue  # a blank line: part of the gap
        # a bullet alone, or a bare character that is the list's bullet: blank in a list, else a character
        if item is not None and (
            item[0][:1] == "?" or (item[0] == "" and run and text[item[1] : item[2]] == layout)
        ):
            marker = item[0][1:] or layout
            item = (layout, item[2], item[2]) if run and layout == marker else ("", item[1], item[2])
        adjacent = last_end >= 0 and (start - last_end <= 2 or text[last_end:start].isspace())
        # a column of single characters ends at a wider item (`end` under it is the text after it); pieces
        # of two or three characters vary by a blank trimmed from their ends (`+1 `, `303`)
        if (
            not adjacent
            or item is None
            or item[0] != layout
            or (run and not first_wide and item[2] - item[1] > 1)
        ):
            if run:
                runs.append(run)
            run = []
        if item is not None:
            if not run:
                first_wide = item[2] - item[1] != 1
            layout = item[0]
            run.append((item[1], item[2]))
        last_end = m.end()
    if run:
        runs.append(run)
    return runs


def _readable(text: str, run: list[tuple[int, int]]) -> bool:
    items = [text[a:b] for a, b in run]
    chars = "".join(items).replace(" ", "").replace("\t", "")
    if len(chars) < _LEAST_CHARS:
        return False
    if any("." in i for i in items) and all(_DECIMAL.fullmatch(i) for i in items if i):
        return False  # a list of decimals (`4.5`, `3.9`, …): joined, their dots would read as an address
    if chars.isdigit() and not (_CARD_LEAST <= len(chars) <= _CARD_MOST and luhn_ok(chars)):
        return False  # digits alone: a list of numbers, unless they make a card
    wide = sum(b - a >= 2 for a, b in run)
    return len(run) >= _LEAST_ITEMS or (len(run) >= _LEAST_WIDE_ITEMS and wide >= 2)


def vertical_view(text: str) -> View | None:
    """`text` with each column of short items read as one line (module doc); None if none is."""
    if TRIGGER.search(text) is None:
        return None
    runs = [r for r in _runs(text) if _readable(text, r)]
    if not runs:
        return None
    out: list[str] = []
    starts: list[int] = []
    pos = 0
    for run in runs:
        first, last = run[0][0], run[-1][1]
        out.append(text[pos:first])
        starts.extend(range(pos, first))
        out.append(" ")  # the joined line stands apart from what is around the column
        starts.append(first)
        for a, b in run:
            for i in range(a, b):
                if not text[i].isspace():
                    out.append(text[i])
                    starts.append(i)
        out.append(" ")
        starts.append(max(last - 1, first))
        pos = last
    out.append(text[pos:])
    starts.extend(range(pos, len(text)))
    return View("".join(out), starts, [s + 1 for s in starts])
