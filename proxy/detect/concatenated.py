"""String literals a program joins (`"jane" + ".doe@" + "acme.com"`, `'415' || '555' || '0123'`, Lua's
`..`, PHP's `.`, Python's `("jane" ".doe@acme.com")`, `concat('a', 'b')`): read as the string they make.

A backend that cuts a value into literals slips past every recognizer, since no literal alone is the
value. The *concatenated view* replaces each chain of two or more literals by their contents joined, inside
the chain's outer quotes; every character maps back to the character it was, so a value found there
replaces the original from its first piece to its last (joiners and inner quotes included) and the code
stays code: `"[[EMAIL_ADDRESS:…]]"`.

Joiners: `+`, `||`, `..`, `.`; commas only inside a `concat(`/`CONCAT(` call; blanks alone (Python's
implicit concatenation) only after `(` or `=`, where a program and not a table of quoted fields stands
(`"12"\\t"34"` is two columns). The detector keeps only what this view finds across a chain.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View

# A literal's closing quote, a joiner, an opening quote; or a concat call: what every chain starts with.
TRIGGERS = (
    re.compile(r"['\"][ \t]*(?:\+|\|\||\.\.?)[ \t\r\n\\]*['\"]"),
    re.compile(r"(?i)concat[ \t]*\([ \t]*['\"]"),
    re.compile(r"[(=][ \t]*(?:'[^'\n]{0,200}'|\"[^\"\n]{0,200}\")[ \t]*(?:\\?\r?\n[ \t]*)?['\"]"),
)
_LIT = r"(?:'[^'\n]{0,200}'|\"[^\"\n]{0,200}\")"
_SPACE = r"[ \t]*(?:\\?\r?\n[ \t]*)?"
_OPERATOR = re.compile(rf"{_LIT}(?:{_SPACE}(?:\+|\|\||\.\.|\.){_SPACE}{_LIT})+")
_CALL = re.compile(rf"(?i)(?<=concat\()[ \t]*{_LIT}(?:{_SPACE},{_SPACE}{_LIT})+")
_IMPLICIT = re.compile(rf"(?<=[(=])[ \t]*{_LIT}(?:{_SPACE}{_LIT})+")
_LITERAL = re.compile(_LIT)


def _chains(text: str) -> list[tuple[int, int]]:
    """The chains of literals in `text`, in order, not overlapping."""
    found: list[tuple[int, int]] = []
    for pattern in (_OPERATOR, _CALL, _IMPLICIT):
        for m in pattern.finditer(text):
            a = m.start() + len(m.group()) - len(m.group().lstrip())
            found.append((a, m.end()))
    found.sort()
    out: list[tuple[int, int]] = []
    for a, b in found:
        if out and a < out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
            continue
        out.append((a, b))
    return out


def concatenated_view(text: str) -> tuple[View, list[tuple[int, int]]] | None:
    """`text` with each chain of literals read as one literal, and the chains' ranges in the view; None
    if there is none."""
    if not any(t.search(text) is not None for t in TRIGGERS):
        return None
    chains = _chains(text)
    if not chains:
        return None
    out: list[str] = []
    starts: list[int] = []
    ranges: list[tuple[int, int]] = []
    pos = 0
    size = 0
    for a, b in chains:
        out.append(text[pos:a])
        starts.extend(range(pos, a))
        size += a - pos
        begin = size
        literals = list(_LITERAL.finditer(text, a, b))
        out.append(text[a])  # the first literal's opening quote
        starts.append(a)
        for lit in literals:
            out.append(text[lit.start() + 1 : lit.end() - 1])
            starts.extend(range(lit.start() + 1, lit.end() - 1))
        out.append(text[b - 1])  # the last one's closing quote
        starts.append(b - 1)
        size = len(starts)
        ranges.append((begin, size))
        pos = b
    out.append(text[pos:])
    starts.extend(range(pos, len(text)))
    return View("".join(out), starts, [s + 1 for s in starts]), ranges
