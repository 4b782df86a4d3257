"""A person's name split into its parts, one field each: `{"first": "Maria", "last": "Gonzalez"}`,
`first,last` CSV columns, `?first=Maria&last=Gonzalez`.

The given name alone reads as a name (a first-name lexicon knows it); the family name alone is one
capitalised word no lexicon vouches for (`Gonzalez`, `Kovalenko`), below the bar a bare string under a name
key needs. Its key says what it is: a family-name key (`last`, `surname`, `lastName`, `family_name`,
`nachname`, `apellido`, `cognome`, …) with a value shaped like a family name (capitalised words of letters,
hyphens, apostrophes, name particles) is a PERSON value. `last`, `family` and `nom` say it less surely
(`"last": "Never"`, `"family": "Roboto"`): alone, their value must also be no dictionary word, or a census
surname; beside a given-name part that reads as a name (`first`, `givenName`, `vorname`, …), any family
name shape will do. A date, a number, an enum (`2024-01-01`, `true`, `never`, `ENABLED`) has no such shape.
"""

from __future__ import annotations

import re
from functools import lru_cache

from proxy.detect.name_lexicon import common_surnames, in_dictionary, is_first_name, lexicon_form
from proxy.detect.name_words import PARTICLES
from proxy.policy import normalize_key

# Keys (as `normalize_key` folds them) that name a family name by themselves.
_FAMILY = frozenset(
    {
        "surname",
        "surnames",
        "lastname",
        "lastnames",
        "familyname",
        "lname",
        "secondsurname",
        "secondlastname",
        "maidenname",
        "birthname",
        "middlename",
        "paternalsurname",
        "maternalsurname",
        "apellidopaterno",
        "apellidomaterno",
        "primerapellido",
        "segundoapellido",
        "nachname",
        "familienname",
        "geburtsname",
        "apellido",
        "apellidos",
        "cognome",
        "achternaam",
        "sobrenome",
        "nomdefamille",
        "nomdenaissance",
    }
)
# Keys that name a family name less surely (`last` of a range, `family` of a font, `nom` of anything).
_FAMILY_WEAK = frozenset({"last", "family", "nom", "middle"})
# Keys that name a given name.
_GIVEN = frozenset(
    {
        "first",
        "firstname",
        "firstnames",
        "given",
        "givenname",
        "givennames",
        "forename",
        "forenames",
        "fname",
        "christianname",
        "vorname",
        "prenom",
        "prénom",
        "nombre",
        "nome",
        "voornaam",
        "primeironome",
    }
)
_FAMILY_TAILS = ("lastname", "familyname", "surname", "lname", "nachname", "apellido", "cognome")
_GIVEN_TAILS = ("firstname", "givenname", "forename", "vorname", "prenom", "fname")
_ROLE_PREFIX = re.compile(r"[a-z]{2,24}")

# One word of a family name: letters, inner hyphens and apostrophes (`O'Neill`, `Garcia-Lopez`).
_WORD = re.compile(r"[^\W\d_]{1,30}(?:['’\-][^\W\d_]{1,30}){0,3}\.?")
_MAX_CHARS = 48


@lru_cache(maxsize=4096)
def _kind(key: str) -> int:
    """0: no name part; 1: a family-name key; 2: a weak one (`last`); 3: a given-name key."""
    nk = normalize_key(key)
    if nk in _FAMILY:
        return 1
    if nk in _FAMILY_WEAK:
        return 2
    if nk in _GIVEN:
        return 3
    # `contactLastName`, `billing_surname`, `customerFirstName`: a qualifier before a part's key.
    for tails, kind in ((_FAMILY_TAILS, 1), (_GIVEN_TAILS, 3)):
        for tail in tails:
            if nk.endswith(tail) and _ROLE_PREFIX.fullmatch(nk[: -len(tail)]):
                return kind
    return 0


def is_family_key(key: str) -> bool:
    return _kind(key) in (1, 2)


def is_given_key(key: str) -> bool:
    return _kind(key) == 3


def is_part_key(key: str) -> bool:
    return _kind(key) != 0


def family_shaped(value: str) -> bool:
    """One to four words, each capitalised letters (`Gonzalez`, `O'Neill`, `GARCIA-LOPEZ`) or a name
    particle (`de la Cruz`, `van der Berg`); at least one capitalised word of two letters or more."""
    value = value.strip()
    if not value or len(value) > _MAX_CHARS:
        return False
    words = value.split()
    if len(words) > 4:
        return False
    core = 0
    for w in words:
        if w.casefold() in PARTICLES and (w.islower() or w.istitle()):
            continue
        if not _WORD.fullmatch(w) or not w[0].isupper():
            return False
        if len(w.strip(".")) >= 2:
            core += 1
    return core >= 1


def _weakly_a_surname(value: str) -> bool:
    """Under a weak key alone: the last word is a census surname, or none of its words a dictionary word
    (`Gonzalez`, `Kovalenko`; not `Never`, `Monday`, `Roboto Mono`)."""
    words = [w for w in value.split() if w.casefold() not in PARTICLES]
    if not words:
        return False
    if lexicon_form(words[-1]) in common_surnames():
        return True
    return not any(in_dictionary(p) for w in words for p in re.split(r"['’\-]", w) if len(p) > 2)


def family_value(key: str, value: str, beside_given: bool = False) -> bool:
    """Whether `value` under `key` is a person's family name (module docstring)."""
    kind = _kind(key)
    if kind not in (1, 2) or not family_shaped(value):
        return False
    return kind == 1 or beside_given or _weakly_a_surname(value)


def given_value(value: str) -> bool:
    """A given-name part that reads as one: capitalised, and the lexicon knows its first word or it is
    no dictionary word."""
    if not family_shaped(value):
        return False
    first = value.split()[0]
    return is_first_name(first) or not in_dictionary(first.strip("."))
