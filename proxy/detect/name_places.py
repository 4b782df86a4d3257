"""A town written before its state or country (`Austin, TX`, `Augusta, Georgia`, `Florence, Italy`,
`plumber austin tx`): a place, though the town's name is a given name too.

Why: a name recognizer (spaCy's model most of all) reads a lone given name before a comma as a person
(`Please call Austin, TX office`), and a query's two name-like words as a first and a last name
(`augusta georgia golf`). A reader decides by what comes after: a state or a country after a town of that
state or country says "a place". The evidence is the same here: the pair must be a real town of that
region, as libphonenumber's geocoding data (shipped with `phonenumbers`, which Presidio already needs)
lists them: `Austin, TX` is a town of Texas, `Reyes, TX` is none, so `Austin Reyes, TX office` keeps its
person. No hand-written list of towns.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import regex


def _country_code(key: str, codes: frozenset[int]) -> int | None:
    for n in (1, 2, 3):
        if key[:n].isdigit() and int(key[:n]) in codes:
            return int(key[:n])
    return None


@lru_cache(maxsize=1)
def town_regions() -> dict[str, frozenset[str]]:
    """Casefolded town → the casefolded regions it is written before: for the US and Canada the state's
    or province's code and name (`austin` → `tx`, `texas`, …), elsewhere the country's name (and the
    region the data writes after a comma)."""
    import phonenumbers
    from phonenumbers import geocoder
    from phonenumbers.geodata import GEOCODE_DATA

    codes = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    countries: dict[int, set[str]] = defaultdict(set)
    for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items():
        for region in regions:
            example = phonenumbers.example_number(region)
            if example is not None:
                countries[code].add(geocoder.country_name_for_number(example, "en").casefold())
    # North America: an area code's own entry names its state (`1512` → `Texas`); its towns carry the
    # state's code (`Austin, TX`): together, the code's name.
    area_state = {
        k: v["en"].casefold() for k, v in GEOCODE_DATA.items() if k[:1] == "1" and len(k) == 4 and "en" in v
    }
    towns: dict[str, set[str]] = defaultdict(set)
    for key, names in GEOCODE_DATA.items():
        name = names.get("en")
        if not name:
            continue
        found = _country_code(key, codes)
        if found is None:
            continue
        cc = found
        town, _, region = name.partition(", ")
        town = town.casefold()
        if cc == 1:
            towns[town].update(countries[cc])
            if region:
                towns[town].add(region.casefold())
                state = area_state.get(key[:4])
                if state and "," not in state:
                    towns[town].add(state)
            continue
        towns[town].update(countries[cc])
        if region:
            towns[town].add(region.casefold())
    return {t: frozenset(r - {""}) for t, r in towns.items()}


# What may stand between a town and its region: a comma (spaces around it, or none, as in a CSV row), or,
# in a query written without punctuation, a space.
_REGION_AFTER = regex.compile(r"[ \t]*,[ \t]*|[ \t]+")
_REGION_WORDS = regex.compile(r"\p{L}+(?:[ \-]\p{L}+){0,2}")


def _region_end(town: str, text: str, end: int) -> int | None:
    """Where the region written after `town` (which ends at `end` in `text`) ends, if `town` is a town of
    that region."""
    regions = town_regions().get(town.casefold())
    if not regions:
        return None
    sep = _REGION_AFTER.match(text, end)
    if sep is None:
        return None
    words = _REGION_WORDS.match(text, sep.end())
    if words is None:
        return None
    parts = words.group().split(" ")
    # The longest run of words that is a region (`North Carolina` before `North`), ending at a word edge.
    for n in range(len(parts), 0, -1):
        region = " ".join(parts[:n])
        if region.casefold() in regions:
            return sep.end() + len(region)
    return None


_WORD_START = regex.compile(r"(?:^|(?<=[ \t,]))\p{L}")
_WORD_END = regex.compile(r"\p{L}(?=[ \t,]|$)")


def place_start(text: str, start: int, end: int) -> int | None:
    """Where, in the span `text[start:end]` read as a person, a town written before its state or country
    begins (`Austin` of `Austin, TX`; `augusta` of a query's `augusta georgia`; `Augusta` of a label's
    `Acme Supply, Augusta, ME`): the span is a person's name only up to there. None if it holds no such
    town."""
    value = text[start:end]
    for s in _WORD_START.finditer(value):
        for e in _WORD_END.finditer(value, s.start()):
            town = value[s.start() : e.end()]
            region_end = _region_end(town, text, start + e.end())
            if region_end is not None and region_end >= end:
                return start + s.start()
    return None


def person_before_place(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span cut to what stands before the town it holds (`Acme Supply, Augusta` before `, ME` →
    `Acme Supply`; nothing of `Austin` before `, TX`), or as it was."""
    at = place_start(text, start, end)
    if at is None:
        return start, end
    cut = len(text[start:at].rstrip(" \t,"))
    return (start, start + cut) if cut else None
