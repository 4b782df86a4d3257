"""Text smuggled in invisible characters: read as the text it carries.

Two Unicode blocks carry data that a screen shows as nothing but a model reads, and that the main view
removes as invisible (so a value written in them would vanish from every view, not be found):

- tag characters (U+E0020–U+E007E) mirror printable ASCII one for one: `jane@…` written +0xE0000 is an
  invisible `jane@…`, a known prompt-injection and exfiltration channel;
- variation selectors (U+FE00–U+FE0F and U+E0100–U+E01EF) number 256, so a run of them after any visible
  character is a byte string (selector i is byte i), usually UTF-8 text.

These views read a run of them (other invisible characters slipped between them included) as the UTF-8
text of the bytes it carries, set apart from its neighbours by spaces (`smuggled_views`). A value found
there maps back to the whole run, which is what gets replaced: the run is invisible, and a part of it is no
smaller secret.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import regex

from proxy.detect.view_map import View, rewrite
from proxy.detect.views import invisible_class, normalize

_CARRIERS = "\U000e0020-\U000e007e\ufe00-\ufe0f\U000e0100-\U000e01ef"
_CARRIER = re.compile(f"[{_CARRIERS}]")
# What only smuggling writes: a tag character, or a selector of the supplementary block (printable ASCII is
# bytes 0x20-0x7E, so text carried in selectors always uses it). An emoji's own U+FE0F is not enough: it is
# in most emoji text, and reading every such text four more ways would cost every message with one.
TRIGGER = re.compile("[\U000e0020-\U000e007e\U000e0100-\U000e01ef]")
_DEPTH = 3  # runs that carry runs (tag characters written as variation-selector bytes)


@cache
def _run() -> regex.Pattern[str]:
    """A run of carriers, with other invisible characters slipped between them (zero-width, bidi, fillers)."""
    return regex.compile(f"(?V1)[{_CARRIERS}](?:[{_CARRIERS}]|{invisible_class()})*+")


def _byte(ch: str, tags: bool, selectors: bool) -> int | None:
    """The byte a carrier stands for (a tag character's ASCII code, a variation selector's number), or None
    for a character read as carrying nothing."""
    cp = ord(ch)
    if 0xE0020 <= cp <= 0xE007E:
        return cp - 0xE0000 if tags else None
    if 0xFE00 <= cp <= 0xFE0F:
        return cp - 0xFE00 if selectors else None
    if 0xE0100 <= cp <= 0xE01EF:
        return cp - 0xE0100 + 16 if selectors else None
    return None


def _reader(tags: bool, selectors: bool) -> Callable[[str], str]:
    def read(run: str) -> str:
        """A run as the UTF-8 text its bytes spell, set apart by spaces (no part of the word before it)."""
        raw = bytes(b for b in (_byte(c, tags, selectors) for c in run) if b is not None)
        return " " + raw.decode("utf-8", errors="replace").replace("\ufffd", " ") + " "

    return read


def _in_place(ch: str) -> str:
    b = _byte(ch, True, True)
    return chr(b) if b is not None else ch


def smuggled_views(text: str) -> list[View]:
    """The views of `text` with the text its carriers smuggle read back; none if it has no carrier.

    A run mixing both kinds is ambiguous (a selector slipped between tag characters may carry a byte or
    nothing), so it is read three ways: every carrier, tag characters only, selectors only. A fourth view
    reads each carrier in place, one for one, so a value whose other characters are visible but written in
    another form (fullwidth digits between tag characters) is whole again once normalized. A run whose text
    is itself carriers is read again, up to `_DEPTH` times."""
    if text.isascii() or TRIGGER.search(text) is None:
        return []
    out: list[View] = []
    frontier = [View(text)]
    for _ in range(_DEPTH):
        nxt: list[View] = []
        for view in frontier:
            for read in (_reader(True, True), _reader(True, False), _reader(False, True)):
                nxt.append(rewrite(view, _run(), read))
            nxt.append(rewrite(view, _CARRIER, _in_place))
        fresh = [normalize(v) for v in nxt if not v.identity]
        out += fresh
        frontier = [v for v in nxt if not v.identity and TRIGGER.search(v.text) is not None][:4]
        if not frontier:
            break
    return out
