"""The judge's readings of the layouts in `tests.classes.layouts`, written without the product's code:

- a column of short items (one to three characters a line, in list, quote, array or table markup), read
  as the line its items spell;
- string literals a program concatenates (`+`, `||`, `..`, `.`, commas of a call, juxtaposed), read as the
  string they make.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_BULLET = re.compile(r"^\s*(?:[-*•+–>]\s+|\d{1,4}[.):]\s+)")
_QUOTED = re.compile(r"^(['\"`])(.*)\1$")
_SEPARATOR_CELL = re.compile(r"^(?::?-{2,}:?|:-+:?|-+:)$")  # `-` alone is a cell holding a dash
_LITERAL = r"(?:'[^'\n]*'|\"[^\"\n]*\")"
_CHAIN = re.compile(rf"{_LITERAL}(?:\s*(?:\+|\|\||\.\.|\.|,|\\)?\s*{_LITERAL})+")


def _item(line: str, markup: bool, column: int) -> str | None:
    """What a line of a column holds, or None when it is no short item."""
    s = line.strip()
    if not markup:
        return s if 0 < len(s) <= 3 else None
    if s.startswith("|") and s.endswith("|") and len(s) > 1:
        cells = [c.strip() for c in s[1:-1].split("|")]
        s = cells[column] if -len(cells) <= column < len(cells) else ""
        if _SEPARATOR_CELL.match(s):
            return None
    else:
        s = _BULLET.sub("", s).rstrip(",;").strip()
        m = _QUOTED.match(s)
        if m:
            s = m.group(2)
    return s if len(s) <= 3 else None


def _columns(text: str, markup: bool, column: int = -1, word_apart: bool = False) -> str | None:
    """`text` with each run of four or more short items read as one line (blank lines inside skipped);
    with `word_apart`, a last item that is a word (`end`, `ok`) read on its own line, as a reader who sees
    the value stop before it does."""
    out: list[str] = []
    run: list[str] = []
    found = False

    def flush() -> None:
        nonlocal found
        if len(run) >= 4:
            found = True
            tail = run.pop() if word_apart and run[-1].isalpha() and len(run[-1]) >= 2 else ""
            out.append("\n" + "".join(run) + "\n" + tail + "\n")
        else:
            out.extend("\n" + r + "\n" for r in run)
        run.clear()

    for line in text.splitlines():
        if not line.strip():
            continue
        item = _item(line, markup, column)
        if item is None:
            flush()
            out.append("\n" + line + "\n")
        else:
            run.append(item)
    flush()
    return "".join(out) if found else None


def _joined_literals(m: re.Match[str]) -> str:
    return "".join(x[1:-1] for x in re.findall(_LITERAL, m.group()))


_DIGIT_ROW = re.compile(r"(?m)^[ \t]*\|?[ \t]*\d(?:[ \t]*[|,;\t][ \t]*\d){5,}[ \t]*\|?[ \t]*$")


def readings(text: str) -> Iterator[str]:
    """The text as a reader of these layouts reads it (module doc); nothing when it holds none."""
    if "\n" in text:
        for markup, column in ((True, -1), (False, -1), (True, 0)):  # a table: its last or first column
            for word_apart in (False, True):
                col = _columns(text, markup, column, word_apart)
                if col is not None:
                    yield col
    if _CHAIN.search(text):
        yield _CHAIN.sub(_joined_literals, text)
    if _DIGIT_ROW.search(text):  # a row of one digit per cell, read across
        yield _DIGIT_ROW.sub(lambda m: " " + "".join(c for c in m.group() if c.isdigit()) + " ", text)
