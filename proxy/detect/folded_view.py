"""Values cut by a folded line: `EMAIL:jane.doe@exa\r\n mple.com`, `TEL:+1 415\r\n 555 0134`.

vCard (RFC 6350), iCalendar (RFC 5545) and mail headers (RFC 5322) fold a long line by breaking it and
starting the continuation with one space or tab; every reader of those formats unfolds it first, so a value
cut anywhere by a fold is read whole. A pattern over the text sees two pieces. The *folded views* remove
each line break followed by one blank that sits between two characters of a value (a word character, one
of `@ . + - ( )` or a name's apostrophe: `O'\r\n Brien`), and, after a CRLF, one beside a blank (a header
folded between two words): indented JSON,
YAML and prose (a break after a comma or a colon, two blanks or more) keep their lines. A fold between two
characters is read both ways, joined (vCard) and as a blank (a mail header). Like the glued view, joining
may join two words, so only what is certain without a word boundary is kept from it
(`glued.GLUED_ENTITIES`), and a person name only where it crosses a fold (`FN:Jo Osborne-Zopp\r\n etto`).
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, replace_ranges
from proxy.detect.views import normalize

_VALUE_CHARS = r"[\w@.+\-()'’]"
# For the detector's batch pre-scan (a literal first: the engine's fast scan skips to it); the character
# before the break is checked by the view.
FOLD_TRIGGER = re.compile(r"\n[ \t](?=" + _VALUE_CHARS + r")|\r\n[ \t]")
_FOLD = re.compile(r"\r?\n[ \t]")
_VALUE = re.compile(_VALUE_CHARS)


def folded_views(text: str) -> list[View]:
    """The normalized views of `text` unfolded (module doc): each fold removed with its blank (vCard and
    iCalendar: `jane@exa\r\n mple.com`), and each fold's line break alone (a mail header keeps the blank:
    `Laurie\r\n O'Connor`); none if there is no fold. Folds go first: the view unifies a break between
    digits into a separator (`042\n 061` reads `042-061`), which would leave a card cut in two."""
    if "\n" not in text:
        return []
    joined: list[tuple[int, int, str]] = []
    broken: list[tuple[int, int, str]] = []
    for m in _FOLD.finditer(text):
        at, end = m.start(), m.end()
        before = text[at - 1 : at]
        after = text[end : end + 1]
        inside = _VALUE.fullmatch(before) is not None and _VALUE.fullmatch(after) is not None
        # A mail header folds at a blank (`From: Kathrin \r\n\tHartung`): unfolded, one blank stays between
        # the words. Only after CRLF, the line end of those formats: YAML and indented JSON keep their lines.
        at_blank = m[0][0] == "\r" and before not in ("", "\n") and (before in " \t" or after in (" ", "\t"))
        if inside or at_blank:  # beside a blank, the fold goes whole: one blank stays either way
            joined.append((at, end, ""))
            broken.append((at, end - 1 if inside else end, ""))
    out = [normalize(replace_ranges(View(text), joined))] if joined else []
    if broken != joined:
        out.append(normalize(replace_ranges(View(text), broken)))
    return out
