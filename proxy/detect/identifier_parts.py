"""How an identifier is read into parts, whatever way a system or a person glued it: the reading behind
`name_identifiers`, kept apart so the judgement stays short.

A person's name is written into identifiers in more shapes than `first-last`: surname first
(`Gonzalez_Maria_Resume.pdf`), with any separator a system or a person uses (`maria+gonzalez`,
`maria~gonzalez`, `maria:gonzalez`, `lorenzo%20vargas`, `adriana---kimura`), in camel or Pascal case
(`GonzalezMaria`, `mariaGonzalez`), all capitals (`MARIA_GONZALEZ`), glued to digits
(`federico2nakamura`, `alessandroshimizu1987`), with accents in either Unicode form (`maría_gonzález`,
`José-Muñoz`, `mari\u0301a`), in a hashtag (`#PriyaRaman4Mayor`, `#teamdmitripetrov`). One reading covers
them all: an identifier is a run of Latin letters (accented ones and combining marks included) and digits
joined by separators; each piece is cut at case changes and at digit boundaries; each part carries its
lexicon key, lower case with accents folded (`Jiménez` → `jimenez`), and keeps its span in the text, so the
name is replaced over the original characters and everything else stays as written.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from proxy.detect.name_lexicon import fold_accents

# Latin letters (Latin-1, Extended-A and -B, Extended Additional) and combining marks (an NFD accent).
_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f"
_CHAR = f"0-9{_LETTERS}"
# A separator between pieces: punctuation systems join words with, or an encoded space.
_SEP = r"(?:[._+~:-]|%20)"
# An identifier: pieces joined by one to three separators, at least one join. Linear: each piece is a
# maximal run, a join needs a separator, and separators are no piece characters.
IDENTIFIER = re.compile(
    rf"(?<![{_CHAR}])[{_CHAR}]{{1,40}}(?:{_SEP}{{1,3}}[{_CHAR}]{{1,40}}){{1,40}}(?![{_CHAR}])"
)
# One piece alone, where a path segment, a hashtag or a query value starts (`/in/dmitrinavarro`,
# `#PriyaRaman4Mayor`, `?u=GonzalezMaria`): read for names glued without a separator.
SINGLE = re.compile(rf"(?<=[/#=])[{_CHAR}]{{6,40}}(?![{_CHAR}])(?!{_SEP}[{_CHAR}])")
# For the prefilter: a letter, a separator, a letter run (an initial between them: `matteo-j-figueroa`,
# `S_Hayashi`); or a letter run after `/`, `#`, `=`.
TRIGGER = re.compile(
    rf"[{_LETTERS}]{_SEP}{{1,3}}(?:[{_LETTERS}]{_SEP}{{1,3}})?[{_LETTERS}]{{3}}|[/#=][{_LETTERS}]{{6}}"
)
PIECE = re.compile(rf"[{_CHAR}]+")
# Case changes and digit boundaries inside a piece: `MacBook` → `Mac` `Book`, `iPhone` → `i` `Phone`,
# `LGARCIA` stays whole, `PriyaRaman4Mayor` → `Priya` `Raman` `4` `Mayor`.
_CASE_PART = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]|[0-9]+")


class Part(NamedTuple):
    start: int
    end: int
    key: str  # lower case, accents folded: what the lexicons are asked
    piece: int  # the index of the piece it was cut from (parts of one piece are glued)


def _shape(piece: str) -> str:
    """The piece's case shape, one character each (`A` upper, `a` lower, `0` digit); a combining mark takes
    its base's, so `Jose\u0301` is read as `Aaaaa`."""
    out = []
    prev = "a"
    for c in piece:
        if unicodedata.combining(c):
            s = prev
        elif c.isdigit():
            s = "0"
        elif c.isupper():
            s = "A"
        else:
            s = "a"
        out.append(s)
        prev = s
    return "".join(out)


def key(text: str) -> str:
    """The lexicon key of a part: lower case, accents folded (`Muñoz` → `munoz`, `Łukasz` → `lukasz`)."""
    return text.casefold() if text.isascii() else fold_accents(unicodedata.normalize("NFC", text).casefold())


def parts(ident: str, offset: int) -> list[Part]:
    """The parts of an identifier, in the text's coordinates."""
    src = ident.replace("%20", "%%%") if "%" in ident else ident
    if src.isascii():  # one pass: parts next to each other are of one piece
        out = []
        n = -1
        end = -1
        for part in _CASE_PART.finditer(src):
            start = part.start()
            if start != end:
                n += 1
            end = part.end()
            out.append(Part(offset + start, offset + end, part.group().casefold(), n))
        return out
    out = []
    for n, piece in enumerate(PIECE.finditer(src)):
        word = piece.group()
        shape = word if word.isascii() else _shape(word)
        for part in _CASE_PART.finditer(shape):
            start = offset + piece.start() + part.start()
            out.append(
                Part(start, start + part.end() - part.start(), key(word[part.start() : part.end()]), n)
            )
    return out


def candidates(text: str) -> list[re.Match[str]]:
    """The identifiers of `text` and the single pieces after `/`, `#`, `=`, in the text's order."""
    found = [*IDENTIFIER.finditer(text), *SINGLE.finditer(text)]
    found.sort(key=lambda m: m.start())
    return found


def is_hashtag(text: str, m: re.Match[str]) -> bool:
    """A hashtag's `#`: at the start or after a space or an opening mark, not a URL's fragment
    (`page#top`)."""
    at = m.start()
    if at == 0 or text[at - 1] != "#":
        return False
    return at == 1 or text[at - 2].isspace() or text[at - 2] in "([{\"'“‘,;"


def slash_joined(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    """Two candidates one `/` apart (`/people/guadalupe/sanchez`): a name may be split there."""
    return second.start() == first.end() + 1 and text[first.end()] == "/"
