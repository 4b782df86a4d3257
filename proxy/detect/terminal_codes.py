"""Terminal control sequences (ECMA-48) read past, the way a terminal shows the text.

Tool output from command-line programs and log pipelines carries colour and cursor codes:
`123-\\e[1m45\\e[0m-6789` prints as an SSN in any terminal, yet to a pattern the `[1m` between its digits
breaks it. The view drops each whole sequence (not only its ESC, which the control-character pass already
removes, leaving `[1m` behind):

- CSI: ESC `[` (or the 8-bit C1 byte U+009B), parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one
  final byte 0x40–0x7E (SGR colours, cursor moves, erase);
- control strings: OSC (ESC `]`, U+009D: titles, OSC 8 hyperlinks), DCS (ESC `P`, U+0090), SOS (ESC `X`,
  U+0098), PM (ESC `^`, U+009E), APC (ESC `_`, U+009F), up to their terminator: ST (ESC `\\`, U+009C) or
  BEL, or the end of the text for one left open (a terminal hides what follows it as well);
- the other escapes: ESC, intermediate bytes, one final byte 0x30–0x7E (`ESC ( B`, `ESC 7`, `ESC =`).

What a control string carries is dropped with it: a terminal never shows it, so neither does that view, and
the original characters it covers go with whatever span they fall in. A client shows the string as written,
though, so what a control string carries (an OSC 8 link's target, a window title) is read in a second view:
each string's payload between blanks, its introducer and terminator gone (a terminator removed outright would
glue the target to the link's text: `…?q=2a02::5e2\\aopen`).

A backspace moves the cursor back one cell and the next character overwrites it (`4\\b4111…` shows
`4111…`; `9\\b4` shows `4`): nroff's bold (`X\\bX`) and underline (`_\\bX`, `X\\b_`) are the same overstrike,
and a pager shows the character under an underscore, so an underscore struck over a character (or under it)
leaves that character. The control-character pass alone drops each backspace and keeps both characters
(`44111…`).
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, replace_ranges, rewrite
from proxy.detect.views import normalize

_CSI = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
_STRING = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])([^\x07\x1b\x9c]{0,4096})(?:\x07|\x1b\\|\x9c|$)"
_OTHER = r"\x1b[\x20-\x2f]*[\x30-\x7e]"
SEQUENCE = re.compile(f"{_CSI}|{_STRING}|{_OTHER}")
_CONTROL_STRING = re.compile(_STRING)
_TRIGGER = re.compile(r"[\x08\x1b\x90\x98\x9b-\x9f]")


def may_hold(text: str) -> bool:
    """Whether `text` has an ESC or an 8-bit sequence introducer (cheap: one C-speed scan)."""
    return _TRIGGER.search(text) is not None


def overstruck(view: View) -> View:
    """`view` as a terminal shows its backspaces (module doc): each moves back one cell of the line (never
    past its start) and the next character takes the cell, an underscore leaving the character it strikes.
    A cell struck twice maps back to all it was written as."""
    text = view.text
    if "\x08" not in text:
        return view
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    line = cursor = 0
    for i, c in enumerate(text):
        if c == "\x08":
            cursor = max(line, cursor - 1)
            continue
        if c in "\r\n":  # a line ends where its text does, wherever the cursor stood
            chars.append(c)
            starts.append(i)
            ends.append(i + 1)
            cursor = line = len(chars)
            continue
        if cursor < len(chars):
            if c != "_" or chars[cursor] == "_":
                chars[cursor] = c
            ends[cursor] = i + 1
            cursor += 1
            continue
        chars.append(c)
        starts.append(i)
        ends.append(i + 1)
        cursor = len(chars)
    shown = View("".join(chars), starts, ends)
    if view.starts is not None and view.ends is not None:
        outer_s, outer_e = view.starts, view.ends
        shown = View(shown.text, [outer_s[i] for i in starts], [outer_e[i - 1] for i in ends])
    return shown


def read(view: View) -> View:
    """`view` with every terminal control sequence removed (mapped back to the characters it covered)."""
    return rewrite(view, SEQUENCE, lambda _m: "")


def terminal_views(text: str) -> list[View]:
    """The normalized views of `text` as a terminal shows it and with its control strings' payloads set
    apart (module doc); none if it has no control sequence."""
    if not may_hold(text):
        return []
    out = []
    shown = read(View(text))
    if "\x08" in text:
        shown = overstruck(shown)
    if not shown.identity:
        out.append(normalize(shown))
    if _CONTROL_STRING.search(text) is not None:
        carried = replace_ranges(
            View(text),
            ((m.start(), m.end(), f" {m.group(1)} ") for m in _CONTROL_STRING.finditer(text)),
        )
        out.append(normalize(carried))
    return out
