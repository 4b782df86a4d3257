"""Phones, SSNs and customer IDs whose groups are joined by a colon, an apostrophe or a comma, through the
real to-client chain of a default install (red team round nine, class 2), and the times, durations,
thousands and Swiss amounts those separators also write, beside the same words.

Figures at the time of writing, 150 seeded cases each (`separator_cases.py`), before → after the labelled
reading of `proxy/detect/digit_separators.py` (`LABELED_GROUPS`) and the grouped-value reading of
`proxy.scan.shapes.context_entity` (a value alone under its entity's key, `{"ssn": "517:60:1302"}`):
- identifiers after their context word or under their key: 134 / 150 leaked → 0 / 150 (without the key
  reading alone: 13 / 150, the keyed SSNs and phones; without the labelled reading, on the generator
  before keyed cases were added: 150 / 150);
- look-alikes beside the same words: 6 / 150 altered before and after, all of them nine- or ten-digit
  amounts in thousands groups (`acct reach 1,297,603,553 impressions`, `Tel. logged at 519'747'233`),
  which other readings take for the identifier the word names (an identifier written as an amount is
  judged as its digits); no time, duration or ratio altered. The labelled reading changes none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from tests.classes.case import Case
from tests.classes.harness import ChainHarness, Outcome
from tests.classes.separator_cases import separated_identifiers, separator_lookalikes

N = 150


def _run(fresh: ChainHarness, build: Callable[[Random], Case], seed: int) -> list[Outcome]:
    rng = Random(seed)
    return [ChainHarness(fresh.engine).run(build(rng)) for _ in range(N)]


def test_an_identifier_after_its_word_is_tokenized_whatever_separator_joins_its_groups(
    fresh: ChainHarness,
) -> None:
    """`SSN 517:60:1302`, `Call +1:617:832:3113`, `(617) 832:3113`, `303'788'5790`, `Call me: 702,621,7204`,
    `customer 428:999:8909`, in a sentence, a JSON text, structuredContent or alone under the key."""
    outcomes = _run(fresh, separated_identifiers, 20261207)
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_times_thousands_and_swiss_amounts_beside_the_same_words_reach_the_client(
    fresh: ChainHarness,
) -> None:
    """`Call logged at 12:30:45`, `customer reach 1,234,567,890 impressions`, `Account # balance CHF
    12'345'678.50`: the word is there, the entity's grouping is not."""
    outcomes = _run(fresh, separator_lookalikes, 20261208)
    assert [o.summary() for o in outcomes if o.blocked] == []
    amounts = {"thousands", "swiss", "swiss-amount"}
    assert [o.summary() for o in outcomes if any(s.label not in amounts for s in o.altered)] == []
    assert sum(bool(o.altered) for o in outcomes) <= 6  # the amounts above, as before this reading
