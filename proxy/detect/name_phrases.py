"""Products, places and phrases led by a given name (`Jordan Air Max`, `Georgia Peach Tea`, `Charlotte
Airport`, `Lincoln Park Zoo`): capitalised runs the name recognizers would otherwise read as a person.

A person's name is given names, particles and surnames. Three shapes say the run is something else:
- a kind of place or venue after the given name (`Airport`, `Street`, `Aquarium`, `Stadium`; a closed
  class, like the company forms of `name_words.COMPANY_WORDS`), except the kinds that are also frequent
  surnames (`Park`, `Hill`, `Lake`, `Beach`: `Jenny Park` is a person, and `Grant Park` alone stays
  ambiguous);
- a word of the language after the given name that is neither a given name nor a surname of any census
  rank (`Jordan Air Max`, `Victoria Secret`: a middle name is a name, and `Killer`, `Bonnet` are
  surnames too);
- a name-like stretch followed, in the same capitalised run, by more words of the language: the stretch
  is the modifier of a phrase (`Georgia Peach` + `Tea`, `Hamilton Beach` + `Blender`, `Grant Park` +
  `Music Festival`). Only where the stretch's last word is itself a word of the language: a surname no
  dictionary knows keeps its name (`Maria Gonzalez Realtor`).
"""

from __future__ import annotations

import regex

from proxy.detect.name_heads import person_heads
from proxy.detect.name_lexicon import (
    census_surnames,
    common_surnames,
    in_dictionary,
    is_english_word,
    is_first_name,
    is_vocabulary_word,
    lexicon_form,
    stop_words,
)
from proxy.detect.name_words import PARTICLES, STRONG, SUFFIXES, TITLES, given_evidence

PLACE_HEADS = frozenset(
    (
        "airport", "station", "avenue", "boulevard", "road", "square", "plaza", "zoo", "aquarium", "museum",
        "cathedral", "stadium", "arena", "valley", "harbor", "harbour", "county", "bay", "island", "springs",
        "heights", "center", "centre", "river", "bridge", "tower", "terminal", "airfield", "mall", "pier",
        "street",
    )
)  # fmt: skip


def _word_of_language(word: str) -> bool:
    return in_dictionary(word) or is_english_word(word) or is_vocabulary_word(word)


def place_head(word: str) -> bool:
    """A kind of place or venue (`Airport`, `Aquarium`, `Street`; not `Park`, a frequent surname)."""
    return lexicon_form(word) in PLACE_HEADS


def no_name_word(word: str) -> bool:
    """A word in use (`name_lexicon.is_english_word`: not an obscure dictionary sense, `Blin`, nor a word
    only the pipeline's vocabulary holds, which has names too, `Scalfaro`) that no name list holds at all
    (no given name, no census surname of any rank): `Air`, `Secret`; not `Killer`, `Bonnet`, `Max`."""
    return (
        is_english_word(word)
        and not is_first_name(word)
        and lexicon_form(word) not in census_surnames()
        and word.casefold() not in PARTICLES
    )


def lexical_inside(core: list[str]) -> bool:
    """A word after a name's first that no name list holds (`Air` of `Jordan Air Max`, `Secret` of
    `Victoria Secret`)."""
    return any(no_name_word(w) for w in core[1:])


# Frequent surnames that are also kinds of place: before a person's head they still read as a place's
# name (`Grant Park Manager`, `Hamilton Beach Customer Support`), as `Grant Park` alone does.
PLACE_KIND_SURNAMES = frozenset(("park", "hill", "lake", "beach"))


def phrase_modifier(stretch: str, following: str | None) -> bool:
    """Whether a name-like `stretch` is the modifier of a phrase, given the capitalised word that follows
    it in the same run (`Georgia Peach` before `Tea`), or the run's words after it (`Account Manager`):
    a phrase whose head says "a person" (`name_heads`) keeps a surname that is a word its name."""
    if not following:
        return False
    last = stretch.split()[-1]
    nxt = following.split()[0].strip(".,;:")
    folded = nxt.casefold()
    if folded in SUFFIXES or folded in TITLES or folded in PARTICLES or folded in stop_words():
        return False  # `Petros Saunders The quarterly report…`: the next sentence starts
    if len(stretch.split()) == 1:
        return no_name_word(nxt)  # `Jordan` before `Air`: a given name leading a phrase
    if not _word_of_language(last):
        return False
    if not (lexicon_form(last) in common_surnames() or is_first_name(last)):
        return True  # `Jordan Air` + anything: `Air` is no name
    if person_heads(following.split()) and lexicon_form(last) not in PLACE_KIND_SURNAMES:
        return False  # `Megan Hunter` + `Account Manager`, `Caroline Brown` + `Divorce Filing`
    return (
        _word_of_language(nxt)
        and lexicon_form(nxt) not in common_surnames()
        and given_evidence(nxt) != STRONG
    )  # `Georgia Peach` + `Tea`


# The capitalised words after a span, up to four, in the same run.
_NEXT_WORD = regex.compile(r"[ \u00a0](\p{Lu}\p{L}{1,30}+(?:[ \u00a0]\p{Lu}\p{L}{1,30}+){0,3})")


def before_phrase_word(text: str, start: int, end: int) -> bool:
    """Whether the span `text[start:end]` is the modifier of a phrase that goes on after it in the same
    capitalised run (`Hamilton Beach` of `Hamilton Beach Blender`): for spans another tool cut short."""
    m = _NEXT_WORD.match(text, end)
    return m is not None and phrase_modifier(text[start:end], m.group(1))
