"""Names the first-name lexicon vouches for, wherever they stand: `MARIA GONZALEZ`, `Seán O’Brien`,
`Maria van der Berg`, `GONZALEZ, MARIA` — the forms a small NER pipeline misses or cuts short.

Each capitalised run is searched for its most name-like stretch (`Please call Maria Gonzalez today` →
`Maria Gonzalez`). A clear name (a known given name with a surname, particles, the comma order) is taken
alone; a weaker one (an unfamiliar given name, a lone `O'Brien`) only beside person context words."""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.name_lexicon import census_surnames, lexicon_form
from proxy.detect.name_patterns import (
    AFTER,
    BEFORE,
    CONFIDENT,
    INVERTED,
    LONG_RUN,
    PARTICLE_LED,
    PLAUSIBLE,
    NameRunRecognizer,
)
from proxy.detect.name_phrases import lexical_inside, no_name_word, phrase_modifier
from proxy.detect.name_place_surnames import place_surname_span
from proxy.detect.name_text import best_name_stretch, given_name_after_comma
from proxy.detect.name_title_labels import label_name_span
from proxy.detect.name_words import PARTICLES
from proxy.detect.names import person_name_likelihood
from proxy.detect.person_recognizer import has_person_context

CLEAR = 0.85
WITH_CONTEXT = 0.4


class VeilLexiconNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("Last, First", rf"{BEFORE}(?P<name>{INVERTED}){AFTER}", CONFIDENT),
        Pattern("capitalised run", rf"{BEFORE}(?P<name>{LONG_RUN}|{PARTICLE_LED}){AFTER}", PLAUSIBLE),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        start = match.start("name")
        name = match.group("name")
        if "," in name:
            return _comma_name(text, start, name)
        return _stretch_name(text, start, name) or _named_anyway(text, start, name)


def _stretch_name(text: str, start: int, name: str) -> tuple[int, int, float] | None:
    """The run's most name-like stretch, where it reads as a name."""
    stretch = best_name_stretch(name)
    if stretch is None:
        return None
    s, e, likelihood = stretch
    e = _without_work_words(name, s, e)
    following = name[e:].strip()
    core = [w for w in name[s:e].split() if w.casefold() not in PARTICLES]
    if phrase_modifier(name[s:e], following or None) or lexical_inside(core):
        return None  # `Georgia Peach` of `Georgia Peach Tea`, `Jordan Retro High` (`name_phrases`)
    before = name[:s].split()
    if (
        before
        and no_name_word(before[-1])
        and not all(lexicon_form(w) in census_surnames() for w in core[1:])
    ):
        return None  # `Max Restock` of `Jordan Air Max Restock`: the tail of a phrase, no census surname
    s, e = start + s, start + e
    if likelihood >= CLEAR:
        return s, e, CONFIDENT
    if likelihood >= WITH_CONTEXT and has_person_context(text, s, e):
        return s, e, PLAUSIBLE
    return None


def _without_work_words(name: str, s: int, e: int) -> int:
    """The stretch's end without the words after a full name of a title-case label that no census lists
    (`Webinar` of `Sofia Hernandez Webinar Recording`: a word no 1913 dictionary knows is no surname
    there; `name_title_labels`)."""
    label = label_name_span(name[s:e])
    if label is None or s + label[1] >= e:
        return e
    rest = name[s + label[1] : e].split()
    return e if any(lexicon_form(w) in census_surnames() for w in rest) else s + label[1]


def _named_anyway(text: str, start: int, name: str) -> tuple[int, int, float] | None:
    """A name the stretch missed: a clear given name and a surname that reads as nothing else inside a
    title-case label (`Dmitri Navarro` of `Dmitri Navarro Laptop Request`, `name_title_labels`), or a
    surname that is a kind of place beside words only a person takes (`call Sofia Plaza`,
    `name_place_surnames`)."""
    label = label_name_span(name)
    if label is not None:
        return start + label[0], start + label[1], CONFIDENT
    place = place_surname_span(text, start, name)
    if place is not None:
        return place[0], place[1], PLAUSIBLE
    return None


def _comma_name(text: str, start: int, name: str) -> tuple[int, int, float] | None:
    """`GONZALEZ, MARIA`. Commas also separate lists and places (`Smith, Jones and Brown`, `Paris,
    France`): a known given name after the comma and capitals or person context are needed, or, for an
    unfamiliar given name, both. The run may have taken a word before the surname (`Per OLAUSSON, JULIA`):
    then the pair without it is tried."""
    candidates = [(0, name)]
    first_space = name.find(" ")
    if 0 < first_space < name.find(","):
        candidates.append((first_space + 1, name[first_space + 1 :]))
    for offset, candidate in candidates:
        s, e = start + offset, start + len(name)
        likelihood = person_name_likelihood(candidate)
        context = has_person_context(text, s, e)
        known = given_name_after_comma(candidate)
        if known and likelihood >= CLEAR and (candidate.isupper() or context):
            return s, e, CONFIDENT
        if context and candidate.isupper() and likelihood >= WITH_CONTEXT:
            return s, e, PLAUSIBLE
    return None
