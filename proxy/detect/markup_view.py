"""Values with markup inside them: `tpl.roe<!-- -->@<!-- -->example.com`, `jane.doe@**acme**.com`, `4916
<i>9307</i> 1209 6661`, `+1 415 555`0123``, `priya<![CDATA[.raman@]]>globex.io`.

A browser or a Markdown renderer shows such a value whole; a pattern over the text sees the markup cut it. The
*markup view* removes what renders as nothing: HTML comments and inline formatting tags anywhere, Markdown
emphasis and code marks inside a word, what an XML reader drops (a CDATA section's brackets, a processing
instruction, an empty element), at a word's edge or beside an `@` (`_jane.doe_@_acme.com_`). Block tags
stay (`</td><td>`, `<p>`, `<br>`: a boundary between two values). Removing markup can still join a word to a
value (`<b>Sales</b>alice@example.org`), so like the glued view (`glued`) only what is certain without a word
boundary is kept from it (`glued.GLUED_ENTITIES`): a word glued to a value by markup
(`**Email:**alice@example.org**Status**`) may go with it, a value is never cut short.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite
from proxy.detect.views import normalize

# Inline formatting only: a table cell, a paragraph or a line break (`</td><td>`, `<p>`, `<br>`) is a
# boundary, and removing it would join two values into one.
_INLINE = (
    r"(?i:b|i|u|s|em|strong|span|font|small|big|mark|code|tt|sub|sup|abbr|wbr|ins|del|strike|q|cite|kbd|var)"
)
# What an XML or HTML reader drops from the text it shows, whatever the element: a CDATA section's
# brackets (its content is text), a processing instruction, an empty element (`<x/>`, `<x></x>`). A
# reader shows `priya<![CDATA[.raman@]]>globex.io` as one address. An empty line break, rule or cell
# (`<br/>`, `<hr/>`, `<td/>`) is a boundary all the same.
_DROPPED = (
    r"<!\[CDATA\[|\]\]>|<\?[A-Za-z][^<>]{0,200}?\?>"
    r"|<(?!(?i:br|hr|p|td|th|tr|li|div|img|input|col)\b)([A-Za-z][\w.:-]{0,40})"
    r"(?:\s[^<>]{0,120})?(?:/>|></\1\s*>)"
)
_MARKUP = re.compile(
    r"<!--.{0,200}?-->|" + _DROPPED + "|</?" + _INLINE + r"(?:\s[^<>]{0,120})?/?>"
    r"|(?<=\S)(?:\*{1,3}|_{2,3}|~~|`{1,3})++(?=\S)"
    # emphasis at a word's edge, or beside an address's `@` (`_jane_@_acme.com_`)
    r"|(?:(?<=\s)|^)[*_~`]{1,3}(?=[^\s*_~`])|(?<=[^\s*_~`])[*_~`]{1,3}(?=\s|$)|(?<=@)[*_~]{1,3}|[*_~]{1,3}(?=@)"
    # a backslash escape (CommonMark: any ASCII punctuation, `O\'Neill`; a shell: a blank, `Maria\ Gonzalez`)
    r"|\\(?=[ !-/:-@\[-`{-~])",
    re.DOTALL | re.MULTILINE,
)
# A backslash escape triggers the view only before what a name or address holds (a blank, `'`, `-`, `.`,
# emphasis and bracket marks): `\"`, `\\` and `\/` are JSON's escapes in logged documents, which would send
# every such line through one more analysis for nothing.
MARKUP_TRIGGER = re.compile(
    r"<!--|<!\[CDATA\[|<\?[A-Za-z]|</?[A-Za-z]|\*|__|~~|`|(?:^|\s)_|_(?:\s|$)|_@|@_"
    r"|\\[ '\-.*_~#!()\[\]{}<>+|@]",
    re.MULTILINE,
)
# For the detector's batch pre-scan: markup touching a digit (a card, phone, IBAN or IP address cut by
# markup; an address cut by it has its `@`, which the pre-scan finds anyway). One character class first:
# the engine's fast scan skips to it.
MARKUP_BESIDE_DIGIT = re.compile(r"[<*_~`](?<=[0-9 ].)|[>*_~`](?=[0-9 ])")


# Characters of the markup `_MARKUP` removes (an HTML tag's brackets, emphasis and code marks, escapes).
_MARK_CHARS = re.compile(r"[*_~`<>\\]")


def marked(text: str, start: int, end: int) -> bool:
    """Whether markup sits inside `text[start:end]` or right beside it: a person's name found in the markup
    view there was cut (`**Maria** Gonzalez`, `Maria <b>Gonzalez</b>`) or framed (`Owner: `Maria
    Gonzalez``) by it, and may be read whole only in that view. A name with no markup at it is the plain
    view's to find."""
    return _MARK_CHARS.search(text, max(0, start - 1), min(len(text), end + 1)) is not None


def markup_view(text: str) -> View | None:
    """The normalized view of `text` without markup inside words (module doc); None if there is none.
    Markup goes first: the view's other readings would take a tag's letters for a spaced-out word's."""
    if MARKUP_TRIGGER.search(text) is None:
        return None
    stripped = rewrite(View(text), _MARKUP, lambda _m: "")
    return normalize(stripped) if not stripped.identity else None
