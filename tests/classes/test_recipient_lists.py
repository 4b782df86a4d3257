"""`Surname, Given; Surname, Given` recipient lists through the real to-client chain of a default install
(red team round 10, class 4: the first person went, later surnames stayed; `name_inverted_lists`).

Figures at the time of writing, 150 seeded cases each: recipient lists with a person leaked 81/150 before
the list-level decision → 0/150 after; city/region and category lists altered 0/150.
"""

from __future__ import annotations

from random import Random

from tests.classes.harness import ChainHarness, Outcome
from tests.classes.recipient_lists import place_and_category_lists, recipient_lists

N = 150


def test_every_person_of_a_surname_given_list_is_tokenized_once_one_reads_as_a_person(
    fresh: ChainHarness,
) -> None:
    """`To: Santangelo, Lauren; Chamberlain, Rebecca`, Graph `toRecipients`, attendees with `(Required)`,
    a Markdown cell: no surname of the list stays readable."""
    outcomes = fresh.run_seeded(recipient_lists, 20261301, N)
    assert len(outcomes) == N
    assert [o.summary() for o in outcomes if o.leaked] == []


def _fresh_runs(chain: ChainHarness, seed: int, given_cities: bool = False) -> list[Outcome]:
    rng = Random(seed)
    return [ChainHarness(chain.engine).run(place_and_category_lists(rng, given_cities)) for _ in range(N)]


def test_lists_of_cities_with_their_region_and_of_product_categories_stay(chain: ChainHarness) -> None:
    """`Portland, Oregon; Columbus, Ohio`, `Shoes, Running; Apparel, Women`: a fresh session per example."""
    outcomes = _fresh_runs(chain, 20261302)
    assert [o.summary() for o in outcomes if o.altered] == []


def test_a_list_of_cities_named_like_people_is_never_read_as_a_list_of_people(chain: ChainHarness) -> None:
    """`Austin, Texas; Dallas, Georgia; Alexandria, Virginia`: most items hold a region after the comma, so
    the list decides for none of them (a label may still take one city alone: not this class)."""
    outcomes = _fresh_runs(chain, 20261303, given_cities=True)
    assert [o.summary() for o in outcomes if o.altered] == []
