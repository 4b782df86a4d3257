"""Toward the backend: a token written slightly off is refused, never forwarded as it came.

A backend never sees a token (DESIGN §1). The exact form, `[[EMAIL_ADDRESS:mlklqyfsv46tn2et]]`, is
resolved; a model may also send one altered: the entity lower-cased, fullwidth or lookalike brackets
(`［［…］］`), a zero-width character or a soft hyphen inside, HTML or percent escapes, reversed, base64 of
it, or split over two arguments. Each is still token-shaped once the text is seen through a normalized
view (escapes undone, NFKC, format characters dropped, brackets folded, any case): an entity name, a
colon and exactly the id's 16 base32 characters, bracketed on at least one side. Such a near miss does
not resolve (only the exact form does), so it is handed to detokenization under a name no token can
have and the message is refused as a malformed token (fail closed), audited as any malformed token.

Cheap: a string is looked at only if it holds a bracket (or a lookalike) or an escape that may spell one,
and only around a colon followed by an id; its base64 runs only in words long enough to hold a token.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from urllib.parse import unquote

from vault.tokens import ID_LENGTH

# The prefix a near miss is reported under: no token starts with it, so it can never resolve.
MARK = "(near-miss token) "
_BRACKETS = "［］〚〛⟦⟧【】〔〕﹝﹞❲❳⁅⁆⦋⦌⦍⦎⦏⦐"
_FOLD = {ord(c): "[" if i % 2 == 0 else "]" for i, c in enumerate(_BRACKETS)}
# A token takes 22 characters at least, 32 in base64; a run of 28 may hold one written from mid-triplet.
_B64_RUN = re.compile(r"[A-Za-z0-9+/_-]{28,}={0,2}")
_TRIGGER = re.compile(r"[\[\]" + _BRACKETS + r"]|&(?:#|lsqb|rsqb|lbrack|rbrack)|%5[BbDd]", re.IGNORECASE)
_B64_MIN = 28
_ID = r"[A-Za-z2-7]{" + str(ID_LENGTH) + r"}(?![A-Za-z0-9])"
_ENTITY = r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]{0,47}"
# Bracketed on at least one side: `[email_address:…`, `…:mlklqyfsv46tn2et]`.
NEAR_RE = re.compile(rf"\[\s*{_ENTITY}\s*:\s*{_ID}|{_ENTITY}\s*:\s*{_ID}\s*\]")
# What every near miss holds, found from its colon (a fast literal search): the id after it. Read in the
# reversed text too, this finds an id before a colon.
_COLON_ID = re.compile(rf":\s*{_ID}")
_MAX_DECODED = 1 << 20  # characters of base64 decoded per string: beyond, a blob is no argument text


def _without_format(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def view(text: str) -> str:
    """The text as a reader of tokens sees it (the caller has blanked its exact tokens, which resolve):
    escapes undone, NFKC, format characters dropped, lookalike brackets folded to `[` and `]`."""
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = unquote(text)
    return _without_format(text)


def _decoded(text: str) -> Iterator[str]:
    """The text of every base64 run of the string (standard or URL-safe alphabet, any padding)."""
    budget = _MAX_DECODED
    # Only the words long enough to hold one (a C-speed split first: scanning prose for runs is slow).
    if len(text) < _B64_MIN:
        return
    words = text.split()
    if max(map(len, words), default=0) < _B64_MIN:
        return
    words = [w for w in words if len(w) >= _B64_MIN]
    for m in (m for w in words for m in _B64_RUN.finditer(w)):
        run = m.group(0).rstrip("=")
        if len(run) > budget:
            return
        budget -= len(run)
        for shift in range(4):  # the run may start mid-quad (a token inside a longer base64 text)
            part = run[shift:]
            part = part[:-1] if len(part) % 4 == 1 else part
            part += "=" * (-len(part) % 4)
            try:
                raw = base64.b64decode(part.replace("-", "+").replace("_", "/"), validate=True)
            except (binascii.Error, ValueError):
                continue
            yield raw.decode("utf-8", "replace")


def _near(seen: str) -> list[str]:
    """The token shapes in a normalized view, looked for only around a colon followed by an id."""
    return [MARK + m.group(0) for c in _COLON_ID.finditer(seen) for m in _window_matches(seen, c)]


def near_misses(text: str) -> list[str]:
    """Every token-shaped near miss in one string whose exact tokens the caller blanked, reported as
    `MARK` + what was read."""
    found = []
    if _TRIGGER.search(text):
        seen = view(text)
        found = _near(seen)
        if "]" in seen:
            found.extend(_near(seen[::-1]))
    for decoded in _decoded(text):
        if ":" in decoded and _TRIGGER.search(decoded):  # most runs decode to no text at all
            found.extend(_near(_without_format(decoded)))
    return found


def split_near_misses(strings: Sequence[str], blanked: Sequence[str]) -> dict[str, list[str]]:
    """A token split over several strings (two arguments, two list items): the strings (`blanked`: with
    their exact tokens blanked), in document order, read joined; a token shape that spans more than one
    of them is reported under each string it touches."""
    if len(strings) < 2:
        return {}
    views = [view(s) if _TRIGGER.search(s) or not s.isascii() else s for s in blanked]
    joined = "".join(views)
    if "[" not in joined and "]" not in joined:
        return {}
    ends, at = [], 0
    for v in views:
        at += len(v)
        ends.append(at)
    out: dict[str, list[str]] = {}
    spans = [m.span() for c in _COLON_ID.finditer(joined) for m in _window_matches(joined, c)]
    for start, end in dict.fromkeys(spans):
        touched = [
            i for i, stop in enumerate(ends) if views[i] and stop > start and stop - len(views[i]) < end
        ]
        if len(touched) > 1:
            for i in touched:
                out.setdefault(strings[i], []).append(MARK + joined[start:end])
    return out


def _window_matches(joined: str, colon: re.Match[str]) -> Iterator[re.Match[str]]:
    """The token shapes around one colon-and-id of the joined text, with positions in the joined text."""
    return NEAR_RE.finditer(joined, max(0, colon.start() - 52), colon.end() + 3)
