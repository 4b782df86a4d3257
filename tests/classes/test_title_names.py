"""Full names inside title-case labels, word surnames before a title-case word, surnames that are kinds
of place (`title_names`), through the real to-client chain of a default install (red team round eight,
classes 1-3).

Figures at the time of writing, 150 seeded cases each (leaked before → after the mechanisms; survivors
altered after):
- title labels (`name_title_labels`: the prefilter's trigger and the run's pair): a clear given name and a
  census surname of no dictionary 99/99 → 0/99; a surname that is also a word 51/51 → 11/51 (record
  kinds `name_heads` does not know: `Promotion Packet`, `Payroll Correction`); labels of places and
  products altered 0.
- word surnames before a job title, a record kind, a time word (`name_heads`, `name_phrases`): 137/150 →
  0/150; product and place phrases altered 0.
- surnames that are kinds of place beside person context (`name_place_surnames`): 127/150 → 0/150;
  places in a place's context altered 0.
"""

from __future__ import annotations

from tests.classes.harness import ChainHarness
from tests.classes.title_names import (
    names_in_title_labels,
    names_with_place_surnames,
    names_with_word_surnames_in_phrases,
)

N = 150


def test_full_names_inside_title_case_labels_are_tokenized_and_place_and_product_labels_stay(
    fresh: ChainHarness,
) -> None:
    """`Maria Gonzalez Performance Review`, `Exit Interview: Elena Mendoza`, `Re: Beatriz Guzman Offer
    Letter` as an event's summary, a mail subject, a heading, a ticket title: the name goes;
    `Charlotte Airport Shuttle Request`, `Georgia Peach Tea Launch Review` stay."""
    outcomes = fresh.run_seeded(names_in_title_labels, 20261210, N)
    strong = [o for o in outcomes if o.case.label.startswith("strong:")]
    word = [o for o in outcomes if o.case.label.startswith("word:")]
    assert len(strong) >= N // 2
    assert [o.summary() for o in strong if o.leaked] == []
    assert [o.summary() for o in outcomes if o.altered] == []
    # A surname that is also a word (`Megan Hunter`) needs stronger evidence than the pair: the label ends
    # after it, or a role or a record kind `name_heads` knows stands beside it. Record kinds it does not
    # know (`Promotion Packet`, `Payroll Correction`) leave the pair read as a phrase's modifier: reported.
    assert sum(bool(o.leaked) for o in word) <= 0.3 * len(word)


def test_word_surnames_before_a_job_title_record_or_time_word_are_tokenized_and_products_stay(
    fresh: ChainHarness,
) -> None:
    """`Megan Hunter Account Manager called`, `the Caroline Brown Divorce Filing`, `Ask Laura Fisher
    Tomorrow`: a name before the head of what is said about a person is no phrase's modifier; `Georgia
    Peach Tea`, `Hamilton Beach Blender` beside it stay."""
    outcomes = fresh.run_seeded(names_with_word_surnames_in_phrases, 20261211, N)
    assert [o.summary() for o in outcomes if o.leaked] == []
    assert [o.summary() for o in outcomes if o.altered] == []


def test_surnames_that_are_kinds_of_place_are_tokenized_beside_person_context_and_places_stay(
    fresh: ChainHarness,
) -> None:
    """`Please call Sofia Plaza`, `written by Katherine Tower`, `Her manager, Laura Springs, approved`:
    the person goes; `landed at Charlotte Airport`, `near Lincoln Center` stay."""
    outcomes = fresh.run_seeded(names_with_place_surnames, 20261212, N)
    assert [o.summary() for o in outcomes if o.leaked] == []
    assert [o.summary() for o in outcomes if o.altered] == []
