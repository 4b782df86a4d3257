"""A person's full name as a folder of a path: `/Shared/HR/Maria Gonzalez/Payslips/2024-05.pdf`,
`s3://acme-hr/employees/maria-gonzalez/`, `{"folder": "Employees/Maria Gonzalez"}`,
`Z:\\Personnel\\Maria_Gonzalez\\note.pdf`, `~/Clients/Maria.Gonzalez`. The judgement behind
`VeilPathFolderNameRecognizer`, free of Presidio for the prefilter.

A bare path is no prose (NER does not read it) and only a home root (`/home/…`, `C:\\Users\\…`) says "a
user" by its place (`directory_names`). Here the place is only "a folder", which holds products, places
and topics as often (`/Marketing/New York/`, `/Projects/Jordan Air Max/`, `gs://b/regions/san-diego/`), so
the folder itself must carry the name evidence the product asks of a name with no context: two or three
parts joined by a space, `-`, `_` or `.`, the first a clear given name (`name_words.given_evidence`:
strong), the last a known surname (a census surname, or a surname's shape: `O'Brien`, `McDonald`), a
middle one a given name or an initial; no part a word no name list holds (`Air`, `Peach`), the last no
kind of place (`Station`, `Airport`: `name_phrases.place_head`), no company word (`Group`, `Partners`), and
the first no place's prefix (`San Diego`, `Los Angeles`: `name_words.PLACE_PREFIXES`), the whole no city
the time-zone database names (`Hong Kong`, `Asia/Hong_Kong`, `santo-domingo`: `_zone_places`).

A folder is a segment that a separator (`/`, `\\`) opens and a separator, the end of the text or line, or
a closing quote ends: in prose, `saved to /HR/Maria Gonzalez yesterday` runs on past the name and is left
to the prose recognizers. The span is the folder, as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from proxy.detect.name_identifiers import after_branch_prefix
from proxy.detect.name_lexicon import census_surnames, is_first_name, lexicon_form
from proxy.detect.name_phrases import no_name_word, place_head
from proxy.detect.name_words import (
    COMPANY_WORDS,
    PLACE_PREFIXES,
    STRONG,
    given_evidence,
    looks_like_surname,
)

# A folder of two or three name-like parts: opened by a separator, closed by a separator or the end.
# Possessive: a part is all its letters (an inner apostrophe, `O'Brien`), never fewer (no backtracking).
_PART = r"[^\W\d_]{1,31}+(?:['’][^\W\d_]{1,31}+)?+"
_FOLDER = rf"{_PART}(?:[ ._-]{_PART}){{1,2}}+"
# A separator first: the engine's fast search for a literal class, where a look-behind tries every position.
# A NUL ends a folder too: the batch scan joins texts with it (`batch_scan`).
FOLDER = re.compile(rf"[/\\]({_FOLDER})(?=[/\\]|[\"'`)\]\x00]|[ \t]*(?:\r?\n|$))")
_SPLIT = re.compile(r"[ ._-]")
_MIN_GIVEN = 3
_MIN_SURNAME = 2


def might_hold_path_name(text: str) -> bool:
    """The prefilter's test: the judgement itself (a text with no separator costs two `in` tests; a path
    one regex pass and a few set lookups per folder of name shape), so that URLs and log paths
    (`/blog/how-to-fix`, `gs://bucket/part-0001`) do not send their text to NER."""
    return bool(path_folder_names(text))


def path_folder_names(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each folder of a path in `text` that is a person's full name (module doc)."""
    if "/" not in text and "\\" not in text:
        return []
    # After a branch prefix (`feature/amber-alert`) the "folder" is a branch's name, read with the branch
    # rules of `name_identifiers` (a topic of two words in use is no person there).
    return [
        m.span(1)
        for m in FOLDER.finditer(text)
        if folder_is_name(m[1]) and not after_branch_prefix(text, m.start(1))
    ]


@lru_cache(maxsize=8192)
def folder_is_name(folder: str) -> bool:
    """Whether one folder (`Maria Gonzalez`, `maria-gonzalez`, `Maria_J_Gonzalez`) is a full name."""
    parts = _SPLIT.split(folder)
    if not 2 <= len(parts) <= 3 or any(not p for p in parts):
        return False
    places = _zone_places()
    if " ".join(parts).casefold() in places or " ".join(reversed(parts)).casefold() in places:
        return False  # a city or country, also written the other way round (`rica-costa`)
    first, last, middle = parts[0], parts[-1], parts[1:-1]
    if first.casefold() in PLACE_PREFIXES:  # `San Diego`, `Los Angeles`, `Santa Monica`
        return False
    if len(first) < _MIN_GIVEN or len(last) < _MIN_SURNAME or given_evidence(first) != STRONG:
        return False
    if any(len(m) > 1 and not is_first_name(m) for m in middle):
        return False
    if any(p.casefold() in COMPANY_WORDS or no_name_word(p) for p in parts) or place_head(last):
        return False
    return lexicon_form(last) in census_surnames() or looks_like_surname(last[:1].upper() + last[1:])


@lru_cache(maxsize=1)
def _zone_places() -> frozenset[str]:
    """The cities and regions of the time-zone database (`Asia/Hong_Kong` → `hong kong`), the one
    gazetteer every install has: a folder named so is a place (an office, a region), and a zone name
    (`America/Santo_Domingo`) is one too. Empty where the system has no zone data (then names go)."""
    import zoneinfo

    try:
        zones = zoneinfo.available_timezones()
    except (OSError, ValueError):  # pragma: no cover - a system without zone data
        return frozenset()
    return frozenset(z.rsplit("/", 1)[-1].replace("_", " ").casefold() for z in zones if "/" in z)
