"""Values with markup inside them: `tpl.roe<!-- -->@<!-- -->example.com`, `jane.doe@**acme**.com`,
`4111<b>1111</b>1111 1111`, `+1 415 555`0123``.

A browser or a Markdown renderer shows such a value whole; a pattern over the text sees the markup cut it. The
*markup view* removes what renders as nothing inside a word: HTML comments and tags, Markdown emphasis and
code marks, wherever they touch a non-blank character on both sides; and emphasis marks at a word's edge or
beside an `@` (`_jane.doe_@_acme.com_`). Removing markup everywhere would join the cells of a table
(`</td><td>`) into one word, so like the glued view (`glued`) only what is certain without a word boundary is
kept from it (`glued.GLUED_ENTITIES`).
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite
from proxy.detect.views import normalize

_MARKUP = re.compile(
    r"(?<=\S)(?:<!--.{0,200}?-->|</?[A-Za-z][\w:-]{0,20}(?:\s[^<>]{0,120})?/?>|\*{1,3}|_{2,3}|~~|`{1,3})++(?=\S)"
    # emphasis at a word's edge, or beside an address's `@` (`_jane_@_acme.com_`)
    r"|(?:(?<=\s)|^)[*_~]{1,3}(?=[^\s*_~])|(?<=[^\s*_~])[*_~]{1,3}(?=\s|$)|(?<=@)[*_~]{1,3}|[*_~]{1,3}(?=@)",
    re.DOTALL | re.MULTILINE,
)
MARKUP_TRIGGER = re.compile(r"<!--|</?[A-Za-z]|\*|__|~~|`|(?:^|\s)_|_(?:\s|$)|_@|@_", re.MULTILINE)
MARKUP_INSIDE_WORD = _MARKUP  # exact, for the detector's batch pre-scan


def markup_view(text: str) -> View | None:
    """The normalized view of `text` without markup inside words (module doc); None if there is none.
    Markup goes first: the view's other readings would take a tag's letters for a spaced-out word's."""
    if MARKUP_TRIGGER.search(text) is None:
        return None
    stripped = rewrite(View(text), _MARKUP, lambda _m: "")
    return normalize(stripped) if not stripped.identity else None
