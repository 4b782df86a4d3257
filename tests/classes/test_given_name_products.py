"""Products, campaigns and search terms led by a given name (`given_name_products`), beside two leak
controls: a person with the same given names in the same placements (her surname a census surname that
is also a word, `Madison Tate`, `Katherine Center`, or no word at all), and a person whose surname is a
word of some dictionary sense that no census lists (`Maria Volta`, `Madison Casals`). Real to-client
chain of a default install, a session per example.

Figures at the time of writing, 150 seeded cases each; no rule was kept, because each one tried gave
away persons (measured as `off → with the candidate`):
- the current detectors: products altered 18/150 (`Retro 4`, `Sandal`, `Loafer`, `Hoodie`, `Crossbody
  Bag`: a second word that is either in no dictionary or only in GCIDE's obscure senses, not in the NER
  pipeline's vocabulary; `Blazer` and `Wallet` under a name key); persons with the same leads 32/150 (a
  surname that is also a word, in a search term, a keyword, a campaign: their leak, not this class's);
  persons with a dictionary surname no census lists 84/150.
- candidate "a model number after a word of the language that is no given name and no frequent census
  surname" (`Jordan Retro 4`, `Madison Tote 2`): products 18 → 13; same-lead persons 32 → 32; persons
  with a dictionary surname 84 → 93 (`Tickets: Maria Volta 2`, `Maria Volta 12 votes`): `Retro`,
  `Sandal`, `Loafer` are, for every word list shipped (GCIDE, spaCy's vocabulary, the census, nam_dict),
  the same kind of word as `Volta`, `Casals`, `Cairn`, `Sire`, and a count after a name reads as a model
  number. Not kept.
- candidate "any dictionary sense with no census rank and no given name is no surname" (widening
  `name_phrases.no_name_word` from words in use to GCIDE): products 18 → 8; same-lead persons 32 → 32;
  persons with a dictionary surname 84 → 150. Not kept.
- candidate "the placement says product": under a product key (a product title, an item name, a
  campaign, an ad group, a collection, a keyword or search term), a given name before such a word is no
  person. Estimated, not built (from these outcomes, as if every PERSON span in such a value were
  dropped): with any dictionary sense, products 18 → 12, same-lead persons 32 → 36, persons with a
  dictionary surname 84 → 99; with words in use only, products 18 → 17, same-lead persons 32 → 35
  (`Katherine Center` under `item_name`: `Center` is a word and a census surname of rank 7,768). Not
  kept either.

The tests hold these figures: a rule that keeps more products readable must not raise the leak controls.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from tests.classes.case import Case
from tests.classes.given_name_products import (
    person_led_by_a_product_lead,
    person_with_a_dictionary_surname,
    product_led_by_a_given_name,
)
from tests.classes.harness import ChainHarness, Outcome

N = 150


def _each_fresh(fresh: ChainHarness, build: Callable[[Random], Case], seed: int) -> list[Outcome]:
    rng = Random(seed)
    return [ChainHarness(fresh.engine).run(build(rng)) for _ in range(N)]


def test_products_led_by_a_given_name_are_altered_no_more_than_today(fresh: ChainHarness) -> None:
    """`Madison Tote`, `Savannah Slim Fit Jeans`, `Jordan Air Max 90` stay; a ratchet on the rest."""
    outcomes = _each_fresh(fresh, product_led_by_a_given_name, 20261214)
    assert sum(bool(o.altered) for o in outcomes) <= 18


def test_persons_led_by_the_same_given_names_leak_no_more_in_product_placements_and_prose(
    fresh: ChainHarness,
) -> None:
    """`Madison Tate` under a product key, `Katherine Center wrote the novel`, `Tickets: Madison Kowalczyk
    2`."""
    outcomes = _each_fresh(fresh, person_led_by_a_product_lead, 20261215)
    assert sum(bool(o.leaked) for o in outcomes) <= 32


def test_persons_whose_surname_is_a_dictionary_word_no_census_lists_leak_no_more(fresh: ChainHarness) -> None:
    """`Please call Maria Volta`, `Tickets: Madison Casals 2`: the twin of a product word no word list
    tells apart (`Retro`, `Loafer`); a looser word test or a model-number rule raises this count."""
    outcomes = _each_fresh(fresh, person_with_a_dictionary_surname, 20261216)
    assert sum(bool(o.leaked) for o in outcomes) <= 84
