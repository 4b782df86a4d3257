"""Punctuation a writer wrapped so that nothing would read it as an address: `81[.]223[.]231[.]174`,
`jane(@)acme(.)com`, `fe80[:]1`, `host [dot] example`, `145\\.246\\.127\\.253`.

Threat reports "defang" indicators this way so that a mail client or browser does not make them live;
a backend uses it to slip a value past a pattern that wants the bare punctuation. The class is one shape:
a `.`, `@` or `:` (or the word `dot`) inside brackets of any kind or behind a backslash, between two
letters or digits, with at most two spaces inside or around it; or the word `dot` between two digits
(`208 dot 125 dot 122 dot 194`: an address's `dot` between letters is `views`' spelled-out email). The
view reads it as the punctuation it wraps.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

_WRAPPED = r"(?:[.@:]|dot|DOT|Dot)"
_DEFANGED = re.compile(
    r"(?<=[^\W_]) {0,2}(?:\[ {0,2}" + _WRAPPED + r" {0,2}\]|\( {0,2}" + _WRAPPED + r" {0,2}\)"
    r"|\{ {0,2}" + _WRAPPED + r" {0,2}\}|< {0,2}" + _WRAPPED + r" {0,2}>) {0,2}(?=[^\W_])"
    r"|(?<=[^\W_])\\([.@:])(?=[^\W_])"  # escaped: `145\.246\.127\.253`
    r"|(?<=\d) {1,2}(?:dot|DOT|Dot) {1,2}(?=\d)"  # spelled between digits: `208 dot 125`
)
# Two scans, each led by a character the engine's fast scan can skip to (a bracket or a backslash; the
# space before a spelled `dot`): one alternation of both is several times slower on digit-heavy text.
DEFANGED_TRIGGERS = (
    re.compile(r"[\[({<](?= {0,2}(?:[.@:]|[dD][oO][tT]) {0,2}[\])}>])|\\[.@:]"),
    re.compile(r" [dD][oO][tT] {1,2}\d"),
)


def defanged(text: str) -> bool:
    return any(t.search(text) is not None for t in DEFANGED_TRIGGERS)


def _punctuation(wrapped: str) -> str:
    inner = wrapped.strip(" [](){}<>\\")
    return "." if inner.lower() == "dot" else inner


def undefang(view: View) -> View:
    """`view` with every wrapped punctuation read as itself (module doc)."""
    return rewrite(view, _DEFANGED, _punctuation)
