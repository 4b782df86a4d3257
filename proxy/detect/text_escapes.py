"""Characters written as a name or in UTF-7: `\\N{COMMERCIAL AT}` (Python's named escape, any name
`unicodedata` knows) and UTF-7 runs (`+AEA-` is `@`), what a backend writes to slip an `@` or a whole value
past a pattern that wants the character itself.

Both are local encodings: each escape or run is read in place as the characters it names, so a value found
around it (`jane+AEA-acme.com`) maps back to exactly the escape, which is then replaced with the rest. A
name `unicodedata` does not know, or a run that is no UTF-7, stays as written. UTF-7 runs are read only with
their closing `-` (a bare `+1415…` is a phone number, not UTF-7).
"""

from __future__ import annotations

import re
import unicodedata

from proxy.detect.view_map import View, rewrite

_ESCAPES = re.compile(r"\\N\{[A-Za-z0-9][A-Za-z0-9 \-]{1,88}\}|\+[A-Za-z0-9+/]{2,120}-")
TRIGGERS = (re.compile(r"\\N\{"), re.compile(r"\+[A-Za-z0-9+/]{2,120}-"))


def may_hold(text: str) -> bool:
    return any(t.search(text) is not None for t in TRIGGERS)


def _read(escape: str) -> str:
    if escape[0] == "\\":
        try:
            return unicodedata.lookup(escape[3:-1])
        except KeyError:
            return escape
    return _utf7(escape)


def _utf7(run: str) -> str:
    """A UTF-7 run as its text; one that is none from its first `+` may be from a later one: `+` also
    joins an address's tag (`ron+c+AHI-`), so the run is read from its last `+` and what precedes it kept."""
    try:
        text = run.encode("ascii").decode("utf-7")
    except UnicodeDecodeError:
        text = ""
    if text and text.isprintable():
        return text
    cut = run.rfind("+")
    return run[:cut] + _utf7(run[cut:]) if cut > 0 else run


def escapes_view(text: str) -> View | None:
    """`text` with each named escape and UTF-7 run read as its characters; None if it has none."""
    if not may_hold(text):
        return None
    view = rewrite(View(text), _ESCAPES, _read)
    return None if view.identity else view
