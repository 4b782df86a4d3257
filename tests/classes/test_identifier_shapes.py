"""Person names in identifiers in every shape (`identifier_shapes`), and look-alike identifiers in the same
shapes, through the real to-client chain of a default install (red team round eight, classes 6 and 7).

Figures at the time of writing, 150 seeded cases each (readable before → after `identifier_parts` and the
either-order, bridged, glued and hashtag readings of `name_identifiers`):
- names the lists know with a clear given name and a surname of no dictionary: 63/81 → 0/81 leaked;
  the rest (a surname that is a word, names no list knows): 60/69 → 44/69, reported.
- look-alike identifiers alone (`paris-texas`, `GEORGIA_PEACH_TEA`, `#JordanAir`, `maxRetries`,
  `SKU-GRANT-PARK-24`, `texas~paris`): none read as a name by `identifier_names`; through the chain 13/150
  cases altered before and after (CamelCase ones the glued-name and NER readings take: `SantaClara.json`).
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from tests.classes.case import Case
from tests.classes.harness import ChainHarness, Outcome
from tests.classes.identifier_shapes import identifier_lookalikes, names_in_identifier_shapes

N = 150


def _one_session_each(fresh: ChainHarness, build: Callable[[Random], Case], seed: int) -> list[Outcome]:
    # A session per case: a given name one case planted (`Charlotte …`) is a known value in the next, and
    # would be found in that case's look-alike (`charlotte_airport`) by that mechanism, not this class's.
    rng = Random(seed)
    return [ChainHarness(fresh.engine).run(build(rng)) for _ in range(N)]


def test_names_in_identifiers_of_any_shape_order_separator_case_accent_or_hashtag_are_tokenized(
    fresh: ChainHarness,
) -> None:
    """`Gonzalez_Maria_Resume.pdf`, `maria+gonzalez`, `/u/maria:gonzalez`, `lorenzo%20vargas`,
    `GonzalezMaria`, `MARIA_GONZALEZ`, `federico2nakamura`, `/in/dmitrinavarro`, `maría_gonzález` (NFC or
    NFD), `#PriyaRaman4Mayor`, `#teamdmitripetrov`: every pair the name lists know with a clear given name
    and a surname of no dictionary goes, in any place and carrier."""
    outcomes = _one_session_each(fresh, names_in_identifier_shapes, 20261210)
    strong = [o for o in outcomes if o.case.label.startswith("strong:")]
    assert len(strong) >= N // 2
    assert [o.summary() + " " + o.case.label for o in strong if o.leaked] == []
    # A look-alike beside the name (`charlotte_airport`) is left by this mechanism; what NER takes from a
    # sentence that also holds a person (`Anna Smith and #CharlotteAirport`) is its own, and measured.
    assert sum(bool(o.altered) for o in outcomes) <= 0.05 * N
    other = [o for o in outcomes if o.case.label.startswith("other:")]
    assert sum(bool(o.leaked) for o in other) <= 0.75 * len(other)


def test_lookalike_identifiers_in_the_same_shapes_reach_the_client_as_written(fresh: ChainHarness) -> None:
    """`paris-texas`, `georgia_peach_tea`, `MAX_VALUE`, `maxRetries`, `#JordanAir`, `SKU-GRANT-PARK-24`,
    `texas~paris`, `santa-maria`, `san+jose`: places, products, teams and code identifiers written in the
    shapes a name is read in are never read as a name by the identifier reading. Through the chain, a few
    CamelCase ones are taken by the glued-name and NER readings (`SantaClara.json`, `#GeorgiaTech`,
    `Vote #OrlandoMagic today`): 13/150 cases before this reading and after, measured, not this class's."""
    from proxy.detect.name_identifiers import identifier_names

    outcomes = _one_session_each(fresh, identifier_lookalikes, 20261211)
    texts = [s.text for o in outcomes for s in o.case.survivors]
    assert [(t, identifier_names(t)) for t in texts if identifier_names(t)] == []
    assert sum(bool(o.altered) for o in outcomes) <= 15
