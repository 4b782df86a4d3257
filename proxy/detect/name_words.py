"""The shape of a written person's name: its word classes and the primitives `names` and `name_text`
judge with.

Small closed word classes (honorifics, name particles, company legal forms, place prefixes) are spelled out
here; they are classes of the language, not cases of the data. Open classes (given names, English words,
surnames) come from the word lists in `name_lexicon`.
"""

from __future__ import annotations

import re

from proxy.detect.name_lexicon import (
    common_surnames,
    first_names,
    is_english_word,
    lexicon_form,
    name_frequencies,
)

MAX_NAME_CHARS = 60


def words_of(text: str) -> list[str]:
    return text.split()


TITLES = frozenset(
    words_of("mr mrs ms miss mx dr prof sir dame lady lord rev fr herr frau sr sra srta mme mlle dott sig")
)
SUFFIXES = frozenset(words_of("jr sr ii iii iv v phd md esq mba cpa dds jd"))
PARTICLES = frozenset(
    words_of(
        "van von der den de del della dei di da das dos du la le lo ter ten bin ibn al el st ben ap af zu y"
    )
)
COMPANY_WORDS = frozenset(
    words_of("""inc incorporated ltd limited llc llp lp plc corp corporation co company gmbh ag kg ug
    sa sas sarl srl
    spa bv nv oy ab as aps asa oü kft zrt sp pty pvt group holding holdings partners associates
    foundation trust bank university college school institute clinic hospital studio studios labs lab
    agency media digital consulting solutions services systems technologies technology software store
    shop market international global hb kb gbr ohg kgaa mbh eg ev groep
    stichting stiftung söhne ltda eireli fpuh phu sc sons fils figli filhos syn and und et""")
)
# Place names that begin like a given name (`San Francisco`, `Santa Monica`, `Los Angeles`, `St. Louis`).
PLACE_PREFIXES = frozenset(
    words_of(
        "san santa santo são sao los las saint sainte st ste fort port mount mt lake new "
        "north south east west"
    )
)
# A name token: letters, with inner apostrophes or hyphens (O'Brien, D’Angelo, Smith-Jones), or an initial.
TOKEN = re.compile(r"[^\W\d_]+(?:['’`][^\W\d_]+)*(?:-[^\W\d_]+(?:['’`][^\W\d_]+)*)*\.?|[^\W\d_]\.")
# Surname shapes that need no lexicon: O'Brien, D’Angelo, McDonald, MacLeod, Smith-Jones.
# A hyphenated word led by a place prefix (`Saint-Germain`, `Sainte-Foy`) is a place, not this shape.
SURNAME_SHAPE = re.compile(
    r"(?:[OD]['’`][^\W\d_]{2,}|Ma?c[A-Z][a-z]+|(?!(?i:"
    + "|".join(sorted(PLACE_PREFIXES, key=len, reverse=True))
    + r")-)[A-Z][a-z]+-[A-Z][a-z]+)"
)
# Anything but letters, spaces, apostrophes, hyphens, dots and one comma is not part of a name.
NOT_NAME_CHAR = re.compile(r"[^\w\s'’`.,\-]|[\d_]")


def case_of(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "none"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "title"
    if letters[0].isupper():
        return "title"
    return "lower"


def split_name(value: str) -> tuple[list[str], bool, bool] | None:
    """Name tokens in given-first order, titles and suffixes removed, whether a title was present, and
    whether the name was written `Last, First`."""
    if value.count(",") > 1:
        return None
    inverted = False
    if "," in value:
        last, _, first = value.partition(",")
        first_words = first.split()
        if not first_words or all(w.strip(".").casefold() in SUFFIXES for w in first_words):
            words = last.split()
        else:
            words = first_words + last.split()
            inverted = len(first_words) <= 2 and 1 <= len(last.split()) <= 3
    else:
        words = value.split()
    titled = False
    while words and words[0].strip(".").casefold() in TITLES and len(words) > 1:
        words = words[1:]
        titled = True
    while len(words) > 1 and words[-1].strip(".").casefold() in SUFFIXES:
        words = words[:-1]
    if not words or not all(TOKEN.fullmatch(w) for w in words):
        return None
    return words, titled, inverted


def is_particle(index: int, word: str, folded: str) -> bool:
    """`van`, `de la`, `DER`: inside a name, or leading it in lower case (`van der Berg`); `Ben` or `BEN`
    first is a given name."""
    return folded in PARTICLES and (index > 0 or word.islower())


def is_place_compound(word: str) -> bool:
    """A hyphenated word led by a place prefix (`Saint-Germain`, `Sainte-Foy`, `San-Marino`, `St-Denis`):
    a place (a town, a club, a parish), not a surname shape; beside a given name that is itself a word or a
    place (`Paris Saint-Germain`) it vouches for no person."""
    head, dash, tail = word.partition("-")
    return bool(dash and tail) and head.strip(".").casefold() in PLACE_PREFIXES


def is_acronym(word: str) -> bool:
    """`CPC`, `SEO`, `USA`; not an initial (`M.`) nor a short surname (`LI`, `NG`, `KIM`)."""
    return (
        word.isupper()
        and 2 <= len(word) <= 3
        and "." not in word
        and lexicon_form(word) not in common_surnames()
        and lexicon_form(word) not in first_names()
    )


def is_word_not_surname(word: str) -> bool:
    """A dictionary word that is no surname, or a short all-caps acronym (`CPC`, `ROI`, `USA`)."""
    if is_acronym(word):
        return True
    return (
        is_english_word(word)
        and not SURNAME_SHAPE.fullmatch(word)
        and lexicon_form(word) not in common_surnames()
    )


_JOINERS = frozenset({"y"})  # `García y Vega`: joins two surnames, never leads a name


def has_name_particle(words: list[str], folded: list[str]) -> bool:
    """A particle (`van`, `de la`, `von`) that leads into a capitalised word: written lowercase inside a
    name (`Fainche von Wall`), or capitalised before a word of no dictionary (`Van der Berg`); `Poor Least
    Ten` has a particle's spelling, not its place."""
    for i, (w, f) in enumerate(zip(words, folded, strict=True)):
        if f not in PARTICLES or (w[0].isupper() and i > 0 and not w.isupper()) or (i == 0 and f in _JOINERS):
            continue
        after = words[i + 1 : i + 4]
        nxt = next((a for a in after if a.strip(".").casefold() not in PARTICLES), None)
        if (
            nxt is not None
            and nxt[0].isupper()
            and (w[0].islower() or w.isupper() or not is_english_word(nxt))
        ):
            return True
    return False


STRONG, MEDIUM, NONE = "strong", "medium", "none"
COMMON_NAME = 4  # nam_dict frequency class from which a name is common somewhere (Mary, Mark, Rose, Philip)


def given_evidence(word: str) -> str:
    """A known first name that is common somewhere or no English word (`Mary`, `Gonzalo`) is strong
    evidence; a rarer one that is also a word (`Summer`, `Will`, `Hope`) is medium."""
    folded = lexicon_form(word)
    if folded not in first_names():
        return NONE
    if name_frequencies().get(folded, 0) >= COMMON_NAME or not is_english_word(word):
        return STRONG
    return MEDIUM


def looks_like_surname(word: str) -> bool:
    """A surname by its shape alone: `O'Brien`, `D’Angelo`, `McDonald`, `Smith-Jones`."""
    return SURNAME_SHAPE.fullmatch(word) is not None
