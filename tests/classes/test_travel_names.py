"""Names in travel layouts through the real to-client chain of a default install (red team round 10,
class 5: `SURNAME/GIVEN` and MRZ names leaked 32/33; `name_travel`).

Figures at the time of writing, 150 seeded cases each: travellers leaked 86/150 before → 4/150 after
(a given name no list knows, `Galilei/Edu`, `Shelton/Lope`, or a rare one that is a word beside a surname
that is one too, `HOWELL/HUNTER`); MRZ names 0 after; slashed look-alikes altered 0/150.
"""

from __future__ import annotations

from random import Random

from tests.classes.harness import ChainHarness
from tests.classes.travel_names import check_digit, slashed_lookalikes, travel_names

N = 150


def test_booking_and_passport_names_are_tokenized(fresh: ChainHarness) -> None:
    """`{"name": "CHAMBERLAIN/REBECCA"}`, `Stanczyk/Gregory`, `BOARDING PASS HALVORSEN/JONATHAN MR`,
    `1.1SANTANGELO/LAUREN MS`, and TD3/TD2/TD1 machine-readable zones: the surname is not readable."""
    outcomes = fresh.run_seeded(travel_names, 20261311, N)
    assert len(outcomes) == N
    mrz = [o for o in outcomes if o.case.label == "mrz"]
    assert len(mrz) >= N // 5
    assert [o.summary() for o in mrz if o.leaked] == []
    assert sum(bool(o.leaked) for o in outcomes) <= 0.04 * N


def test_slashed_words_products_places_and_paths_stay(chain: ChainHarness) -> None:
    """`Austin/Texas`, `Dallas/Fort Worth`, `Rose/Gold`, `SKU TEE-BLK/M`, `/home/jordan/projects`: a fresh
    session per example."""
    rng = Random(20261312)
    outcomes = [ChainHarness(chain.engine).run(slashed_lookalikes(rng)) for _ in range(N)]
    assert [o.summary() for o in outcomes if o.altered] == []


def test_the_generated_passport_zone_carries_valid_check_digits() -> None:
    """ICAO 9303's worked example: `L898902C3` → 6 (the generator writes zones a reader would accept)."""
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
