"""Delimited text read as a table: its delimiter, its cells with their offsets, and whether its header
names a person column (`name_header`, the prefilter's cheap test; free of Presidio)."""

from __future__ import annotations

import re

from proxy.detect.name_keys import is_name_key

_DELIMITERS = ",\t;|"
_HEADER_CHARS = 400
MAX_ROWS = 5_000
MAX_CELL = 64
# A quoted field may have blanks around its quotes, never the delimiter itself: a tab-separated line's
# `"SSN"\t"Phone"` is two fields.
_PAD = {d: "[ ]*" if d == "\t" else "[ \t]*" for d in _DELIMITERS}
_FIELD = {d: re.compile(rf'{_PAD[d]}"(?:[^"]|"")*"{_PAD[d]}|[^{re.escape(d)}\n"]*') for d in _DELIMITERS}


def delimiter(header: str) -> str | None:
    counts = [(header.count(d), d) for d in _DELIMITERS]
    n, d = max(counts)
    return d if n >= 1 else None


def cells(line: str, start: int, delimiter: str) -> list[tuple[int, int]]:
    """Each field of a delimited line as a (start, end) range of the text, quotes excluded."""
    out: list[tuple[int, int]] = []
    pos = 0
    field = _FIELD[delimiter]
    while pos <= len(line):
        m = field.match(line, pos)
        end = m.end() if m else pos
        s, e = pos, end
        raw = line[s:e]
        stripped = raw.strip(" \t\r")
        if stripped.startswith('"') and stripped.endswith('"') and len(stripped) >= 2:
            s = s + raw.index('"') + 1
            e = s + len(stripped) - 2
        else:
            s += len(raw) - len(raw.lstrip(" \t"))
            e -= len(raw) - len(raw.rstrip(" \t\r"))
        out.append((start + s, start + max(s, e)))
        if end >= len(line) or line[end] != delimiter:
            break
        pos = end + 1
    return out


def name_header(text: str) -> bool:
    """The cheap test: the first line is a delimited header with a name key among its fields."""
    header = text[: text.find("\n")] if "\n" in text else ""
    if not header or len(header) > _HEADER_CHARS:
        return False
    d = delimiter(header)
    return d is not None and any(is_name_key(f.strip(' "\r')) for f in header.split(d) if f.strip(' "\r'))
