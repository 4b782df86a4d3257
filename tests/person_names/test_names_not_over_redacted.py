"""What must not read as a person, by class, in every casing the name mechanisms re-case: product names
led by a particle (`Le Creuset Signature 24 cm`), campaign names, search queries, headings, a server's
instructions text, and ordinary sentences that start with a capitalised word that is also a given name
(`Max fetch size controlled by …`, `Mark the invoice as paid`)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from faker import Faker

from proxy.detect.detector import Detector
from proxy.detect.name_lexicon import is_first_name
from proxy.detect.name_words import PARTICLES
from proxy.detect.names import known_name_word
from tests.person_names.generators import PAGE_TITLES, non_names

ROOT = Path(__file__).resolve().parents[2]
EVERYTHING_DOCS = ROOT / ".node/node_modules/@modelcontextprotocol/server-everything/dist/docs"


def _persons(detector: Detector, texts: list[str]) -> dict[str, list[str]]:
    found = detector.detect(texts)
    out = {t: [t[s.start : s.end] for s in spans if s.entity == "PERSON"] for t, spans in found.items()}
    return {t: v for t, v in out.items() if v}


def _products(n: int, seed: int) -> list[str]:
    """`Le Creuset Signature 24 cm`: a particle that is also a given name, a brand word no name list knows
    (French and Italian lorem words that are no given name or surname: `Piazza` is a surname, and `Di
    Piazza` a name), product words, a size."""
    rng, fake = random.Random(seed), Faker(["fr_FR", "it_IT"])
    fake.seed_instance(seed)
    particles = sorted(p for p in PARTICLES if is_first_name(p) and len(p) >= 2)
    brands = sorted({w.capitalize() for w in fake.words(400) if len(w) > 3 and not known_name_word(w)})
    out = []
    for _ in range(n):
        brand = rng.choice(brands)
        words = " ".join(w.capitalize() for w in Faker("en_US").words(rng.randint(1, 2)))
        size = rng.choice(["24 cm", "1.5 l", "500 ml", "28cm", "XL", ""])
        out.append(f"{rng.choice(particles).capitalize()} {brand} {words} {size}".strip())
    return out


CASINGS = [str, str.upper, str.lower]


@pytest.mark.parametrize("casing", CASINGS, ids=["as-is", "upper", "lower"])
def test_products_campaigns_queries_and_headings_stay_whole_in_every_casing(detector, casing):
    texts = [
        *_products(150, seed=31),
        *(v for _, v in non_names(300, seed=32, kinds=["product", "campaign", "query"])),
        *PAGE_TITLES,
        *(f"## {t}" for t in PAGE_TITLES),
    ]
    texts = [casing(t) for t in texts]
    taken = _persons(detector, texts)
    assert len(taken) / len(texts) <= 0.01, taken


# Lower-case tails with no person context (no `said`, `is`, `asked` after the word): what follows a
# capitalised given-name word at the start of a clause in docs and instructions.
_TAILS = [
    "fetch size controlled by the server setting",
    "the invoice as paid before the end of the month",
    "period ends after thirty days",
    "rate applies to every request in the batch",
    "tokens allowed per request",
    "retries before the call fails",
    "gold finish for the kitchen handles",
    "this field empty to use the default",
]


def _clause_starts(n: int, seed: int) -> list[str]:
    """`- `gzip-file`: Max fetch size controlled by …`: a given name that is also a word, starting a line,
    a bullet or a clause after a colon, then lower-case words."""
    rng, fake = random.Random(seed), Faker("en_US")
    words = sorted({w for w in ["Max", "Mark", "Will", "Bill", "Grace", "Rose", "Min", "Chase", "Page"]})
    words += [w.capitalize() for w in fake.words(200, unique=True) if is_first_name(w)]
    out = []
    for _ in range(n):
        lead = rng.choice(["", "- ", "* ", "- `some-tool`: ", "Note: ", "1. "])
        out.append(f"{lead}{rng.choice(words)} {rng.choice(_TAILS)}.")
    return out


def test_a_given_name_that_is_a_word_starting_a_clause_before_lower_case_words_is_no_person(detector):
    texts = _clause_starts(200, seed=33)
    taken = _persons(detector, texts)
    assert len(taken) / len(texts) <= 0.02, taken


def test_english_prose_in_one_case_gains_no_names_from_the_case_view(detector):
    fake = Faker("en_US")
    fake.seed_instance(34)
    prose = [fake.paragraph(nb_sentences=3) for _ in range(120)]
    texts = [*(p.upper() for p in prose), *(p.lower() for p in prose)]
    taken = _persons(detector, texts)
    assert len(taken) / len(texts) <= 0.02, taken


@pytest.mark.skipif(not EVERYTHING_DOCS.is_dir(), reason="server-everything is not installed (make node)")
def test_server_everything_instructions_and_docs_hold_no_person(detector):
    texts = [p.read_text(encoding="utf-8") for p in sorted(EVERYTHING_DOCS.glob("*.md"))]
    assert texts
    assert _persons(detector, texts) == {}
