"""Names glued into identifiers that systems write: URL slugs (`linkedin.com/in/maria-gonzalez-4b2a19`,
`/team/priya-raman`, `?author=maria-gonzalez`), file names (`Maria_Gonzalez_Resume_2024.pdf`,
`maria.gonzalez.vcf`), branch names (`maria-gonzalez/login-bug`, `feature/mgonzalez-fix`), host and device
names (`Sofia-Hernandezs-MacBook-Pro.local`, `DESKTOP-LGARCIA`, `Marias-iPhone`, `sofia-hernandez-laptop`):
the judgement behind `VeilIdentifierNameRecognizer`, free of Presidio for the prefilter.

An identifier is read into parts by `identifier_parts` (any separator, case changes, digit boundaries,
accents folded for the lexicons; a path segment, a query value or a hashtag alone too), and a possessive
`s` is read off a part (`Hernandezs` → `Hernandez`). What says "a person" is a pair of neighbouring parts,
in either order (`Gonzalez_Maria_Resume.pdf`): a clear given name (`given_evidence` strong, three letters or
more) and a census surname that is no word of the language in any dictionary or vocabulary (`gonzalez`,
`raman`; not `park`, `shoes`, `timeout`), a middle initial, a particle or a short glued digit run allowed
between (`matteo-j-figueroa`, `federico2nakamura`); or one part that is such a pair glued
(`/in/dmitrinavarro`; in a hashtag between words: `#teamdmitripetrov`). Slugs of article titles, report
file names, service host names, places and products (`how-to-fix-a-leak`, `q3_sales_report.pdf`,
`web-01.prod`, `paris-texas`, `GEORGIA_PEACH_TEA`, `santa-maria`) hold no such pair. Where the identifier
names a device or a branch (a device word beside it: `DESKTOP-`, `-laptop`, `iPhone`, `.local`; a branch
prefix: `feature/`, `fix/`), less will do, as a login's place allows: an initial glued to a census surname
(`LGARCIA`, `mgonzalez`), a given name and surname glued (`sofiahernandez`), or a device owner's possessive
given name (`Marias-iPhone`); in a profile path or an account host, an initial and a surname
(`/team/f-delgado`, `github.com/jacosta`). The span is the name's parts (the separator between them
included), not the whole identifier: `…/in/[[PERSON]]-4b2a19`, `#team[[PERSON]]`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from proxy.detect.directory_names import given_and_surname, initial_and_surname
from proxy.detect.identifier_parts import (
    PIECE,
    TRIGGER,
    Part,
    candidates,
    is_hashtag,
    parts,
    slash_joined,
)
from proxy.detect.name_lexicon import (
    census_surnames,
    in_dictionary,
    is_english_word,
    is_vocabulary_word,
    lexicon_form,
    stop_words,
)
from proxy.detect.name_words import NONE, PLACE_PREFIXES, STRONG, given_evidence

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
# A host whose first path segment is an account (`github.com/jacosta`, `calendly.com/nkowalczyk/30min`):
# there a login made of a name is read, as in a profile path; not the looser pairs (`github.com/summer-cms`).
_ACCOUNT_HOST = re.compile(
    r"(?<![\w.-])(?:www\.)?(?:github|gitlab|calendly|medium|behance|dribbble|keybase)\.(?:com|io)/$",
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


def after_branch_prefix(text: str, at: int) -> bool:
    """Whether a branch prefix (`feature/`, `hotfix/`) ends at `at`: what follows is a branch's name."""
    return _BRANCH_LEAD.search(text, max(0, at - 8), at) is not None


def _device_or_branch(text: str, m: re.Match[str]) -> bool:
    """A device word among the parts or an mDNS name (`….local`), or a branch prefix before the run."""
    pieces = PIECE.findall(m.group().casefold())
    if any(p in _DEVICE_WORDS for p in pieces) or pieces[-1] == "local":
        return True
    return _BRANCH_LEAD.search(text, max(0, m.start() - 8), m.start()) is not None


def _person_place(text: str, m: re.Match[str], parts: list[Part]) -> bool:
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
    # A path segment or tag that is one word (`/products/`, `#section`) is no name: left before it is read.
    found = [m for m in candidates(text) if not m.group().isalpha() or _could_name(m.group().casefold())]
    read = [parts(m.group(), m.start()) for m in found]
    for n, (m, ps) in enumerate(zip(found, read, strict=True)):
        if not any(_could_name(p.key) for p in ps):
            continue  # `/products/reviews`, `q3_sales_report.pdf`: no given name, nothing a name is made of
        if _ZONE_AREA.search(text, max(0, m.start() - 11), m.start()) is not None:
            continue
        placed = _person_place(text, m, ps)
        if not placed and _HYPHENATED_WORDS.fullmatch(m.group()):
            continue  # `Ayala-Johnson and Sons`, `Jean-Luc`: prose's double-barrelled words
        hashtag = is_hashtag(text, m)
        if hashtag and ps:
            ps = [*_hashtag_lead(ps[0]), *ps[1:]]
        topic = after_branch_prefix(text, m.start())
        spans = _pairs(ps, placed, topic)
        taken = {i for i, p in enumerate(ps) if any(a <= p.start < b for a, b in spans)}
        spans += _glued(ps, taken, hashtag)
        if not spans and (placed or _ACCOUNT_HOST.search(text, max(0, m.start() - 18), m.start())):
            spans = _placed_login(ps)
        if not spans and _device_or_branch(text, m):
            spans = _device_owner(text, ps)
        if n and slash_joined(text, found[n - 1], m) and read[n - 1] and ps:
            before, after = read[n - 1][-1], ps[0]
            if _strong_pair(before.key, after.key) or _strong_pair(after.key, before.key):
                spans.append((before.start, after.end))  # `/people/guadalupe/sanchez`
        out.extend(spans)
    return out


# What may stand between a given name and its surname: a middle initial, a particle (`matteo-j-figueroa`,
# `chiara-de-sharma`), or, glued in one piece, a short digit run (`federico2nakamura`).
_PARTICLES = frozenset(
    ("de", "del", "della", "da", "di", "do", "dos", "das", "du", "van", "von", "der", "den", "la", "le", "y")
)


def _bridge(parts: list[Part], i: int, k: int) -> bool:
    part = parts[k].key
    if part.isdigit():
        return len(part) <= 4 and parts[i].piece == parts[k].piece == parts[k + 1].piece
    return (len(part) == 1 and part.isalpha()) or part in _PARTICLES


def _strong_pair(given: str, surname: str) -> bool:
    """A clear given name and a census surname of no dictionary: a person wherever it stands."""
    return (
        clear_given(given)
        and known_surname(surname)
        and len(given) + len(surname) >= _MIN_PAIR
        and given not in PLACE_PREFIXES
    )


def _topic_words(given: str, surname: str) -> bool:
    """Two words in use (`amber-alert`, `summer-sale`, `rose-gold`, `will-power`): after a branch prefix
    they name the work, as `grace-period` does; a branch named after a person has a surname no word
    (`amber-gonzalez`), which the clear pairs take anyway."""
    return is_english_word(given) and is_english_word(surname)


def _pairs(parts: list[Part], placed: bool, topic: bool = False) -> list[tuple[int, int]]:
    """Given name then surname (a middle initial or a particle between, a second surname part joining
    them: `garcia-lopez`), or surname then given name (`Gonzalez_Maria_Resume.pdf`, the order of HR and
    scan files). Where the place says "a person" (`_person_place`) a looser given name and surname will
    do in the first order; surname first takes a clear given name always, and a census surname."""
    given_like = placed_given if placed else clear_given
    surname_like = _placed_surname if placed else known_surname
    back_surname = any_surname if placed else known_surname
    out = []
    i = 0
    while i < len(parts) - 1:
        given = parts[i].key
        end = None
        if given_like(given) and given not in PLACE_PREFIXES:
            for k in (i + 1, i + 2):
                if k == i + 2 and not (k < len(parts) and _bridge(parts, i, i + 1)):
                    break
                surname = parts[k].key
                if topic and _topic_words(given, surname) and not _strong_pair(given, surname):
                    break
                if surname_like(surname) and len(given) + len(surname) >= _MIN_PAIR:
                    end = k
                    while (
                        end + 1 < len(parts)
                        and known_surname(parts[end + 1].key)
                        and not clear_given(parts[end + 1].key)
                    ):
                        end += 1
                    break
        if end is None:
            surname, after = given, parts[i + 1].key
            if (
                back_surname(surname)
                and surname not in PLACE_PREFIXES  # `santa-maria`, `san-jose`: places
                and clear_given(after)
                and after not in PLACE_PREFIXES
                and len(surname) + len(after) >= _MIN_PAIR
            ):
                end = i + 1
        if end is not None:
            out.append((parts[i].start, parts[end].end))
            i = end + 1
            continue
        i += 1
    return out


_MIN_GLUED_SURNAME = 4


def _glued(parts: list[Part], taken: set[int], hashtag: bool) -> list[tuple[int, int]]:
    """A part that is a given name and a surname glued (`dmitrinavarro`, `wojciechcastillo_resume.pdf`):
    a clear given name, then a census surname of no dictionary, the whole part. In a
    hashtag, where words are glued with the name (`#teamdmitripetrov`, `#freenadiavillanueva`), anywhere
    in the part."""
    out = []
    for i, p in enumerate(parts):
        run = p.key
        if i in taken or len(run) < _MIN_PAIR + 1 or not run.isalpha() or _one_word(run):
            continue  # `charlotte` is no `charl` + `otte`
        at = _glued_at(run, hashtag)
        if at is None:
            continue
        if hashtag and len(run) == p.end - p.start:
            out.append((p.start + at[0], p.start + at[1]))
        else:
            out.append((p.start, p.end))
    return out


def _hashtag_lead(part: Part) -> list[Part]:
    """A hashtag's first part cut after a word that leads it, where a given name follows
    (`#Teamagnes-b-estrada` → `Team`, `agnes`)."""
    run = part.key
    if len(run) != part.end - part.start or not run.isalpha() or _one_word(run):
        return [part]
    for a in range(_MIN_GIVEN, len(run) - _MIN_GIVEN + 1):
        if _affix(run[:a]) and clear_given(run[a:]):
            cut = part.start + a
            return [Part(part.start, cut, run[:a], part.piece), Part(cut, part.end, run[a:], part.piece)]
    return [part]


@lru_cache(maxsize=8192)
def _could_name(part: str) -> bool:
    """A part a name could be read from: a given name, or letters that are no word (a surname, a login, a
    given name and surname glued). A candidate without one is left before its place is looked at."""
    return part.isalpha() and (
        placed_given(part)
        or any_surname(part)
        or (
            len(part) >= _MIN_LOGIN - 1
            and not (in_dictionary(part) or is_english_word(part) or is_vocabulary_word(part))
        )
    )


@lru_cache(maxsize=8192)
def _one_word(run: str) -> bool:
    """A given name, a surname or a word on its own: read whole, not cut."""
    return (
        placed_given(run)
        or any_surname(run)
        or in_dictionary(run)
        or is_english_word(run)
        or is_vocabulary_word(run)
    )


def _affix(word: str) -> bool:
    return len(word) >= _MIN_GIVEN and is_english_word(word)


def _glued_at(run: str, anywhere: bool) -> tuple[int, int] | None:
    """Where in `run` a given name and a surname are glued: the whole run, or (`anywhere`) between words
    of the language (`team`, `free`, `vote`; `#houstonrockets` holds none)."""
    starts = range(len(run) - _MIN_PAIR + 1) if anywhere else range(1)
    for a in starts:
        if a and not _affix(run[:a]):
            continue
        for b in range(a + _MIN_GIVEN, min(a + 12, len(run) - _MIN_GLUED_SURNAME) + 1):
            head = run[a:b]
            if not clear_given(head):
                continue
            # the longest surname first: `petrov`, not `petr`
            ends = range(len(run), b + _MIN_GLUED_SURNAME - 1, -1) if anywhere else (len(run),)
            for c in ends:
                if c < len(run) and not _affix(run[c:]):
                    continue
                if known_surname(run[b:c]) and head not in PLACE_PREFIXES:
                    return a, c
    return None


def _placed_login(parts: list[Part]) -> list[tuple[int, int]]:
    """Where the place says "a person" (a profile or team path, a personal document): an initial and a
    census surname written apart (`S_Hayashi_Resume.pdf`, `/team/f-delgado`), or glued to one of no
    dictionary (`/in/tescobar`)."""
    out = []
    for i, p in enumerate(parts):
        if len(p.key) == 1 and p.key.isalpha() and i + 1 < len(parts) and any_surname(parts[i + 1].key):
            out.append((p.start, parts[i + 1].end))
        elif (
            len(p.key) >= _MIN_LOGIN
            and p.key.isalpha()
            and p.key not in _PERSONAL_FILES
            and not (in_dictionary(p.key) or is_english_word(p.key) or is_vocabulary_word(p.key))
            and known_surname(p.key[1:])
            and initial_and_surname(p.key)
        ):
            out.append((p.start, p.end))
    return out


def _device_owner(text: str, parts: list[Part]) -> list[tuple[int, int]]:
    """In a device's or a branch's name: one part that is a login made of a name (`lgarcia`, `ecox`,
    `sofiahernandez`), or its owner's given name (`Marias-iPhone`, `priya-laptop`)."""
    out = []
    for start, end, part, _ in parts:
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
