"""A name standing alone in two more places than a whole line: after a sign-off dash (`— G. Tolliver`,
`– Maria Gonzalez`, `-- Jonathan Mastroianni` closing a mail or a note) and as a whole cell of a Markdown
row (`| Gallagher, Danielle | Controller | Finance |`, no header to say the column holds names).

Both are judged as a whole line is (`name_standalone.standalone_name`): the dash and the cell's bars are
what a bullet is to a line, no part of the name. An initial and a surname (`G. Tolliver`), which a line
of its own does not vouch for, is taken after a sign-off dash when the surname is a census surname of no
dictionary and no place, or a word of no dictionary at all: a dash before `A. Introduction` is an
outline's, not a signature's.

Free of Presidio: the prefilter asks `might_hold_signoff_or_cell`."""

from __future__ import annotations

import re

import regex

from proxy.detect.name_lexicon import census_surnames, in_dictionary, is_english_word, lexicon_form
from proxy.detect.name_patterns import INVERTED, RUN
from proxy.detect.name_standalone import standalone_name
from proxy.detect.place_names import is_place_name

# The views unify dashes (`—` reads `-`), so a plain hyphen leads a sign-off too; after a hyphen alone a
# bullet is as likely, which is why an initial's surname must be no word (module doc).
_DASH = r"(?:—|–|--?|~)"
_INITIALS = r"\p{Lu}\.(?:[ ]?\p{Lu}\.)?[ ]?(?P<surname>\p{Lu}\p{Ll}[\p{L}'’-]{1,30}+)"
_SIGNOFF = regex.compile(
    rf"^[ \t]*{_DASH}[ \t]*(?P<name>{_INITIALS}|{INVERTED}|{RUN})[ \t]*\r?$", regex.MULTILINE
)
_CELL = regex.compile(rf"(?<=\|)[ \t]*+(?P<name>{INVERTED}|{RUN})[ \t]*+(?=\|)")
_CHEAP = re.compile(
    r"^[ \t]*(?:—|–|--|~)[ \t]*[A-ZÀ-Þ]|^[ \t]*-[ \t]*[A-ZÀ-Þ]\."
    r"|\|[ \t]*[A-ZÀ-Þ][\w'’.-]*,?[ \u00a0][A-ZÀ-Þ][\w'’.-]*[ \t]*\|",
    re.MULTILINE,
)


def might_hold_signoff_or_cell(text: str) -> bool:
    return _CHEAP.search(text) is not None


def _initial_surname(surname: str) -> bool:
    if is_place_name(surname) or in_dictionary(surname):
        return False
    return lexicon_form(surname) in census_surnames() or not is_english_word(surname)


def signoff_names(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _SIGNOFF.finditer(text):
        name = m.group("name")
        surname = m.group("surname")
        if (surname is not None and _initial_surname(surname)) or standalone_name(name):
            out.append(m.span("name"))
    return out


def cell_names(text: str) -> list[tuple[int, int]]:
    """A whole cell of a Markdown row (a `|` on each side of it) that is a name."""
    return [m.span("name") for m in _CELL.finditer(text) if standalone_name(m.group("name"))]
