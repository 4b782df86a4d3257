"""Toward the backend: a token written slightly off is refused, never forwarded as it came.

A backend never sees a token (DESIGN §1). The exact form, `[[EMAIL_ADDRESS:mlklqyfsv46tn2et]]`, is
resolved; a model may also send one altered: the entity lower-cased, fullwidth or lookalike brackets
(`［［…］］`), a zero-width character or a soft hyphen inside, HTML or percent escapes, reversed, base64 of
it, or split over two arguments. Each is still token-shaped once the text is seen through a normalized
view (escapes undone, NFKC, format characters dropped, brackets folded, any case): an entity name, a
colon and exactly the id's 16 base32 characters, bracketed on at least one side. Such a near miss does
not resolve (only the exact form does), so it is handed to detokenization under a name no token can
have and the message is refused as a malformed token (fail closed), audited as any malformed token.

Cheap: a string is looked at only if it holds a bracket (or a lookalike), an escape that may spell one,
or a base64 run long enough to hold a token.
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
_TRIGGER = re.compile(
    r"[\[\]" + _BRACKETS + r"]|&(?:#|lsqb|rsqb|lbrack|rbrack)|%5[BbDd]|[A-Za-z0-9+/_-]{28,}", re.IGNORECASE
)
_ID = r"[A-Za-z2-7]{" + str(ID_LENGTH) + r"}(?![A-Za-z0-9])"
_ENTITY = r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]{0,47}"
# Bracketed on at least one side: `[email_address:…`, `…:mlklqyfsv46tn2et]`.
NEAR_RE = re.compile(rf"\[\s*{_ENTITY}\s*:\s*{_ID}|{_ENTITY}\s*:\s*{_ID}\s*\]")
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
    for m in _B64_RUN.finditer(text):
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


def near_misses(text: str) -> list[str]:
    """Every token-shaped near miss in one string whose exact tokens the caller blanked, reported as
    `MARK` + what was read."""
    if not _TRIGGER.search(text):
        return []
    seen = view(text)
    found = [MARK + m.group(0) for m in NEAR_RE.finditer(seen)]
    if "]" in seen:
        found.extend(MARK + m.group(0) for m in NEAR_RE.finditer(seen[::-1]))
    for decoded in _decoded(text):
        found.extend(MARK + m.group(0) for m in NEAR_RE.finditer(_without_format(decoded)))
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
    for m in NEAR_RE.finditer(joined):
        touched = [
            i for i, end in enumerate(ends) if views[i] and end > m.start() and end - len(views[i]) < m.end()
        ]
        if len(touched) > 1:
            for i in touched:
                out.setdefault(strings[i], []).append(MARK + m.group(0))
    return out
