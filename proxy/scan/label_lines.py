"""A label at the start of a line, its value the rest of the line: YAML (`  address: 1042 Pelham Crescent,
Springfield`), TOML (`address = "…"`), INI (`street_address=…, Springfield`), a form or a mail's
`Address: …` (`Customer #: …`: a `#` is the word "number"), and vCard's `ADR;TYPE=work:;;<street>;<city>;…`.
The same label as one markup element and its value as the next: a description list's `<dt>`/`<dd>`, a
vertical table's `<th>`/`<td>`, a form's `<label>` and its value's element, a bold label before its value.

`labels.text_pairs` reads `key=value` up to the next blank or comma (logfmt, a query string), which cuts an
address after its house number; a line label's value runs to the end of its line. Only labels that give a
value a context by its shape (`shapes.key_context`: digits of a phone, an SSN, a card, a customer ID, a
street address's evidence) are read here: a line label is weaker evidence than a key, and a name or an
org label at a line's start (`Name: Jordan Retro 4`) is left to the detectors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from proxy.scan.shapes import key_context

# A label of one to four words, `:` or `=`, the value to the end of the line (quotes around it dropped).
_LINE = re.compile(
    r"^[ \t]*(?:[-*][ \t]+)?[\"']?([A-Za-z_][\w.-]{0,40}(?:[ \t][A-Za-z_][\w.-]{0,40}){0,3}(?:[ \t]?#)?)"
    r"[\"']?"
    r"[ \t]*[:=][ \t]*(\S[^\n]{0,255}?)[ \t\r]*$",
    re.MULTILINE,
)
# A label element (its text, a `:` allowed after it) and the value element right after it.
_MARKUP = re.compile(
    r"(?i)<(dt|th|label|b|strong)\b[^<>]{0,200}>[ \t]*([A-Za-z_][\w .#-]{0,63}?)[ \t]*:?[ \t]*</\1\s*>"
    r"\s{0,20}"
    r"<(dd|td|span|div|p|output)\b[^<>]{0,200}>[ \t]*([^<>\n]{1,256}?)[ \t]*</\3\s*>"
)
# vCard's address property: PO box; extended; street; locality; region; postal code; country.
_ADR = re.compile(r"^(?:[\w-]+\.)?ADR(?:;[^:\n]{0,200})?:([^\n\r]{0,400})", re.MULTILINE | re.IGNORECASE)
_STREET_FIELD = 2


def text_pairs(text: str) -> Iterator[tuple[str, int, int]]:
    """(label, start, end) of each line label's value in `text` whose label gives a context (module doc)."""
    if ":" in text or "=" in text:
        for m in _LINE.finditer(text):
            label = m[1]
            if key_context(label) is None:
                continue
            a, b = m.span(2)
            if b - a >= 2 and text[a] in "\"'" and text[b - 1] == text[a]:
                a, b = a + 1, b - 1
            yield label, a, b
    if "</" in text:
        for m in _MARKUP.finditer(text):
            if key_context(m[2]) is not None:
                yield m[2], *m.span(4)
    if "ADR" in text or "adr" in text:
        for m in _ADR.finditer(text):
            fields = m[1].split(";")
            if len(fields) > _STREET_FIELD and fields[_STREET_FIELD].strip():
                a = m.start(1) + sum(len(f) + 1 for f in fields[:_STREET_FIELD])
                yield "street", a, a + len(fields[_STREET_FIELD])
