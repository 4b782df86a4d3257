"""A title of address before capitalised words: `Dr. Huong Ngo`, `Mr Tanaka`, `Mrs. O'Neill`, `Frau Schmidt`,
`M. Dupont`, `Sra. López` — a person, wherever it stands and whether or not a name list knows the name.

The title is the evidence (`name_honorifics`); the words after it need only be name words: one to three
capitalised words (particles between them) that are no word of the language a name list does not know, so
`Miss Universe`, `Ms Word` and `Dr. The` stay readable and the run stops before a trailing word (`Mr Tanaka
Thanks`).

The title itself stays readable (`Dr. [[PERSON:…]]`): it identifies nobody, says how the text addresses the
person, and the token is then the same as for the name written without it (`Huong Ngo` elsewhere in the
message or session), so the model can tell it is one person.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.name_honorifics import HONORIFIC
from proxy.detect.name_lexicon import is_first_name, is_vocabulary_word
from proxy.detect.name_patterns import BEFORE, CONFIDENT, RUN, NameRunRecognizer
from proxy.detect.name_words import COMPANY_WORDS, PARTICLES, is_word_not_surname

MAX_WORDS = 3
_TOKEN = regex.compile(r"[^ \u00a0]+")
# A model number and a capitalised word after a one-word name: a product title (`Dr. Martens 1460 Boots`,
# `Mr. Coffee 12-Cup Maker`); a person's name is not followed by one.
_MODEL_AFTER = regex.compile(r"[ \u00a0]+\d{2,}[\p{L}\d-]*[ \u00a0]+\p{Lu}")


class VeilTitledNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("titled name", rf"{BEFORE}{HONORIFIC}[ \u00a0]{{1,2}}(?P<name>{RUN})", CONFIDENT),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        start = match.start("name")
        end = _name_end(match.group("name"))
        if not end:
            return None
        if " " not in match.group("name")[:end] and _MODEL_AFTER.match(text, start + end):
            return None  # a brand with a title, in a product listing: `Dr. Martens 1460 Boots`
        return start, start + end, CONFIDENT


def _name_end(run: str) -> int:
    """How much of the run after a title is the name: its leading name words (particles between them), up
    to `MAX_WORDS`; 0 if the first word is no name word."""
    end = 0
    words = 0
    for m in _TOKEN.finditer(run):
        word = m.group()
        if word.casefold() in PARTICLES and word[0].islower():
            continue  # `van der`, `de la`: kept if a name word follows
        if words == MAX_WORDS or not _name_word(word):
            break
        words += 1
        end = m.end()
    return end


def _name_word(word: str) -> bool:
    """A capitalised word that can be (part of) a name: a given name, or no word of the language a name list
    does not vouch for (`Tanaka`, `O'Neill`, `Smith`, `Rose`; not `Universe`, `Word`, `Software`, `Inc`)."""
    if len(word.rstrip(".")) == 1:
        return True  # an initial (`Dr. J. Smith`)
    if word.casefold() in COMPANY_WORDS:
        return False
    if is_first_name(word):
        return True
    return not is_word_not_surname(word) and not is_vocabulary_word(word)
