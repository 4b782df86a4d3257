"""Person names for planting: first and last names of five locales (Faker's lists, read offline), minus
surnames that are common English words (they would be "found" in any sentence)."""

from __future__ import annotations

import unicodedata
from typing import Any

from faker.providers.person.de_DE import Provider as _De
from faker.providers.person.en_US import Provider as _Us
from faker.providers.person.es_ES import Provider as _Es
from faker.providers.person.fr_FR import Provider as _Fr
from faker.providers.person.it_IT import Provider as _It


def _names(*providers: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    first: list[str] = []
    last: list[str] = []
    for p in providers:
        first.extend(p.first_names)
        last.extend(p.last_names)
    return tuple(dict.fromkeys(first)), tuple(dict.fromkeys(last))


def ascii_only(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode() or "x"


US_FIRST, US_LAST = _names(_Us)
_WORDS = """
rose young king page long price hope love gay may will case bell ball stone wood hall hill wall
mark bill rich hunt park bush rice little black white brown green gray grey cook baker walker day
lane nash nation ware waters banks best church cross field ford frank free golden hay hart house
law lord major marsh meadows moon north west east south pool power prince rock salt snow sparks
strong summer swan wise english french welsh german early mann becker
"""
_COMMON = frozenset(_WORDS.split())
FIRST, LAST = _names(_Us, _De, _Es, _Fr, _It)
LAST = tuple(n for n in LAST if n.casefold() not in _COMMON and " " not in n and len(n) > 2)
APOSTROPHE_LAST = ("O'Brien", "O'Connor", "D'Angelo", "O'Neill", "D'Amico", "L'Heureux", "O'Sullivan")
