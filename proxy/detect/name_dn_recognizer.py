"""`CN=Gonzalez\\, Maria,OU=Sales,DC=acme,DC=com`: a person's common name in an LDAP distinguished name
(RFC 4514), written surname first with its comma escaped, as Active Directory writes it; and a surname or
given name alone in an LDIF entry (`sn: Cabo`, `givenName: Maria`: RFC 4519's person attributes), which
the attribute vouches for whatever the word (`Cabo`, `Rose` are words too).

The comma may be escaped by its hex pair (`Gonzalez\\2C Maria`) and a blank too (`Maria\\20Gonzalez`, RFC
4514 §2.4); the value is read unescaped. The escaped comma keeps the label recognizers from reading
`Gonzalez\\, Maria` as the inverted name it is; `CN=Maria Gonzalez,…` (no escape) is theirs. The attribute
says "a common name", which may be a group or a host (`CN=Domain Admins`, `CN=WEB01`), so the value must
read as a name (`name_text.could_be_name`).
The span is the name, escape included.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.name_patterns import CONFIDENT, WORD, NameRunRecognizer
from proxy.detect.name_text import could_be_name, name_shaped

_WORDS = rf"{WORD}(?: {WORD}){{0,2}}+"
# RFC 4514 escapes: a comma as `\,` or `\2C`, a blank as itself or `\20` (any character may be written
# as its hex pair; these are the ones a name holds).
_COMMA = r"\\(?:,|2[Cc])"
_BLANK = r"(?: |\\20)"
_ESCAPED_WORDS = rf"{WORD}(?:{_BLANK}{WORD}){{0,2}}+"
_UNESCAPE = regex.compile(r"\\(?:,|2[Cc])|\\20")


class VeilDnNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "escaped inverted CN",
            r"(?<![\p{L}\p{N}_])(?i:cn|displayName)[ \t]{0,2}=[ \t]{0,2}(?P<name>"
            + _ESCAPED_WORDS
            + _COMMA
            + r"(?:[ \t]|\\20)?"
            + _ESCAPED_WORDS
            + r")(?=[,;+\"\r\n]|$)",
            CONFIDENT,
        ),
        Pattern(
            "escaped blank CN",
            r"(?<![\p{L}\p{N}_])(?i:cn|displayName)[ \t]{0,2}=[ \t]{0,2}(?P<name>"
            + WORD
            + r"(?:\\20"
            + WORD
            + r"){1,3}+)(?=[,;+\"\r\n]|$)",
            CONFIDENT,
        ),
        Pattern(
            "LDIF person attribute",
            r"^(?i:sn|surname|givenName)[ \t]{0,2}:[ \t]{0,2}(?P<name>" + _WORDS + r")[ \t]*(?=\r?$)",
            CONFIDENT,
        ),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        name = match.group("name")
        if "\\" not in name:  # an LDIF attribute: any name-shaped value
            return (match.start("name"), match.end("name"), CONFIDENT) if name_shaped(name) else None
        plain = _UNESCAPE.sub(lambda m: " " if m.group().endswith("20") else ",", name)
        if not could_be_name(regex.sub(r",(?! )", ", ", plain)):
            return None
        return match.start("name"), match.end("name"), CONFIDENT
