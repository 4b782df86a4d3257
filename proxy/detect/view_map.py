"""A view's text and its map back to the original characters (`View`), and the edits that compose maps.

Kept apart from the views themselves (`views`, `spaced`, `defanged`) so that each rewrite lives in a module
of its own and imports only this.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import regex


class View:
    """`text` and, for its character i, the original range [starts[i], ends[i])."""

    __slots__ = ("ends", "starts", "text")

    def __init__(self, text: str, starts: list[int] | None = None, ends: list[int] | None = None) -> None:
        self.text = text
        self.starts = starts
        self.ends = ends

    @property
    def identity(self) -> bool:
        return self.starts is None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original range a view range [start, end) came from (characters removed inside it included)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def rewrite(view: View, pattern: re.Pattern[str] | regex.Pattern[str], repl: Callable[[str], str]) -> View:
    """`view` with each match of `pattern` replaced by `repl(match)`; the same view if nothing changed.

    A replacement as long as its match maps character for character; any other maps every character it
    produced to the whole match (a decoded `%40` is the three characters it came from)."""
    return replace_ranges(view, ((*m.span(), repl(m.group())) for m in pattern.finditer(view.text)))


def replace_ranges(view: View, replacements: Iterable[tuple[int, int, str]]) -> View:
    """`view` with each range [s, e) replaced by its new text (ranges in order, not overlapping), mapped
    back as `rewrite` maps a match."""
    text = view.text
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    changed = False
    for s, e, new in replacements:
        if new == text[s:e]:
            continue
        changed = True
        pieces.append(text[pos:s])
        starts.extend(range(pos, s))
        ends.extend(range(pos + 1, s + 1))
        pieces.append(new)
        if len(new) == e - s:
            starts.extend(range(s, e))
            ends.extend(range(s + 1, e + 1))
        else:
            starts.extend([s] * len(new))
            ends.extend([e] * len(new))
        pos = e
    if not changed:
        return view
    pieces.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    if view.starts is not None and view.ends is not None:  # compose with the map the view already has
        outer_s, outer_e = view.starts, view.ends
        starts = [outer_s[i] for i in starts]
        ends = [outer_e[i - 1] for i in ends]
    return View("".join(pieces), starts, ends)
