"""`@maria.gonzalez`, `@maria_gonzalez`, `@MariaG`, `@mariagonzalez`: a chat mention whose handle is made
of a person's name parts; and `maria_gonzalez` without its `@`, a word of its own in lower case.

A handle is split into parts at dots, underscores and hyphens, at a lower-to-upper case change, or, for one
lower-case run, after a known given name. It is a name when a part is a known given name and every other
part is a name word (a surname, a word of no dictionary, an initial): `@dev-team`, `@max.size` and
`@here` are not. The span is the handle; the `@` stays.
"""

from __future__ import annotations

import re
from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.name_lexicon import (
    census_surnames,
    common_surnames,
    in_dictionary,
    is_english_word,
    is_first_name,
    is_vocabulary_word,
    lexicon_form,
    written_lower_case,
)
from proxy.detect.name_patterns import CONFIDENT, NameRunRecognizer
from proxy.detect.name_words import PLACE_PREFIXES, STRONG, given_evidence, looks_like_surname

_SEPARATOR = re.compile(r"[._-]")
BARE_HANDLE = (
    r"(?<![\p{L}\p{N}_@./\\:=+-])(?P<name>\p{Ll}{3,20}+_\p{Ll}{2,30}+(?:-\p{Ll}{2,30}+)?)"
    r"(?![\p{L}\p{N}_@/\\=+-]|\.\w)"
)
_HALF_SEPARATOR = re.compile(r"[._]")
_CAMEL = regex.compile(r"\p{Lu}\p{Ll}+|\p{Lu}(?!\p{Ll})|\p{Ll}+")
_MIN_GIVEN = 3
_MIN_RUN_REST = 4  # `channel` is not `cha` + `nnel`


def _name_part(part: str) -> bool:
    """A surname-like part: an initial, a census surname, a surname shape, or a word of no dictionary."""
    return (
        len(part) == 1
        or lexicon_form(part) in common_surnames()
        or looks_like_surname(part.title())
        or (len(part) >= 2 and not is_english_word(part) and not is_vocabulary_word(part))
    )


def _given(part: str) -> bool:
    """A clear given name (`maria`, `max`; not `dev`, `here`): common somewhere or no English word."""
    return len(part) >= _MIN_GIVEN and given_evidence(part) == STRONG


def bare_handle_is_name(handle: str) -> bool:
    """A handle without its `@` (`maria_gonzalez`): code writes its identifiers so too (`config_file`,
    `rose_gold`, `max_size`), so both parts need a name list's word: a clear given name that is no word of
    the vocabulary and no place's prefix (`san_marino`), then a census surname of four letters or more
    that is no word of the dictionary. Measured on 20,000 identifiers of the installed packages' sources:
    two read as names, both a person's or a place's (`thomas_beale`, `diego_garcia`)."""
    parts = handle.split("_")
    if len(parts) != 2:
        return False
    given, surname = parts
    return (
        _given(given)
        and not is_vocabulary_word(given)
        and not in_dictionary(given)
        and given not in PLACE_PREFIXES
        and all(
            len(p) >= _MIN_BARE_SURNAME
            and lexicon_form(p) in census_surnames()
            and not in_dictionary(p)
            and not is_vocabulary_word(p)
            for p in surname.split("-")
        )
    )


_MIN_BARE_SURNAME = 4  # `max_len`, `max_val`: three letters after an underscore are an abbreviation


def handle_is_name(handle: str) -> bool:
    return _parts_are_name(handle) or _halves_are_name(handle) or _foreign_given_first(handle)


def _foreign_given_first(handle: str) -> bool:
    """`@maurizio_pages`, `@michèle.baglioni`: a clear given name that is no word at all, in the dictionary
    or written lower case in the pipeline's text (`maurizio`, `michèle`; not `max`, `mark`, `maria`), then
    a separator and one or two alphabetic parts. No handle of a team or a feature starts with such a name,
    so the rest need not look like a surname: surnames are words too (`Pages`, `Baker`)."""
    parts = [p for p in _SEPARATOR.split(handle) if p]
    if not 2 <= len(parts) <= 3 or any(not p.isalpha() or len(p) < 2 for p in parts):
        return False
    lead = parts[0]
    # An accented lead (`michèle`) is no English word whatever the pipeline's text holds unaccented.
    word = in_dictionary(lead) or (lead.isascii() and written_lower_case(lead))
    plain_name = _given(lead) and not word
    return plain_name and max(len(p) for p in parts[1:]) >= _MIN_GIVEN


def _halves_are_name(handle: str) -> bool:
    """`@elvira.valero-giannelli`, `@marie-theres_siering`, `@dalton.vismara`, `@aria.roth-dueñas`: a dot or
    an underscore between a given name and a surname, either double-barrelled (a hyphen joins its pieces).
    The given half is led by a clear given name or one that is no English word (`dalton`, `sierra`), or by
    a word of no dictionary when a name list vouches for a surname piece of no dictionary (`mcbride`; not
    `deal`); a surname half needs one surname-like piece (`wright-plaza`; not `size`, `team-lead`)."""
    halves = [h for h in _HALF_SEPARATOR.split(handle) if h]
    if len(halves) != 2:
        return False
    pieces = [h.split("-") for h in halves]
    if any(not p.isalpha() for half in pieces for p in half):
        return False
    (lead, *_), surname = pieces
    if not any(_name_part(p) and len(p) > 1 for p in surname):
        return False
    if len(lead) >= _MIN_GIVEN and (_given(lead) or (is_first_name(lead) and not is_english_word(lead))):
        return True
    vouched = any(
        (lexicon_form(p) in common_surnames() and not in_dictionary(p)) or looks_like_surname(p.title())
        for p in surname
    )
    return vouched and len(lead) >= _MIN_GIVEN and not in_dictionary(lead)


def _parts_are_name(handle: str) -> bool:
    parts = [p for p in _SEPARATOR.split(handle) if p]
    if len(parts) == 1:
        parts = _CAMEL.findall(handle) if not handle.islower() else _split_run(handle)
    if not 2 <= len(parts) <= 3 or any(not p.isalpha() for p in parts):
        return False
    if _given(parts[0]):
        return all(_name_part(p) for p in parts[1:])
    return len(parts) == 2 and _given(parts[1]) and _name_part(parts[0]) and len(parts[0]) > 1


def _split_run(run: str) -> list[str]:
    """`mariagonzalez` → `maria`, `gonzalez`: the longest known given name it starts with, and the rest.
    A word of the language stays whole (`channel`, `marketing`); glued parts are no shorter than four
    letters unless the rest is a census surname."""
    if is_english_word(run):
        return [run]
    for cut in range(len(run) - 2, _MIN_GIVEN - 1, -1):
        rest = run[cut:]
        census = lexicon_form(rest) in common_surnames()
        long_enough = cut >= _MIN_RUN_REST and len(rest) >= _MIN_RUN_REST
        if _given(run[:cut]) and _name_part(rest) and (census or long_enough):
            return [run[:cut], run[cut:]]
    return [run]


class VeilMentionNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("mention", r"(?<![\w.@+-])@(?P<name>\p{L}[\p{L}._-]{1,40}+)(?![\w@]|\.\w)", CONFIDENT),
        # A handle written without its `@` (`ping maria_gonzalez about it`): lower case, two parts joined by
        # an underscore, a word of its own (not a path's, an address's or a dotted identifier's part).
        Pattern("bare handle", BARE_HANDLE, CONFIDENT),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        handle = match.group("name").rstrip("._-")
        bare = match.start("name") == 0 or text[match.start("name") - 1] != "@"
        if not (bare_handle_is_name(handle) if bare else handle_is_name(handle)):
            return None
        return match.start("name"), match.start("name") + len(handle), CONFIDENT
