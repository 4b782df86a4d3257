"""Is this short string a person's name? Is this key a place where bare names live?

NER reads names out of prose; a bare value such as `{"owner": "Maria Gonzalez"}` has no prose around it,
and a small pipeline is no better than chance on it. These are the column- and record-level decisions the
walker makes instead: a key that usually holds a person (`owner`, `displayName`, `createdBy`), a value
shaped like a name (a known first name followed by capitalised words, `Last, First`, a title, name
particles, `O'Brien`), and a column whose distinct values mostly look like names.

The word lists (given names, English words, census surnames) are in `name_lexicon`; the recognizers that
find names in running text (`name_*_recognizer`) use the same judgement through `best_name_stretch`.

Small closed word classes (honorifics, name particles, company legal forms) are spelled out here; they are
classes of the language, not cases of the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from proxy.detect.name_keys import is_name_key, is_name_label
from proxy.detect.name_lexicon import (
    common_surnames,
    in_dictionary,
    is_english_word,
    is_first_name,
    lexicon_form,
)
from proxy.detect.name_phrases import lexical_inside, phrase_modifier, place_head
from proxy.detect.name_words import (
    COMPANY_WORDS,
    MAX_NAME_CHARS,
    MEDIUM,
    NONE,
    NOT_NAME_CHAR,
    PARTICLES,
    PLACE_PREFIXES,
    STRONG,
    SURNAME_SHAPE,
    case_of,
    given_evidence,
    has_name_particle,
    is_acronym,
    is_particle,
    is_place_compound,
    is_word_not_surname,
    split_name,
)

__all__ = [
    "is_first_name",
    "is_name_column",
    "is_name_key",
    "is_name_label",
    "looks_like_name",
    "person_name_likelihood",
]


@lru_cache(maxsize=65_536)
def person_name_likelihood(value: str) -> float:
    """0..1: how much a short string reads as a person's name.

    High for `Maria Gonzalez`, `GONZALEZ, MARIA`, `O'Brien`, `van der Berg`, `Dr. Anne Smith`, `Maria`;
    low for queries (`running shoes`), campaign names (`Brand – Berlin – PMax`), URLs, emails, sentences,
    enums (`ENABLED`) and companies (`Acme Corp`). Shape decides most of it; the first-name lexicon lifts a
    string whose first given word is a known name.
    """
    value = value.strip()
    if not value or len(value) > MAX_NAME_CHARS or NOT_NAME_CHAR.search(value):
        return 0.0
    split = split_name(value)
    if split is None:
        return 0.0
    words, titled, inverted = split
    folded = [w.strip(".").casefold() for w in words]
    if any(f in COMPANY_WORDS for f in folded) or any(place_head(w) for w in words[1:]):
        return 0.05  # `Acme Corp`; `Charlotte Airport` (`name_phrases`)
    core = [w for i, (w, f) in enumerate(zip(words, folded, strict=True)) if not is_particle(i, w, f)]
    has_particle = has_name_particle(words, folded)
    if (
        len(core) >= 2
        and not (titled or has_particle)
        and (lexical_inside(core) or phrase_modifier(" ".join(core[:-1]), core[-1]))
    ):
        return 0.1  # `Jordan Air Max`, `Victoria Secret`, `Georgia Peach Tea` (`name_phrases`)
    if not core or len(core) > 4:
        return 0.05
    if all(len(w.strip(".")) == 1 for w in core):
        return 0.05  # initials alone (`T Q` of `AT&T Q&A`) name nobody
    if folded[0] in PLACE_PREFIXES and len(core) >= 2:
        return 0.05  # San Francisco, Los Angeles, St. Louis, Fort Worth
    cases = {case_of(w) for w in core}
    if "title" in cases and "upper" in cases and any(is_acronym(w) for w in core):
        return 0.1  # Max CPC, John Lewis SEO: a title-case word beside an acronym
    if cases == {"title", "upper"} and _acronym_led(core):
        return 0.1  # JSON Schema, AWS Lambda: capitals no name list knows, then title-case words
    if len(cases) > 1 and cases != {"title", "upper"}:
        cases = {"mixed"}
    case = "title" if cases == {"title", "upper"} else next(iter(cases))
    given = given_evidence(core[0])
    if titled:
        if case not in ("title", "upper"):
            return 0.5
        return 0.4 if given == NONE and all(is_english_word(w) for w in core) else 0.95
    if len(core) == 1:
        word = core[0]
        if has_particle and case == "title":
            return 0.85  # van der Berg
        if SURNAME_SHAPE.fullmatch(word) or SURNAME_SHAPE.fullmatch(word.title()):
            return 0.8 if case != "lower" else 0.3
        if case == "lower" or case == "mixed":
            return 0.05
        return {STRONG: 0.8, MEDIUM: 0.6}.get(given, 0.1) * (0.9 if case == "upper" else 1.0)
    rest = core[1:]
    lexical = [is_word_not_surname(w) or is_place_compound(w) for w in rest]
    if case == "lower":
        return 0.45 if given == STRONG and not any(lexical) else 0.05
    if case == "mixed":
        return 0.3 if given != NONE and not any(lexical) else 0.05
    scale = 0.95 if case == "upper" else 1.0
    initial = len(core[0].strip(".")) == 1
    if given != NONE and folded[0] in PARTICLES and not _named_after_particle(rest):
        # `Le Creuset`, `La Raison Deep`, `Di Dio Ball`: a given name that is also a word of a language (a
        # particle, an article) vouches for nothing; it needs a neighbour a name list knows and no word of
        # the language beside it (`Van Morrison`, `Del Piero`).
        return 0.45 * scale
    if inverted and (given != NONE or any(is_first_name(w) for w in rest)):
        score = 0.9  # `Gilles, Charlotte`: the comma order and a given name
    elif initial or given == STRONG:
        if not all(lexical) or initial or has_particle:
            score = 0.95
        elif len(core) >= 3:
            score = 0.35  # Max Protein Bar
        else:  # Mary Wood, but also Violet Director: a dictionary word after the name says less
            score = 0.45 if is_english_word(core[0]) else 0.6
    elif given == MEDIUM:
        score = 0.9 if not all(lexical) else (0.45 if len(core) == 2 else 0.25)
    elif has_particle:
        score = 0.85
    elif inverted and not any(lexical):
        score = 0.7  # `Poreda, Tobiasz`: the comma order is itself a name's
    elif any(SURNAME_SHAPE.fullmatch(w) for w in core):
        score = 0.7
    elif lexicon_form(core[-1]) in common_surnames() and not any(lexical) and not in_dictionary(core[0]):
        score = 0.5  # an unfamiliar given name before a common surname (`Senna Jones`)
    elif any(lexical) or is_english_word(core[0]):
        score = 0.1
    elif any(is_first_name(w) for w in rest):
        score = 0.65  # surname first without a comma (GONZALEZ MARIA)
    else:
        score = 0.45  # capitalised words of no language we know: an unfamiliar name, or a brand
    return score * scale


def _acronym_led(core: list[str]) -> bool:
    """Capitals first and title case after is a name only surname first (`POREDA Tobiasz`): a leading
    all-caps word that is neither a given name nor a surname, with no given name after it, is an
    acronym leading a phrase."""
    lead = core[0].strip(".")
    return (
        lead.isupper()
        and len(lead) >= 2
        and not known_name_word(lead)
        and case_of(core[1]) == "title"
        and not any(is_first_name(w) for w in core[1:])
    )


def _named_after_particle(rest: list[str]) -> bool:
    return (
        known_name_word(rest[0])
        and not is_english_word(rest[0])
        and not any(is_english_word(w) and not is_first_name(w) for w in rest)
    )


def known_name_word(word: str) -> bool:
    """A word some name list vouches for: a given name, a census surname, a surname shape."""
    return (
        is_first_name(word)
        or lexicon_form(word) in common_surnames()
        or SURNAME_SHAPE.fullmatch(word) is not None
        or SURNAME_SHAPE.fullmatch(word.title()) is not None
    )


def looks_like_name(value: str, threshold: float = 0.5) -> bool:
    return person_name_likelihood(value) >= threshold


def is_name_column(key: str, values: Sequence[str]) -> bool:
    """Whether one key's values across records form a column of person names.

    Looks at distinct non-empty values: most must read as names. A name key (`owner`, `name`) is itself
    evidence, so a value needs less (an unfamiliar given name, `Mieszko Mitek`, passes there) and half the
    column suffices; under any other key at least three distinct values are needed and most must be clear
    names. Queries, products and campaign names fail on shape (lowercase words, digits, separators, company
    words, dictionary words) and say False.
    """
    distinct = {v.strip() for v in values if isinstance(v, str) and v.strip()}
    if not distinct:
        return False
    scores = [person_name_likelihood(v) for v in distinct]
    if is_name_key(key):
        return sum(s >= _NAME_KEY_BAR for s in scores) / len(scores) >= 0.5
    if len(distinct) < 3:
        return False
    return sum(s >= 0.5 for s in scores) / len(scores) >= 0.7


_NAME_KEY_BAR = 0.4
