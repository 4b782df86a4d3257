"""`<p>Douglas<br>Nakashima<br>Account Manager</p>`, `<div>Danielle</div><div>Iannucci</div>`: a name that a
line break or a block tag splits onto two lines of a mail signature.

A browser shows two lines; a name reader sees two words that a tag holds apart, and neither alone is a
name. The *name break view* reads such a boundary as a blank, but only where a name could run across it:
the line before it is a given name on a line of its own (one or two capitalised words, the first a known
given name) and the line after it starts with a capital; the line after a joined surname stays apart
(`Nakashima<br>Account Manager`). Elsewhere the tags stay a boundary (`<td>Sales</td><td>42</td>`, a
paragraph of prose). What is found across a joined boundary is kept (`crosses_break`), so a name already
read on one line is the plain view's to find; the view decides nothing about `Red<br>Blue` that text
written `Red Blue` would not.
"""

from __future__ import annotations

import regex

from proxy.detect.name_lexicon import is_first_name
from proxy.detect.view_map import View, replace_ranges
from proxy.detect.views import normalize

# A run of tags and blanks (matched whole, possessively: linear time), kept when it holds a line break or
# a block tag (inline tags may sit in it: `</b><br>`).
_BLOCK = r"(?i:br|div|p|td|th|li|tr|dd|dt|h[1-6]|section|blockquote|center|table|tbody)"
_RUN = regex.compile(r"(?:[ \t\r\n]*+<[^<>]{0,200}+>)++[ \t\r\n]*+")
_BLOCK_TAG = regex.compile(rf"</?{_BLOCK}(?:[\s/][^<>]{{0,200}}+)?>")
_GIVEN_LINE = regex.compile(r"\p{Lu}[\p{L}'’.-]{0,30}+(?: \p{Lu}[\p{L}'’.-]{0,30}+)?")
_NEXT = regex.compile(r"\p{Lu}")
_TRIGGER = regex.compile(rf"\p{{L}}[ \t]*+</?{_BLOCK}\b")


def _line_before(text: str, start: int) -> tuple[int, str]:
    """Where the line before `start` begins (after a tag or a newline), and its text."""
    begin = max(text.rfind(">", 0, start), text.rfind("\n", 0, start)) + 1
    return begin, text[begin:start].strip()


def breaks(text: str) -> list[tuple[int, int]]:
    """The tag runs a name could run across (module doc)."""
    if _TRIGGER.search(text) is None:
        return []
    out: list[tuple[int, int]] = []
    for m in _RUN.finditer(text):
        s, e = m.span()
        if s == 0 or e >= len(text) or _NEXT.match(text, e) is None or not _BLOCK_TAG.search(text, s, e):
            continue
        begin, line = _line_before(text, s)
        if out and out[-1][1] == begin:
            continue  # the line before is the surname a join already took: the role after it stays apart
        if _GIVEN_LINE.fullmatch(line) and is_first_name(line.split()[0]):
            out.append((s, e))
    return out


def name_break_view(text: str) -> tuple[View, list[tuple[int, int]]] | None:
    """The normalized view of `text` with each break a name could run across read as one blank, and the
    breaks; None if there is none."""
    found = breaks(text)
    if not found:
        return None
    return normalize(replace_ranges(View(text), ((s, e, " ") for s, e in found))), found


def crosses_break(found: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a span of the original text holds one of the joined breaks."""
    return any(start < s and e < end for s, e in found)
