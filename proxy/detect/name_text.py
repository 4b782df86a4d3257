"""Judgements about names in running text, for the name recognizers and the NER check: the most name-like
stretch of a capitalised run, words that continue a name, spans NER should not call a person, firm names
made of surnames."""

from __future__ import annotations

import re

import regex

from proxy.detect.name_lexicon import (
    common_surnames,
    in_dictionary,
    is_english_word,
    is_first_name,
    is_vocabulary_word,
    lexicon_form,
)
from proxy.detect.name_words import (
    COMPANY_WORDS,
    MAX_NAME_CHARS,
    NOT_NAME_CHAR,
    PARTICLES,
    PLACE_PREFIXES,
    SUFFIXES,
    TITLES,
    case_of,
    is_particle,
    is_place_compound,
    is_word_not_surname,
    looks_like_surname,
    split_name,
)
from proxy.detect.names import person_name_likelihood


def given_name_after_comma(value: str) -> bool:
    """In `GONZALEZ, MARIA`, whether the word after the comma is a given name we know."""
    _, _, after = value.partition(",")
    words = after.split()
    return bool(words) and is_first_name(words[0])


def best_name_stretch(run: str) -> tuple[int, int, float] | None:
    """The most name-like stretch of consecutive words of a capitalised run, as (start, end, likelihood)
    offsets into `run`: `Please Call Maria Gonzalez` → `Maria Gonzalez`. Ties go to the longer stretch.
    A single word counts only in a surname shape (`O'Brien`) or led by particles (`van der Berg`)."""
    spans = [(m.start(), m.end()) for m in _NON_SPACE.finditer(run)]
    best: tuple[int, int, float] | None = None
    for i, (start, _) in enumerate(spans):
        if i > 0 and run[start : spans[i][1]].casefold() in PARTICLES:
            continue  # a stretch starts at a particle only at the run's start (`van der Berg`)
        for j in range(i, len(spans)):
            end = spans[j][1]
            text = run[start:end]
            if j == i and not looks_like_surname(text):
                continue
            score = person_name_likelihood(text)
            if best is None or score > best[2] or (score == best[2] and end - start > best[1] - best[0]):
                best = (start, end, score)
    if best is None:
        return None
    # Leading name words the best stretch left out (`Davi` of `Davi Miguel Fernandes`, `Eimer` of `Eimer
    # O'Hishon`, particles) belong to the same name: a part left out is a part that leaks.
    # Trailing words of the language the tie-break took along (`MARIA GONZALEZ ABOUT THE`) are no name:
    # dropped while the stretch without them reads as a name as much and does not end in a particle.
    last = next(i for i, (_, e) in enumerate(spans) if e == best[1])
    while last > 0 and spans[last][0] > best[0]:
        word = run[spans[last][0] : spans[last][1]]
        shorter = run[best[0] : spans[last - 1][1]]
        if (
            not is_word_not_surname(word)
            or is_first_name(word)
            or word.strip(".").casefold() in SUFFIXES
            or shorter.split()[-1].casefold() in PARTICLES
            or person_name_likelihood(shorter) < best[2]
        ):
            break
        last -= 1
    best = (best[0], spans[last][1], best[2])
    first = next(i for i, (s, _) in enumerate(spans) if s == best[0])
    # Leading words of the language that no name list knows are no given name where the rest reads as a
    # name as much without them (`Please Ask van der Berg`, `Call de la Cruz`: the particle starts the
    # name). A given name keeps its place (`Maria van der Berg`).
    while first + 1 < len(spans) and spans[first + 1][0] < best[1]:
        lead = run[spans[first][0] : spans[first][1]]
        rest = run[spans[first + 1][0] : best[1]]
        if lead.casefold() in PARTICLES:
            break
        if not (verb_before_particle(lead, rest) or is_word_not_surname(lead)) or is_first_name(lead):
            break
        if person_name_likelihood(rest) < best[2]:
            break
        first += 1
        best = (spans[first][0], best[1], best[2])
    while first > 0:
        word = run[spans[first - 1][0] : spans[first - 1][1]]
        if not (word.casefold() in PARTICLES or is_first_name(word) or is_name_word(word)):
            break
        if verb_before_particle(word, run[spans[first][0] :]):
            break
        first -= 1
    # A title of address before the name stays readable (`Mr [[PERSON]]`), as `VeilTitledNameRecognizer`
    # leaves it: the name's token is then the same with or without it.
    # What is left is judged alone: a title vouches for the name words after it (that recognizer asks
    # them to be name words), not for `MR PROCESS`.
    titled = False
    while first + 1 < len(spans) and spans[first + 1][0] < best[1]:
        if run[spans[first][0] : spans[first][1]].strip(".").casefold() not in TITLES:
            break
        first += 1
        titled = True
    if titled:
        return spans[first][0], best[1], person_name_likelihood(run[spans[first][0] : best[1]])
    return spans[first][0], best[1], best[2]


_NON_SPACE = re.compile(r"\S+")


def verb_before_particle(word: str, after: str) -> bool:
    """A capitalised word of the language, no given name, right before a lower-case particle (`Ask van der
    Berg`, `Call de la Cruz`, `Email von Trapp`): the sentence's word, and the particle starts the name —
    even where the word is also a census surname (`Call`, `Ask`), a surname does not come before `van`."""
    particle = after.split(maxsplit=1)[0] if after.strip() else ""
    return (
        particle.islower()
        and particle in PARTICLES
        and (in_dictionary(word) or is_vocabulary_word(word))
        and not is_first_name(word)
    )


def is_name_word(word: str) -> bool:
    """A capitalised word that can continue a name: a surname shape, a known name or surname, or a word
    of no dictionary; not a plain English word (`Gonzalez`, `O'Brien`, `Smith` yes; `Tuesday`, `Shoes` no)."""
    return word[:1].isupper() and not is_word_not_surname(word)


def name_shaped(value: str) -> bool:
    """Shaped like a written name and nothing else: capitalised name words (particles, apostrophes,
    hyphens, initials, `Last, First`), no company or place form. Enough where a label already says the
    value is a person (`Contact: REK, FELINE`)."""
    value = value.strip()
    if not value or len(value) > MAX_NAME_CHARS or NOT_NAME_CHAR.search(value):
        return False
    split = split_name(value)
    if split is None:
        return False
    words = split[0]
    folded = [w.strip(".").casefold() for w in words]
    if any(f in COMPANY_WORDS for f in folded) or folded[0] in PLACE_PREFIXES:
        return False
    core = [w for i, (w, f) in enumerate(zip(words, folded, strict=True)) if not is_particle(i, w, f)]
    return 0 < len(core) <= 4 and all(w[0].isupper() for w in core)


def single_word_name(word: str) -> bool:
    """A lone word that can stand for a person: a given name, a surname shape or a common surname, or a
    word of no dictionary; not a word of the language (`Reading`, `Support`)."""
    return (
        is_first_name(word)
        or looks_like_surname(word)
        or lexicon_form(word) in common_surnames()
        or not is_english_word(word)
    )


def could_be_name(value: str) -> bool:
    """A looser test for a place that already says "person" (after `Best regards,` or `Owner:`): shaped
    like a name, no company or place form, and led by a given name or a word of no dictionary (`Eunan
    Bones` passes; `Acme Support`, `Google Ads Team`, `Customer Service` do not)."""
    value = value.strip()
    if not value or len(value) > MAX_NAME_CHARS or NOT_NAME_CHAR.search(value):
        return False
    split = split_name(value)
    if split is None:
        return False
    words, titled, _ = split
    folded = [w.strip(".").casefold() for w in words]
    if any(f in COMPANY_WORDS for f in folded) or folded[0] in PLACE_PREFIXES:
        return False
    core = [w for i, (w, f) in enumerate(zip(words, folded, strict=True)) if not is_particle(i, w, f)]
    if not core or len(core) > 4 or not all(w[0].isupper() for w in core):
        return False
    if titled or is_first_name(core[0]) or looks_like_surname(core[0]):
        return True
    return not is_english_word(core[0]) and not all(is_word_not_surname(w) for w in core[1:] or core)


def implausible_name(span: str) -> bool:
    """A span NER called a person that cannot be one: digits or symbols, a company form, no capital, or
    dictionary words only, or a shape the likelihood rules out (`Performance Max`, `Max CPC`, `San
    Francisco`); a word of no dictionary alone keeps it (`Mieszko`)."""
    if NOT_NAME_CHAR.search(span.replace(",", " ")) or not any(c.isupper() for c in span):
        return True
    if _IDENTIFIER.search(span):
        return True  # `server.sendLoggingMessage`: code, not a name
    words = span.split()
    if len(words) == 1 and case_of(words[0]) == "upper" and not is_first_name(words[0]):
        return True  # `JSON`, `HTTP`: one all-caps word that is no given name is an acronym
    folded = [w.strip(".").casefold() for w in words]
    if any(f in COMPANY_WORDS for f in folded):
        return True
    if len(words) >= 2 and folded[0] in PARTICLES and person_name_likelihood(span) < _PARTICLE_LED:
        return True  # `Di Dio Idea Appear`: a particle as given name, and no name list vouches for the rest
    core = [w for w, f in zip(words, folded, strict=True) if f not in PARTICLES]
    if len(core) >= 2 and person_name_likelihood(span) <= _IMPLAUSIBLE:
        return True  # led by a dictionary word (`Performance Max`), an acronym beside it (`Max CPC`), a place
    return bool(core) and all(is_word_not_surname(w) and not is_first_name(w) for w in core)


_IMPLAUSIBLE = 0.1


def word_phrase(span: str) -> bool:
    """Words of the language only, a given name among them only as the first word and itself a word or
    a place (`Victoria Secret`, `Paris Saint-Germain`, `Bill Payment`, `Grace Period`): a phrase, a brand,
    a club. Nothing in it vouches for a person but the capitals, so only person context around it can
    (`spoke to Grace Period`); `Mary Wood`, `Rose Baker` (census surnames) and `Huong Ngo` are no phrase."""
    words = [w for w in span.split() if w.casefold() not in PARTICLES]
    if len(words) < 2 or not is_english_word(words[0]):
        return False
    return all(
        (is_word_not_surname(w) or is_place_compound(w) or is_vocabulary_word(w)) and not is_first_name(w)
        for w in words[1:]
    )


_PARTICLE_LED = 0.5  # `person_name_likelihood` gives a particle-led string without a vouched neighbour 0.45
# Code identifiers: a dot between letters (`server.send`), two humps of camelCase (`sendLoggingMessage`; one
# hump is a name's: `DeShawn`, `McDonald`), or a word that starts lower-case and has a capital inside
# (`costMicros`, `pageViews`; a name word starts with its capital, `d’Angelo` after its apostrophe).
_IDENTIFIER = regex.compile(r"\p{Ll}\.\p{L}|\p{Ll}\p{Lu}\p{Ll}+\p{Lu}|(?<![\p{L}'’])\p{Ll}+\p{Lu}")


# A capitalised phrase: name words joined by spaces, commas, `and`, `&` (`Andrews, Davies and Kirby LLC`).
_PHRASE_AFTER = regex.compile(r"(?:,? (?:\p{Lu}[\p{L}\p{N}'’.-]*|and|und|et|e|y|&))*")


def inside_company_name(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is part of a firm's name that ends in a company form (`Andrews, Davies
    and Kirby LLC`, `Benoit et Fils`, `Schmidt & Söhne GmbH`): there the surnames name the firm. The
    phrase runs over capitalised words and `and`/`&`; a lower-case word (`Maria Gonzalez from Acme Corp`)
    ends it."""
    after = _PHRASE_AFTER.match(text, end, min(len(text), end + 80))
    words = [w for w in text[end : after.end() if after else end].replace(",", " ").split() if w[0].isupper()]
    return bool(words) and words[-1].strip(".").casefold() in COMPANY_WORDS
