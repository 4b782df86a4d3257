"""Names as travel systems write them: a booking's `SURNAME/GIVEN` (`CHAMBERLAIN/REBECCA MS`, a PNR's
passenger `name`, a boarding pass, `Stanczyk/Gregory`), and the name field of a passport's or an ID card's
machine-readable zone (`P<USAMASTROIANNI<<JONATHAN<<<<<<<<`, ICAO Doc 9303).

A slash also joins two words (`and/or`, `Input/Output`, `Austin/Texas`, `Johnson/Johnson`, `TCP/IP`) and
path parts (`/Users/maria`): the pair is taken when it stands alone (no other slash or letter glued to
it), the part after the slash is a clear given name (`given_evidence` strong; a rarer one beside a census
surname of no dictionary), and the part before it is a census surname or a word of no dictionary, never a
place nor the same word.

An MRZ is read by its structure, not by its words: a line led by a document code and an issuing state
(`P<USA`, `I<UTO`, `IDFRA`) whose name field holds `SURNAME<<GIVEN` with `<` filler, or the third line of
an ID card's three 30-character lines. Every name in it is taken, familiar or not.

Free of Presidio: the prefilter asks `might_hold_travel_name`."""

from __future__ import annotations

import re

import regex

from proxy.detect.name_lexicon import census_surnames, in_dictionary, is_first_name, lexicon_form
from proxy.detect.name_words import STRONG, given_evidence
from proxy.detect.place_names import is_place_name

_L = r"\p{L}"
_TITLES = r"(?:MRS?|MS|MISS|MSTR|DR|CHD|INF)"  # a passenger's title or type after the given name
# `SURNAME/GIVEN`, `SURNAME/GIVEN MIDDLE`, `Surname/Given`; a passenger title may follow (`MS`, `MR`).
_SLASHED = regex.compile(
    rf"(?<![{_L}\p{{N}}_/\\.@-]|\p{{N}}\.\p{{N}}(?=\p{{Lu}}))"
    rf"(?P<surname>\p{{Lu}}[{_L}'’]{{1,30}}+(?:[- ]\p{{Lu}}[{_L}'’]{{1,30}}+)?)"
    rf"/(?P<given>\p{{Lu}}[{_L}'’-]{{1,30}}+(?:[ ](?!{_TITLES}\b)\p{{Lu}}[{_L}]{{1,30}}+)?)"
    rf"(?![{_L}\p{{N}}_/\\@]|\.\p{{L}})"
)
# A TD3/TD2 first line (passport, visa, ID card): document code, issuing state, then the name field.
_MRZ_NAME_LINE = regex.compile(
    r"^(?P<head>[PIACV][A-Z<][A-Z<]{3})(?P<name>[A-Z]+(?:<[A-Z]+)*<<[A-Z]+(?:<[A-Z]+)*)<*[ \t]*$",
    regex.MULTILINE,
)
# A TD1 third line: the name field alone, 30 characters, after two 30-character MRZ lines.
_TD1 = regex.compile(
    r"^[A-Z0-9<]{30}[ \t]*\n[A-Z0-9<]{30}[ \t]*\n(?P<name>[A-Z]+(?:<[A-Z]+)*<<[A-Z]+(?:<[A-Z]+)*)<*[ \t]*$",
    regex.MULTILINE,
)
_TD1_WIDTH = 30
_CHEAP = re.compile(r"[A-Za-zÀ-ÿ'’]/[A-ZÀ-Þ]|[A-Z]<<[A-Z]")


def might_hold_travel_name(text: str) -> bool:
    return _CHEAP.search(text) is not None


def _census(word: str) -> bool:
    return lexicon_form(word) in census_surnames()


def _surname_part(word: str) -> bool:
    """A census surname that is no place (`Wiley`, `Lara`: given names too), or a word of neither the
    dictionary nor the given names (`Mastroianni`)."""
    if is_place_name(word):
        return False
    return _census(word) or (not in_dictionary(word) and given_evidence(word) != STRONG)


def slashed_names(text: str) -> list[tuple[int, int]]:
    """Each `SURNAME/GIVEN` pair (module doc) as its span, surname to given name."""
    out: list[tuple[int, int]] = []
    for m in _SLASHED.finditer(text):
        surname, given = m.group("surname"), m.group("given")
        first = given.split()[0]
        if lexicon_form(surname) == lexicon_form(first) or is_place_name(given):
            continue
        parts = re.split(r"[- ]", surname)
        if not all(_surname_part(w) for w in parts):
            continue
        # A rarer given name that is also a word (`WILL`, `SUMMER`) needs a census surname of no dictionary.
        census = all(_census(w) and not in_dictionary(w) for w in parts)
        if given_evidence(first) == STRONG or (is_first_name(first) and census):
            out.append((m.start(), m.end()))
    return out


def mrz_names(text: str) -> list[tuple[int, int]]:
    """The name field of each machine-readable zone (module doc), from its first letter to its last."""
    out = [(m.start("name"), m.end("name")) for m in _MRZ_NAME_LINE.finditer(text)]
    for m in _TD1.finditer(text):
        line_start = text.rfind("\n", 0, m.start("name")) + 1
        if len(text[line_start:].split("\n", 1)[0].rstrip()) == _TD1_WIDTH:
            out.append((m.start("name"), m.end("name")))
    return out


def travel_names(text: str) -> list[tuple[int, int]]:
    return slashed_names(text) + mrz_names(text)
