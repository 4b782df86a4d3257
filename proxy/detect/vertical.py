"""A value written down a column (`j\\na\\nn\\ne\\n@…`, `- j\\n- a…`, `"ja",\\n"ne",…`, `| 1 | j |…`): read as
the line its items spell.

An item is a line holding one to three characters, after what lays out a list, a quote or an array: a
bullet or a number (`- `, `* `, `• `, `1. `, `2) `), a `>` quote, quotes around it, a trailing comma or
semicolon; in a Markdown table, a cell (of the column of short cells with the most that is no digit: a
value's column beside a row number). Items laid out alike (a column of single characters ends at a wider
one: `end` under it is the text after it), four or more in a row (blank lines between them skipped), or
three of two or three characters, are joined without their blanks and read as one line; every character
of it maps back to the character it was, so a value found there replaces the original from its first
piece to its last, the markup between them included.

A column of digits alone is usually a column (ratings, a keypad, a list of small numbers), so it is read
only when its digits make a card (13 to 19, Luhn); a list of decimals (`4.5`, `3.9`) is never read. Read
in the detector's certain-only views (`glued`'s rule): only values that are certain without a word boundary
count. A run that reads as base64 is decoded by the detector like any other (base64 laid out one character
a line).
"""

from __future__ import annotations

import re
from functools import partial

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
# A table's rule cell: two dashes or more, or one with an alignment colon. A lone `-` is a cell holding a
# dash (a value's own: `| - |` between the digits of an SSN or the parts of an address).
_TABLE_RULE = re.compile(r":?-{2,}:?|:-+:?|-+:")
_ROW = re.compile(r"(?m)^[ \t]*\|[^\n]*\|[ \t]*\r?$")
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
        if item is not None and item[0] == "|":
            item = None  # a table row: its columns are read by `_table_runs`
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


def _trimmed(text: str, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`run` without a last item of letters wider than the one before it: the word after a value cut
    in pieces (`…82`, `62`, `2`, `end`), not its last piece."""
    if len(run) >= 2:
        (pa, pb), (a, b) = run[-2], run[-1]
        if text[a:b].isalpha() and b - a > pb - pa:
            return run[:-1]
    return run


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


def _cells(text: str, row: re.Match[str]) -> list[tuple[int, int]]:
    """The cells of a table row, each as the range of its content without blanks (empty: where it is)."""
    cells: list[tuple[int, int]] = []
    pipe = text.index("|", row.start())
    while (nxt := text.find("|", pipe + 1, row.end())) >= 0:
        a, b = pipe + 1, nxt
        while a < b and text[a] in " \t":
            a += 1
        while b > a and text[b - 1] in " \t":
            b -= 1
        cells.append((a, b))
        pipe = nxt
    return cells


def _table_runs(text: str) -> list[list[tuple[int, int]]]:
    """For each Markdown table, the readable column of short cells with the most that is no digit (a
    value's column beside a row number): one run per table."""
    if "|" not in text:
        return []
    tables: list[list[list[tuple[int, int]]]] = []
    last_end = -1
    for row in _ROW.finditer(text):
        if last_end < 0 or not (row.start() - last_end <= 2 or text[last_end : row.start()].isspace()):
            tables.append([])
        tables[-1].append(_cells(text, row))
        last_end = row.end()
    out: list[list[tuple[int, int]]] = []
    for rows in tables:
        best: list[tuple[int, int]] = []
        best_chars = -1
        for column in range(max(map(len, rows))):
            run: list[tuple[int, int]] = []
            for cells in rows:
                cell = cells[column] if column < len(cells) else None
                if cell is None or cell[1] - cell[0] > 3 or _TABLE_RULE.fullmatch(text, *cell):
                    if run and _readable(text, run):
                        break
                    run = []
                    continue
                run.append(cell)
            if run and _readable(text, run):
                chars = sum(not c.isdigit() for a, b in run for c in text[a:b])
                if chars > best_chars:
                    best, best_chars = run, chars
        if best:
            out.append(best)
    return out


def vertical_view(text: str) -> View | None:
    """`text` with each column of short items read as one line (module doc); None if none is."""
    if TRIGGER.search(text) is None:
        return None
    runs = sorted(
        [*(r for r in map(partial(_trimmed, text), _runs(text)) if _readable(text, r)), *_table_runs(text)]
    )
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
