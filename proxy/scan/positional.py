"""Values placed by column position: the label naming a value is in a header elsewhere, not beside it.

`labels` reads a value by a label written as data beside it (`{"name": "SSN", "value": …}`, a CSV header
over its column). These layouts put the header somewhere else, and a cell is named only by its position:

- SQL: `INSERT INTO users (full_name, ssn, phone) VALUES ('Maria Gonzalez', '512483967', …), (…)` (one
  tuple or many, quoted or bare literals), and a `COPY users (full_name, ssn) FROM stdin;` dump whose lines
  of tab-separated cells follow until `\\.`;
- an HTML table: the cells of a `<th>` row name the `<td>` cells below them, by index;
- a spreadsheet's `values` matrix whose first row is the header
  (`{"values": [["Name", "SSN"], ["Maria Gonzalez", "512483967"]]}`, Google Sheets' shape).

Here each cell is only paired with its column's label; whether the label names the value is decided by the
same rules a `{"ssn": "…"}` key or a CSV header gets (`labels.label_entity`: the value must have the shape
of what the label names, so `name` over `Maple Desk` or `phone` over `Pixel 8` stays).

Cheap where it does not apply: the SQL reader runs only for texts holding `VALUES (`-like or `COPY `, the
HTML one for texts holding `<th`, the matrix one only for a list of lists under a rows key.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from proxy.detect.name_csv import MAX_CELL

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

MAX_COLUMNS = 64
# No limit on rows or on a literal's length: a cap there forwarded the rest unread (a hostile backend pads
# 5,000 rows, or a 5,000-character note before the address). Each reader moves forward only (an INSERT
# found inside text a previous one read is skipped), so its cost is linear in the text.

# The column list of an INSERT, its `VALUES` keyword just after (identifiers bare or quoted, a schema's dot).
_IDENT = r"[\w.`\"\[\]]{1,128}"
_COLUMNS = r"\(([\w\s,.`\"\[\]]{1,2000})\)"
_INSERT = re.compile(rf"(?i)\binsert\s+(?:ignore\s+)?into\s+{_IDENT}\s*{_COLUMNS}\s*values\s*(?=\()")
_COPY = re.compile(rf"(?i)\bcopy\s+{_IDENT}\s*{_COLUMNS}\s*from\s+stdin\b[^\n]{{0,200}}\n")
_SQL_TRIGGER = re.compile(r"(?i)values\s*\(|\bcopy\s")
# The tags of a table that matter to its layout; a cell's content up to its closing tag.
_HTML_TAG = re.compile(r"(?i)<(/?)(table|tr|th|td)\b[^<>]{0,300}>")


def text_pairs(text: str) -> Iterator[tuple[str, int, int]]:
    """(label, start, end) of each cell of an SQL insert or dump and of an HTML table, with the label of
    its column (module doc)."""
    if "(" in text and _SQL_TRIGGER.search(text) is not None:
        yield from _insert_pairs(text)
        yield from _copy_pairs(text)
    if "<th" in text or "<TH" in text:
        yield from _html_pairs(text)


def _labels(column_list: str) -> list[str]:
    return [c.strip().strip('`"[]').rsplit(".", 1)[-1] for c in column_list.split(",")]


def _named(labels: list[str], cells: list[tuple[int, int]]) -> Iterator[tuple[str, int, int]]:
    """A row's cells with their column's label, none unless the row has one cell per column."""
    if len(cells) != len(labels):
        return
    for label, (a, b) in zip(labels, cells, strict=True):
        if label and 0 < b - a <= MAX_CELL:
            yield label, a, b


# ------------------------------------------------------------------------------------------ SQL
def _insert_pairs(text: str) -> Iterator[tuple[str, int, int]]:
    done = 0  # where the last INSERT's tuples ended: an INSERT inside them is text of a literal
    for m in _INSERT.finditer(text):
        if m.start() < done:
            continue
        labels = _labels(m[1])
        if len(labels) > MAX_COLUMNS:
            continue
        end = [m.end()]
        for row in _tuples(text, m.end(), end):
            yield from _named(labels, row)
        done = end[0]


def _skip_blanks(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


def _quoted(text: str, pos: int) -> int:
    """The index of the quote closing the literal whose opening quote is at `pos` (a doubled quote and a
    backslash escape stay inside), or -1."""
    q = text[pos]
    pos += 1
    n = len(text)
    while pos < n:
        c = text[pos]
        if c == "\\":
            pos += 2
            continue
        if c == q:
            if pos + 1 < n and text[pos + 1] == q:
                pos += 2
                continue
            return pos
        pos += 1
    return -1


def _bare(text: str, pos: int) -> int:
    """The end of a bare literal (a number, `NULL`, `now()`) starting at `pos`: the next `,` or `)` outside
    its own parentheses."""
    depth = 0
    n = len(text)
    while pos < n:
        c = text[pos]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return pos
            depth -= 1
        elif c == "," and depth == 0:
            return pos
        elif c in "'\"" and (pos := _quoted(text, pos)) < 0:
            return len(text)
        pos += 1
    return n


def _tuples(text: str, pos: int, reached: list[int]) -> Iterator[list[tuple[int, int]]]:
    """Each `( … )` tuple of a VALUES list from `pos`, as its cells' spans (a quoted literal's inside);
    `reached[0]` is where the reading stopped."""
    n = len(text)
    while True:
        reached[0] = pos
        pos = _skip_blanks(text, pos)
        if pos >= n or text[pos] != "(":
            return
        pos += 1
        cells: list[tuple[int, int]] = []
        while True:
            pos = _skip_blanks(text, pos)
            if pos >= n or len(cells) > MAX_COLUMNS:
                return
            if text[pos] in "NnEe" and pos + 1 < n and text[pos + 1] == "'":
                pos += 1  # N'…' (national), E'…' (escapes)
            if text[pos] in "'\"":
                end = _quoted(text, pos)
                if end < 0:  # never closed: the rest of the text is this literal
                    reached[0] = n
                    return
                cells.append((pos + 1, end))
                pos = end + 1
            else:
                end = _bare(text, pos)
                b = end
                while b > pos and text[b - 1].isspace():
                    b -= 1
                cells.append((pos, b))
                pos = end
            pos = _skip_blanks(text, pos)
            if pos >= n:
                return
            if text[pos] == ",":
                pos += 1
                continue
            if text[pos] != ")":
                return
            pos += 1
            break
        yield cells
        reached[0] = pos
        pos = _skip_blanks(text, pos)
        if pos >= n or text[pos] != ",":
            return
        pos += 1


def _copy_pairs(text: str) -> Iterator[tuple[str, int, int]]:
    done = 0  # where the last dump's lines ended: a `COPY` line among them is one of its rows
    for m in _COPY.finditer(text):
        if m.start() < done:
            continue
        labels = _labels(m[1])
        pos = m.end()
        while True:
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end].rstrip("\r")
            if line == "\\." or not line:
                break
            cells, at = [], pos
            for cell in line.split("\t"):
                cells.append((at, at + len(cell)) if cell != "\\N" else (at, at))
                at += len(cell) + 1
            yield from _named(labels, cells)
            pos = end + 1
            if pos > len(text):
                break
        done = pos


# ------------------------------------------------------------------------------------------ HTML
def _html_pairs(text: str) -> Iterator[tuple[str, int, int]]:
    """Each `<td>` cell with the text of the `<th>` cell above it: the last row of header cells only is
    the header; a cell holding markup is left to the markup view."""
    header: list[str] = []
    row: list[tuple[str, int, int]] = []  # (tag, start, end) of the row's cells
    cell: tuple[str, int] | None = None  # an open cell: its tag, where its content starts

    def finish() -> Iterator[tuple[str, int, int]]:
        nonlocal header
        if row and all(tag == "th" for tag, _, _ in row):
            header = [text[a:b].strip() for _, a, b in row]
        elif row and header:
            spans = [(a, b) for _, a, b in row]
            yield from _named(header, _stripped_cells(text, spans))
        row.clear()

    for m in _HTML_TAG.finditer(text):
        closing, tag = m[1] == "/", m[2].lower()
        if cell is not None:  # any tag of the layout ends an open cell (`</td>`, or an unclosed `<td>`)
            a = cell[1]
            row.append((cell[0], a, m.start() if "<" not in text[a : m.start()] else a))
            cell = None
        if tag in ("th", "td"):
            if not closing:
                cell = (tag, m.end())
        else:
            yield from finish()
            if tag == "table":
                header = []
    yield from finish()


def _stripped_cells(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append((a, b))
    return out
