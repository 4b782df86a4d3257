"""Names glued into identifiers that systems write: URL slugs (`linkedin.com/in/maria-gonzalez-4b2a19`,
`/team/priya-raman`, `?author=maria-gonzalez`), file names (`Maria_Gonzalez_Resume_2024.pdf`,
`maria.gonzalez.vcf`), branch names (`maria-gonzalez/login-bug`, `feature/mgonzalez-fix`), host and device
names (`Sofia-Hernandezs-MacBook-Pro.local`, `DESKTOP-LGARCIA`, `Marias-iPhone`, `sofia-hernandez-laptop`):
the judgement behind `VeilIdentifierNameRecognizer`, free of Presidio for the prefilter.

An identifier is a run of letters and digits joined by `-`, `_` or `.`; it is split there and at case
changes (`MacBook` → `Mac`, `Book`), and a possessive `s` is read off a part (`Hernandezs` → `Hernandez`).
What says "a person" is a pair of neighbouring parts: a clear given name (`given_evidence` strong, three
letters or more), then a census surname that is no word of the language in any dictionary or vocabulary
(`gonzalez`, `raman`; not `park`, `shoes`, `timeout`). Slugs of article titles, report file names and
service host names (`how-to-fix-a-leak`, `q3_sales_report.pdf`, `web-01.prod`, `build-agent-3`) hold no such
pair. Where the identifier names a device or a branch (a device word beside it: `DESKTOP-`, `-laptop`,
`iPhone`, `.local`; a branch prefix: `feature/`, `fix/`), less will do, as a login's place allows: an
initial glued to a census surname (`LGARCIA`, `mgonzalez`), a given name and surname glued
(`sofiahernandez`), or a device owner's possessive given name (`Marias-iPhone`). The span is the name's
parts (the separator between them included), not the whole identifier: `…/in/[[PERSON]]-4b2a19`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from proxy.detect.directory_names import given_and_surname, initial_and_surname
from proxy.detect.name_lexicon import (
    census_surnames,
    in_dictionary,
    is_english_word,
    is_vocabulary_word,
    lexicon_form,
    stop_words,
)
from proxy.detect.name_words import NONE, PLACE_PREFIXES, STRONG, given_evidence

# An identifier: alphanumeric pieces joined by `-`, `_`, `.` (one or two in a row), at least one join.
# Linear: each piece is a maximal run, and a join needs a separator.
IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z0-9]{1,40}(?:[._-]{1,2}[A-Za-z0-9]{1,40}){1,11}(?![A-Za-z0-9])"
)
# For the prefilter: a letter run, a separator, a letter run (both three letters or more).
TRIGGER = re.compile(r"[A-Za-z]{3}[._-]{1,2}[A-Za-z]{3}")
_PIECE = re.compile(r"[A-Za-z0-9]+")
# Case changes inside a piece: `MacBook` → `Mac` `Book`, `iPhone` → `i` `Phone`, `LGARCIA` stays whole.
_CASE_PART = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]|[0-9]+")
# A branch name's conventional lead: its next segment names the work or its author.
_BRANCH_LEAD = re.compile(
    r"(?<![A-Za-z0-9])(?:feature|feat|bugfix|fix|hotfix|chore|wip|topic)/$",
    re.IGNORECASE,
)
# Words that make an identifier a host's or a device's name (a closed class: makes and kinds of devices).
_DEVICE_WORDS = frozenset(
    (
        "desktop", "laptop", "notebook", "pc", "macbook", "mbp", "mba", "imac", "iphone", "ipad", "ipod",
        "android", "tablet", "workstation", "thinkpad", "chromebook",
    )
)  # fmt: skip
# A path segment or query key that says "a person" right before the identifier: a profile, a team page,
# an author filter (`/in/`, `/team/`, `?author=`).
_PERSON_PATH = re.compile(
    r"(?:[/?&](?:in|u|team|people|staff|authors?|profiles?|users?|members?|employees?|speakers?|"
    r"contributors?|agents?|doctors?|providers?|by|writer|owner)[/=])$",
    re.IGNORECASE,
)
# Words of a file that is about one person (a closed class of personal documents): `…_Resume_2024.pdf`.
_PERSONAL_FILES = frozenset(
    (
        "resume", "cv", "passport", "offer", "contract", "payslip", "paystub", "license", "licence", "visa",
        "reference", "bio", "headshot", "portrait", "signature", "vcf", "timesheet", "onboarding",
    )
)  # fmt: skip
# Capitalised words joined by single hyphens and nothing else: prose (`Ayala-Johnson`, `Jean-Luc`).
_HYPHENATED_WORDS = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)+")
# A time zone's area: what follows is a place (`Asia/Hong_Kong`, `Atlantic/Jan_Mayen`), never a person.
_ZONE_AREA = re.compile(
    r"(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/$"
)
_DEVICE_PARTS = frozenset(
    ("mac", "book", "phone", "pad", "pro", "air", "mini", "local")
)  # `MacBook`, `iPhone`
_MIN_GIVEN = 3
_MIN_SURNAME = 3
_MIN_PAIR = 7  # letters of a pair at least (`pii_phi` is an acronym's pair, `tom.lowe` a name)
_MIN_LOGIN = 5


def _parts(ident: str, offset: int) -> list[tuple[int, int, str]]:
    """The parts of an identifier as (start, end, lower-case text), in the text's coordinates."""
    out = []
    for piece in _PIECE.finditer(ident):
        for part in _CASE_PART.finditer(piece.group()):
            start = offset + piece.start() + part.start()
            out.append((start, start + len(part.group()), part.group().casefold()))
    return out


@lru_cache(maxsize=8192)
def clear_given(part: str) -> bool:
    return len(part) >= _MIN_GIVEN and part.isalpha() and given_evidence(part) == STRONG


@lru_cache(maxsize=8192)
def placed_given(part: str) -> bool:
    """Where the place says "a person": any given name a name list knows (`spencer`, `summer`)."""
    return len(part) >= _MIN_GIVEN and part.isalpha() and given_evidence(part) != NONE


@lru_cache(maxsize=8192)
def known_surname(part: str) -> bool:
    """A census surname that is no word of the language (`gonzalez`; not `park`, `wood`, `lang`), or its
    possessive (`hernandezs`)."""
    if len(part) < _MIN_SURNAME or not part.isalpha():
        return False
    if _plain_surname(part):
        return True
    return part.endswith("s") and _plain_surname(part[:-1])


def _plain_surname(part: str) -> bool:
    return (
        len(part) >= _MIN_SURNAME
        and lexicon_form(part) in census_surnames()
        and not (in_dictionary(part) or is_english_word(part) or is_vocabulary_word(part))
    )


def _owner_given(part: str) -> bool:
    """`marias`, `priya`: a clear given name with a possessive `s` (`Maria's iPhone` as a host name), or
    one alone that is no word of the language (`grant`, `mark` are words)."""
    if part.endswith("s") and clear_given(part[:-1]):
        return True
    return clear_given(part) and not (is_english_word(part) or is_vocabulary_word(part))


def _device_or_branch(text: str, m: re.Match[str]) -> bool:
    """A device word among the parts or an mDNS name (`….local`), or a branch prefix before the run."""
    pieces = _PIECE.findall(m.group().casefold())
    if any(p in _DEVICE_WORDS for p in pieces) or pieces[-1] == "local":
        return True
    return _BRANCH_LEAD.search(text, max(0, m.start() - 8), m.start()) is not None


def _person_place(text: str, m: re.Match[str], parts: list[tuple[int, int, str]]) -> bool:
    """The identifier names a person's thing: a device, a branch, a profile or team page, a personal
    document. There a surname that is also a word will do (`lena-grafs-imac`, `tilmann_gross_resume.pdf`);
    elsewhere it would take `rose-gold`, `jordan-brand` (`renzo-decker/new-report` is left)."""
    if _device_or_branch(text, m) or any(p[2] in _PERSONAL_FILES for p in parts):
        return True
    return _PERSON_PATH.search(text, max(0, m.start() - 14), m.start()) is not None


def any_surname(part: str) -> bool:
    """A census surname, word of the language or not (`gross`, `cole`), or its possessive (`coles`)."""
    if len(part) < _MIN_SURNAME or not part.isalpha() or part in stop_words():
        return False
    surnames = census_surnames()
    return lexicon_form(part) in surnames or (part.endswith("s") and lexicon_form(part[:-1]) in surnames)


def _placed_surname(part: str) -> bool:
    """Where the place says "a person" (`_person_place`): a census surname, or a word of no dictionary,
    vocabulary or device make (`fliegner`; not `pro`, `resume`, `fix`)."""
    if any_surname(part):
        return True
    return (
        len(part) >= _MIN_SURNAME
        and part.isalpha()
        and part not in _DEVICE_WORDS
        and part not in _DEVICE_PARTS
        and part not in _PERSONAL_FILES
        and not (in_dictionary(part) or is_english_word(part) or is_vocabulary_word(part))
    )


def identifier_names(text: str) -> list[tuple[int, int]]:
    """The spans of the names glued into the identifiers of `text` (module doc)."""
    out: list[tuple[int, int]] = []
    if TRIGGER.search(text) is None:
        return out
    for m in IDENTIFIER.finditer(text):
        if _ZONE_AREA.search(text, max(0, m.start() - 11), m.start()) is not None:
            continue
        parts = _parts(m.group(), m.start())
        placed = _person_place(text, m, parts)
        if not placed and _HYPHENATED_WORDS.fullmatch(m.group()):
            continue  # `Ayala-Johnson and Sons`, `Jean-Luc`: prose's double-barrelled words
        found = _pairs(
            parts, placed_given if placed else clear_given, _placed_surname if placed else known_surname
        )
        if not found and _device_or_branch(text, m):
            found = _device_owner(text, parts)
        out.extend(found)
    return out


def _pairs(
    parts: list[tuple[int, int, str]], given_like: Callable[[str], bool], surname_like: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """Given name then surname, neighbours (a second surname part joins them: `garcia-lopez`)."""
    out = []
    i = 0
    while i < len(parts) - 1:
        given, surname = parts[i][2], parts[i + 1][2]
        if (
            given_like(given)
            and surname_like(surname)
            and len(given) + len(surname) >= _MIN_PAIR
            and given not in PLACE_PREFIXES
        ):
            j = i + 1
            while j + 1 < len(parts) and known_surname(parts[j + 1][2]) and not clear_given(parts[j + 1][2]):
                j += 1
            out.append((parts[i][0], parts[j][1]))
            i = j + 1
            continue
        i += 1
    return out


def _device_owner(text: str, parts: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """In a device's or a branch's name: one part that is a login made of a name (`lgarcia`, `ecox`,
    `sofiahernandez`), or its owner's given name (`Marias-iPhone`, `priya-laptop`)."""
    out = []
    for start, end, part in parts:
        if part in _DEVICE_WORDS or part in _DEVICE_PARTS or not part.isalpha():
            continue
        if (
            _owner_given(part)
            or (
                len(part) >= (_MIN_LOGIN - 1 if text[start:end].isupper() else _MIN_LOGIN)  # `DESKTOP-ECOX`
                and not (in_dictionary(part) or is_english_word(part) or is_vocabulary_word(part))
                and (
                    lexicon_form(part[1:]) in census_surnames()
                    or initial_and_surname(part)
                    or given_and_surname(part)
                )
            )
        ):
            out.append((start, end))
    return out


def might_hold_identifier_name(text: str) -> bool:
    return bool(identifier_names(text))
