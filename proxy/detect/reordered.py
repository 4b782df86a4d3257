"""Text written out of reading order: what a screen shows in another order, and text written backwards.

- A *bidi override* (U+202E RIGHT-TO-LEFT OVERRIDE, U+202B embedding, U+2067 isolate, up to U+202C or
  U+2069) makes a screen show the characters it covers right to left: `\\u202emoc.emca@enaj\\u202c` shows
  `jane@acme.com`. The main view drops the controls and keeps the stored order, which reads as nothing.
  `display_view` reads each override's span in the order it is shown; a value found there maps to the
  whole span (rewrite's map for a replacement of another length), which is what gets replaced.
- Text *written backwards* (`moc.emca@enaj`, `3210-555-514`, or a whole sentence) is read by a model
  asked to, or on its own. `mirrored` gives the text reversed, for the detector to scan with the
  structured recognizers only (`MIRROR_ENTITIES`: names read backwards are noise) and to map each span
  back by `flip`. Only texts with an `@` or a digit run a recognizer could match are read backwards, and
  only up to `MIRROR_MAX` characters: a reversed value is a short thing, and each reading costs a
  Presidio call. An address backwards is its own tell (only reversed does it end in a real domain), and
  a card or IBAN backwards passes its checksum only by chance (a card read so also needs a word saying
  a card is meant, as written or backwards: a long amount passes a card's checksum backwards one time in
  ten); a bare digit run backwards is just another number (`10000-42130` reads `03124-00001`, a phone
  number's shape), so a phone number, SSN or IP address is read backwards only where the text tells it is
  written so: a word saying it (`reversed`, `backwards`, `mirror`), or words of its kind that only read
  backwards (`enohp`, `nss`, `morf`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from proxy.detect.iban_trigger import IBAN_TRIGGER
from proxy.detect.spans import Span
from proxy.detect.triggers import digit_trigger_at
from proxy.detect.view_map import View, rewrite

_OVERRIDE = re.compile("[\u202e\u202b\u2067]+([^\u202c\u2069]*)[\u202c\u2069]*")
OVERRIDE_TRIGGER = re.compile("[\u202e\u202b\u2067]")
MIRROR_MAX = 2000
MIRROR_ENTITIES = frozenset(
    {"US_SSN", "CREDIT_CARD", "IBAN_CODE", "PHONE_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS"}
)
_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
MIRROR_MIN_SCORE = 0.5
CHECKSUMMED = frozenset({"CREDIT_CARD", "IBAN_CODE"})
_CHECKED = CHECKSUMMED | {"EMAIL_ADDRESS"}
_SAYS_REVERSED = re.compile(r"(?i)\b(?:revers\w*|backwards?|mirror\w*|right[ -]to[ -]left)\b")
_KINDS = ("phone", "tel", "call", "mobile", "cell", "fax", "ssn", "social", "ip", "ipv4", "login", "from",
          "host", "server", "address", "contact")  # fmt: skip
# A word of a value's kind written backwards (`enohp`, `nss`), looked for in the text as written.
_KIND_BACKWARDS = re.compile(r"(?i)\b(?:" + "|".join(w[::-1] for w in _KINDS) + r")\b")
_KIND_WORDS = re.compile(r"(?i)\b(?:" + "|".join(_KINDS) + r")\b")
# Words that say a card is meant, as written or backwards (`drac`): a card read backwards needs one.
_CARD = ("card", "cards", "visa", "mastercard", "amex", "maestro", "discover", "cc", "pan", "credit", "debit")
_CARD_WORDS = re.compile(r"(?i)(?<![a-z])(?:" + "|".join(w + "|" + w[::-1] for w in _CARD) + r")(?![a-z])")
# A card's length of digits, separators between them allowed: what a checksummed kind backwards needs.
_LONG_DIGITS = re.compile(r"\d(?:[ .\-]?\d){12}")


def display_view(text: str) -> View | None:
    """`text` with each override's span in the order a screen shows it (module doc); None if it has none."""
    if OVERRIDE_TRIGGER.search(text) is None:
        return None
    # The controls go too, and a space each side, so the shown text stands apart and maps to the whole span.
    return rewrite(View(text), _OVERRIDE, lambda span: " " + _OVERRIDE.sub(r"\1", span)[::-1] + " ")


def told(text: str) -> bool:
    """Whether `text` says it is written backwards: a word saying so, or a word of a value's kind that
    reads only backwards."""
    return _SAYS_REVERSED.search(text) is not None or (
        _KIND_BACKWARDS.search(text) is not None and _KIND_WORDS.search(text) is None
    )


def mirrored(text: str, found: Sequence[Span] = ()) -> str | None:
    """`text` backwards, if a value written backwards could be in it (module doc); else None: an address
    (an `@` that no span `found` as written covers), a checksummed number (a card's length of digits, an
    IBAN's letters at the end), or a text that says it is written backwards with a digit run in it."""
    if len(text) > MIRROR_MAX:
        return None
    at = text.find("@")
    while at >= 0:
        if not any(s.start <= at < s.end for s in found):
            return text[::-1]
        at = text.find("@", at + 1)
    if digit_trigger_at(text) < 0:
        return None
    if _LONG_DIGITS.search(text) is not None or told(text) or IBAN_TRIGGER.search(text[::-1]) is not None:
        return text[::-1]
    return None


def flip(spans: list[Span], backwards: str) -> list[Span]:
    """Spans found in `backwards` (a text read backwards), in the coordinates of the text as written; only
    the structured kinds that are certain (`MIRROR_ENTITIES` at `MIRROR_MIN_SCORE` or more)."""
    length = len(backwards)
    written = backwards[::-1]
    says = told(written)
    out = []
    for s in spans:
        if s.entity not in MIRROR_ENTITIES or s.score < MIRROR_MIN_SCORE:
            continue
        if s.entity not in _CHECKED and not says:
            continue
        if s.entity == "CREDIT_CARD" and not says and _CARD_WORDS.search(written) is None:
            continue  # digits alone: a long amount or id passes a card's checksum backwards one time in ten
        start, end = length - s.end, length - s.start
        if s.entity == "IP_ADDRESS" and _valid_quad(backwards[s.start : s.end][::-1]):
            continue  # a quad as written too: judged there, with its guards (a version stays readable)
        out.append(Span(start, end, s.entity, s.score))
    return out


def _valid_quad(text: str) -> bool:
    m = _QUAD.fullmatch(text.strip())
    return m is not None and all(int(p) <= 255 for p in text.strip().split("."))


def inside_number(text: str, start: int, end: int) -> bool:
    """Whether [start, end) of `text` is, or is part of, a number with a decimal or thousands mark."""
    if any(c in ".," for c in text[start:end]):
        return True
    before = start > 1 and text[start - 1] in ".," and text[start - 2].isdigit()
    after = end + 1 < len(text) and text[end] in ".," and text[end + 1].isdigit()
    return before or after
