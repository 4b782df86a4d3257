"""Names inside encoded layers the general decoders leave unreadable to the name recognizers.

* A form body writes a space as `+` (`note=Please+call+Maria+Gonzalez&ok=1`, `owner:+Emmy+Drewes`): the
  percent decoder leaves the `+`, and a name whose words are glued by it is one word to every name
  recognizer; the `&` that ends its field is glued to its last word too. `plus_as_space` gives the view
  with each such `+` read as a space and each field's `key=` (after the start, `?` or `&`) as a line
  break: every value on a line of its own, as a name standing alone in a field is.
* A name is short: base64 of `Eunji Kim` is 12 characters, under the 16 the general base64 scan needs
  (`decoders.MIN_BASE64`, set so ordinary identifiers are not decoded). `short_base64_names` decodes a
  whole short run (8 to 15 characters, standing alone) only to ask whether it is a name standing alone;
  random identifiers rarely decode to UTF-8 text at all, and never to a name. Cut into chunks
  (`SmVz c2Ug TWlt dW4=`), the general scan finds the run but declines a short text with no value shape;
  `chunked_base64_name` asks the same question of it.
* A form value is a run of the base64 alphabet (`Please+call+Jesse+Mimun+tomorrow`): `reads_as_words`
  tells it from an opaque run, whose letters the detector treats as noise.
"""

from __future__ import annotations

import binascii
import re

from proxy.detect.name_standalone import standalone_name
from proxy.detect.view_map import View, rewrite

# `+` before a letter, after a letter or punctuation (`owner:+Emmy`); not a phone's leading `+` after a space.
_FORM_SEPARATORS = re.compile(r"(?<=[^\W\d_]|[:;,.!?)])\+(?=[^\W\d_])|(?:^|[?&])[\w.%-]{1,40}=")
_SHORT_BASE64 = re.compile(r"(?<![\w+/=-])[A-Za-z0-9+/_-]{8,15}={0,2}(?![\w+/=-])")
_URLSAFE = str.maketrans("-_", "+/")
_WHITESPACE = str.maketrans("", "", " \t\r\n")
# Words glued by `+` (each a lowercase or capitalised word, or a number): base64 noise splits so by chance
# in fewer than one run of a thousand, as three words or more.
_PLUS_WORDS = re.compile(r"(?:[A-Za-z]?[a-z]+|\d+)(?:\+(?:[A-Za-z]?[a-z]+|\d+)){2,}")


def plus_as_space(view: View) -> View | None:
    """`view` with each `+` between letters read as a space, each field's `key=` as a line break; None if
    it has no `+`."""
    if "+" not in view.text:
        return None
    spaced = rewrite(view, _FORM_SEPARATORS, lambda s: " " if s == "+" else "\n")
    return None if spaced is view else spaced


def short_base64_names(text: str) -> list[tuple[int, int]]:
    """The [start, end) of each short base64 run in `text` that encodes a name standing alone."""
    if len(text) < 8:
        return []
    out = []
    for m in _SHORT_BASE64.finditer(text):
        decoded = _decode(m.group())
        if decoded is not None and " " in decoded and standalone_name(decoded.strip()):
            out.append(m.span())
    return out


def chunked_base64_name(run: str) -> bool:
    """Whether a base64 run cut by spaces or line breaks, short once joined, encodes a name standing alone."""
    body = run.translate(_WHITESPACE)
    if body == run or not 8 <= len(body) <= 17:
        return False
    decoded = _decode(body)
    return decoded is not None and " " in decoded and standalone_name(decoded.strip())


def reads_as_words(run: str) -> bool:
    """Whether a run of the base64 alphabet is words glued by `+`: a form value, not an opaque run."""
    return _PLUS_WORDS.fullmatch(run) is not None


def _decode(run: str) -> str | None:
    body = run.rstrip("=").translate(_URLSAFE)
    if len(body) % 4 == 1:
        return None
    try:
        raw = binascii.a2b_base64(body + "=" * (-len(body) % 4), strict_mode=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return text if text.isprintable() else None
