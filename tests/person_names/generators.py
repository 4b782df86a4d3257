"""Seeded generators of person names and of the short strings that must not read as names.

Names come from Faker's locale lists (many countries), never from the lexicon the detector uses; the
non-names are the shapes our backends return: search queries, product and campaign names, page titles,
Google Ads enums, companies, URLs, emails, sentences.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from faker import Faker

from examples.fakedata import _KEYWORDS, _NEIGHBOURHOODS, _QUERY_PREFIXES_EN, _QUERY_SUFFIXES_EN, agency

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "sv_SE", "en_IE"]
PARTICLES = ["van", "van der", "de", "de la", "von", "del", "da", "di", "van den", "dos"]
SURNAME_PREFIXES = ["O’", "O'", "D'", "D’", "Mc", "Mac"]
TITLES = ["Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Dr"]


def _faker(seed: int) -> Faker:
    fake = Faker(LOCALES)
    fake.seed_instance(seed)
    return fake


def person_parts(rng: random.Random, fake: Faker) -> tuple[str, str]:
    loc = fake[rng.choice(LOCALES)]
    return loc.first_name(), loc.last_name()


def name_variant(rng: random.Random, first: str, last: str) -> str:
    """One written form of a person's name: order, casing, apostrophes, particles, titles, initials."""
    form = rng.randrange(12)
    if form == 0:
        return f"{last}, {first}"
    if form == 1:
        return f"{last.upper()}, {first.upper()}"
    if form == 2:
        return f"{first} {last}".upper()
    if form == 3:
        return f"{first} {rng.choice(SURNAME_PREFIXES)}{last.split()[-1].capitalize()}"
    if form == 4:
        return f"{first} {rng.choice(PARTICLES)} {last}"
    if form == 5:
        return f"{rng.choice(TITLES)} {first} {last}"
    if form == 6:
        return f"{first} {last}-{rng.choice(['Jones', 'Smith', 'Meyer', 'Lopez', 'Nowak'])}"
    if form == 7:
        return f"{first[0]}. {last}"
    return f"{first} {last}"


def person_names(n: int, seed: int = 0) -> list[str]:
    rng, fake = random.Random(seed), _faker(seed)
    return [name_variant(rng, *person_parts(rng, fake)) for _ in range(n)]


ENUMS = [
    "ENABLED",
    "PAUSED",
    "REMOVED",
    "SEARCH",
    "DISPLAY",
    "PERFORMANCE_MAX",
    "MAXIMIZE_CONVERSIONS",
    "TARGET_CPA",
    "EXACT",
    "PHRASE",
    "BROAD",
    "UNKNOWN",
    "UNSPECIFIED",
    "MOBILE",
    "DESKTOP",
    "TABLET",
    "ELIGIBLE",
    "LIMITED",
    "APPROVED",
    "DISAPPROVED",
    "ACTIVE",
    "PENDING",
    "CLOSED",
    "CANCELED",
    "SERVING",
]
PAGE_TITLES = [
    "Contact Us",
    "About Us",
    "Home",
    "Our Services",
    "Book an Appointment",
    "Privacy Policy",
    "Blog",
    "Frequently Asked Questions",
    "Meet the Team",
    "Terms and Conditions",
    "Careers",
    "Pricing",
    "Gift Cards",
]


def _query(rng: random.Random, fake: Faker) -> str:
    kind = rng.choice(list(_KEYWORDS))
    if rng.random() < 0.3:
        return " ".join(fake["en_US"].words(rng.randint(1, 4)))
    parts = [rng.choice(_QUERY_PREFIXES_EN), rng.choice(_KEYWORDS[kind]), rng.choice(_QUERY_SUFFIXES_EN)]
    if rng.random() < 0.3:
        parts.append(rng.choice(rng.choice(list(_NEIGHBOURHOODS.values()))))
    return " ".join(p for p in parts if p)


def _product(rng: random.Random, fake: Faker) -> str:
    words = fake["en_US"].words(rng.randint(2, 3))
    if rng.random() < 0.3:
        words = [fake["en_US"].color_name(), *words[1:]]
    text = " ".join(w.capitalize() for w in words)
    return text.upper() if rng.random() < 0.1 else text


def _campaign(rng: random.Random, fake: Faker) -> str:
    names = [c.name for cs in agency(rng.randrange(3)).campaigns.values() for c in cs]
    return rng.choice(names)


def _company(fake: Faker) -> str:
    """A company with a legal form or trade word (a bare surname as a company name is a name)."""
    name, suffix = fake.company(), fake.company_suffix()
    return name if suffix in name else f"{name} {suffix}"


NON_NAME_KINDS: dict[str, Callable[[random.Random, Faker], str]] = {
    "query": _query,
    "product": _product,
    "campaign": _campaign,
    "enum": lambda rng, fake: rng.choice(ENUMS),
    "page title": lambda rng, fake: rng.choice(PAGE_TITLES),
    "company": lambda rng, fake: _company(fake[rng.choice(LOCALES)]),
    "url": lambda rng, fake: fake["en_US"].url() + fake["en_US"].uri_path(),
    "email": lambda rng, fake: fake[rng.choice(LOCALES)].email(),
    "sentence": lambda rng, fake: fake["en_US"].sentence(),
    "city": lambda rng, fake: fake["en_US"].city(),
}


def non_names(n: int, seed: int = 0, kinds: list[str] | None = None) -> list[tuple[str, str]]:
    rng, fake = random.Random(seed), _faker(seed)
    chosen = kinds or list(NON_NAME_KINDS)
    out = []
    for _ in range(n):
        kind = rng.choice(chosen)
        out.append((kind, NON_NAME_KINDS[kind](rng, fake)))
    return out
