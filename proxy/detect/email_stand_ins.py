"""An email address with its `@` written as a look-alike or with RFC 5322 comments in it:
`jane.doeⓐacme.com`, `jane(ä)acme.com`, `jane[á]acme.com`, `jane.doe(work)@acme.com`, `jane@(hq)acme.com`.

A mail server reads a comment as nothing, and a person reads a circled or accented `a` between an
address's two halves as its `@`; a pattern that wants the bare address reads neither. The class is one
shape: a letter that is an `a` under its marks or enclosure (`unicodedata`'s decomposition) standing alone
between the halves (circled or parenthesized forms only: `Bäckerei.de` is a word), or any such `a`
(plain ones too) inside brackets; a comment is a parenthesized word glued to an `@`. The halves must be
glued to it and the second must look like a domain (a dot and letters), so `item (a) foo.bar` and
`option(a)` are not read as addresses. The view reads each stand-in as `@` and each comment as nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from proxy.detect.view_map import View, rewrite

_COMMENT = r"\([^()\s@]{1,40}\)"
_LOCAL_END = r"(?<=[A-Za-z0-9._%+\-])"
_DOMAIN_AHEAD = r"(?=[A-Za-z0-9\-]{1,63}\.[A-Za-z])"
TRIGGERS = (
    re.compile(r"\)@|@\("),
    re.compile(r"[\[({<][^\x00-\x7f]|[\[({<][aA][\])}>]|[\u2460-\u24ff\U0001f100-\U0001f1ff]"),
)


def _a_like(c: str) -> bool:
    marks = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in marks if ch not in "()" and not unicodedata.combining(ch))
    return base in ("a", "A")


@cache
def _pattern() -> re.Pattern[str]:
    """Built once, on first use: every `a` under marks, and the enclosed ones that stand alone."""
    ranges = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00), *range(0x2460, 0x2500), *range(0x1F100, 0x1F200)]
    marked = [chr(c) for c in ranges if _a_like(chr(c))]
    enclosed = [c for c in marked if unicodedata.decomposition(c).startswith(("<circle>", "<compat>"))]
    enclosed += ["\U0001f130", "\U0001f150", "\U0001f170"]  # squared and negative forms: no decomposition
    bracketed = "aA" + "".join(marked)
    stand_in = (
        rf"[{''.join(enclosed)}]|\[\s?[{bracketed}]\s?\]|\(\s?[{bracketed}]\s?\)"
        rf"|\{{\s?[{bracketed}]\s?\}}|<\s?[{bracketed}]\s?>"
    )
    return re.compile(
        rf"{_LOCAL_END}(?:{stand_in}){_DOMAIN_AHEAD}"
        rf"|{_LOCAL_END}{_COMMENT}(?=@)|(?<=@){_COMMENT}(?=[A-Za-z0-9])"
    )


def may_hold(text: str) -> bool:
    return any(t.search(text) is not None for t in TRIGGERS)


def _read(found: str) -> str:
    """A stand-in (one `a`-like letter, bracketed or enclosed) is the `@`; anything else is a comment."""
    inner = found.strip("()[]{}<> ")
    return "@" if len(inner) == 1 and _a_like(inner) else ""


def stand_ins_view(text: str) -> View | None:
    """`text` with each look-alike `@` read as `@` and each comment in an address dropped; None if none."""
    if not may_hold(text):
        return None
    view = rewrite(View(text), _pattern(), _read)
    return None if view.identity else view
