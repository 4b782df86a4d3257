"""`Santangelo, Lauren; Chamberlain, Rebecca`: a list of names written `Surname, Given`, one `;` apart, as
Outlook and Exchange write recipients (`To:` lines, Graph `toRecipients`, attendee lists).

A comma also joins a city and its region (`Austin, Texas`) and two words of a list (`Sales, Marketing`), so
one such pair alone needs capitals or a label to be read as a name (`name_lexicon_recognizer`). A list
decides for its items, as a column decides for its cells (`names.is_name_column`): once one item reads as
a person (a known given name after the comma, the pair name-like), every item of the same shape in the list
is a person, however unfamiliar its names. A list of places (most items with a region or country after the
comma: `Paris, France; Dallas, Georgia`) is none.

Free of Presidio: the prefilter asks `might_hold_inverted_list` before the recognizers load."""

from __future__ import annotations

import re

import regex

from proxy.detect.name_lexicon import in_dictionary, is_first_name
from proxy.detect.name_shapes import AFTER, BEFORE, INVERTED
from proxy.detect.place_names import is_place_name

# One item: the inverted name, then what mail clients write after it (` (Required)`, ` <l@x.example>`).
_ITEM = regex.compile(rf"{BEFORE}(?P<name>{INVERTED}){AFTER}")
# Between two items: an address and a note (or neither), then the `;`.
_GAP = regex.compile(
    r"(?:[ \t\u00a0]*+(?:\([^()\n]{0,40}\)|<[^<>\n]{1,120}>|\[\[[A-Z_]+:[a-z0-9]+\]\])){0,2}"
    r"[ \t\u00a0]*;[ \t\u00a0]*+"
)
_CHEAP = re.compile(r"[A-ZÀ-Þ][\w'’-]*, [A-ZÀ-Þ][^;\n]{0,160};[ \t]*[A-ZÀ-Þ\w][\w'’ -]*, [A-ZÀ-Þ]")
_SEED = 0.85  # `person_name_likelihood` of a clear name (the lexicon recognizer's CLEAR)
MAX_ITEMS = 500


def might_hold_inverted_list(text: str) -> bool:
    """The cheap test: two `Word, Word` items one `;` apart."""
    return ";" in text and _CHEAP.search(text) is not None


def _lists(text: str) -> list[list[tuple[int, int]]]:
    """Runs of two or more inverted items joined by `;` gaps, each item as its (start, end)."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for m in _ITEM.finditer(text):
        item = (m.start("name"), m.end("name"))
        if current and _GAP.fullmatch(text, current[-1][1], item[0]) is None:
            if len(current) >= 2:
                runs.append(current)
            current = []
        if len(current) < MAX_ITEMS:
            current.append(item)
    if len(current) >= 2:
        runs.append(current)
    return runs


def _halves(item: str) -> tuple[str, str]:
    surname, _, given = item.partition(",")
    return surname.strip(), given.strip()


def _reads_as_person(item: str) -> bool:
    from proxy.detect.name_text import given_name_after_comma
    from proxy.detect.names import person_name_likelihood

    return (
        given_name_after_comma(item)
        and not is_place_name(_halves(item)[1])
        and person_name_likelihood(item) >= _SEED
    )


def _same_shape(item: str) -> bool:
    """A `Surname, Given` item of the list: not two words of the dictionary neither of which is a given
    name (`Sales, Marketing`)."""
    surname, given = _halves(item)
    words = [*surname.split(), *given.split()]
    return any(is_first_name(w) for w in given.split()) or not all(in_dictionary(w) for w in words)


def inverted_list_names(text: str) -> list[tuple[int, int]]:
    """Every item of every `;` list of inverted names that holds a person (module doc)."""
    out: list[tuple[int, int]] = []
    for run in _lists(text):
        items = [text[s:e] for s, e in run]
        places = sum(is_place_name(_halves(i)[1]) or is_place_name(_halves(i)[0]) for i in items)
        if 2 * places > len(items) or not any(_reads_as_person(i) for i in items):
            continue
        out.extend(span for span, item in zip(run, items, strict=True) if _same_shape(item))
    return out
