"""A name standing alone in two more places than a whole line: after a sign-off dash (`— G. Tolliver`,
`– Maria Gonzalez`, `-- Jonathan Mastroianni` closing a mail or a note) and as a whole cell of a Markdown
row (`| Gallagher, Danielle | Controller | Finance |`, no header to say the column holds names). A table
with a header row (a `|---|` delimiter under it) is read by its header, as every label is (`labels`):
under `Landmark` a `Victoria Park` is a place, under `Name` the label readers take the names.

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
from proxy.detect.name_shapes import INVERTED, RUN
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
_CHEAP_SIGNOFF = re.compile(r"^[ \t]*(?:—|–|--|~)[ \t]*[A-ZÀ-Þ]|^[ \t]*-[ \t]*[A-ZÀ-Þ]\.", re.MULTILINE)
_CHEAP_CELL = re.compile(r"\|[ \t]*[A-ZÀ-Þ][\w'’.-]*,?[ \u00a0][A-ZÀ-Þ][\w'’.-]*[ \t]*\|")


def might_hold_signoff_or_cell(text: str) -> bool:
    """A sign-off line, or a name-shaped cell of a table with no header row (a headed table's cells are
    read by their header: the name readers have nothing to add there)."""
    if _CHEAP_SIGNOFF.search(text) is not None:
        return True
    cell = _CHEAP_CELL.search(text)
    if cell is None or "---" not in text:
        return cell is not None
    headed = _headed_blocks(text)
    return any(not any(a <= m.start() < b for a, b in headed) for m in _CHEAP_CELL.finditer(text))


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


_DELIMITER_ROW = re.compile(
    r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.MULTILINE
)


def _headed_blocks(text: str) -> list[tuple[int, int]]:
    """The [start, end) of each block of `|` lines that holds a header's delimiter row."""
    out: list[tuple[int, int]] = []
    for d in _DELIMITER_ROW.finditer(text):
        if "|" not in d.group():
            continue
        start = text.rfind("\n", 0, d.start()) + 1
        while start > 0:
            prev = text.rfind("\n", 0, start - 1) + 1
            if "|" not in text[prev : start - 1]:
                break
            start = prev
        end = d.end()
        while end < len(text):
            nxt = text.find("\n", end + 1)
            nxt = len(text) if nxt < 0 else nxt
            if "|" not in text[end + 1 : nxt]:
                break
            end = nxt
        out.append((start, end))
    return out


def cell_names(text: str) -> list[tuple[int, int]]:
    """A whole cell of a header-less Markdown row (a `|` on each side of it) that is a name."""
    found = [m for m in _CELL.finditer(text) if standalone_name(m.group("name"))]
    if not found:
        return []
    headed = _headed_blocks(text) if "---" in text else []
    return [m.span("name") for m in found if not any(a <= m.start() < b for a, b in headed)]
