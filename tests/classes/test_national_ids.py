"""National identifiers of nine families through the real to-client chain of a default install
(`tests/classes/national_ids.py`, `proxy/detect/national_id_recognizers.py`), and the codes and numbers that
look like them and must stay readable.

Figures at the time of writing, 150 seeded cases a family (cases leaking before → after):
- Aadhaar 140/150 → 14/150, NINO 145 → 31, PAN 150 → 62, TFN 143 → 71, PESEL 130 → 47, codice fiscale
  150 → 0, NIF 109 → 0, NIE 148 → 0, NHS 0 → 0 (ten digits were already read as a customer ID);
- of those, where a label, a key or the ID's own writing names it: Aadhaar 126 → 0, NINO 114 → 0, PAN
  88 → 0, TFN 72 → 0, PESEL 83 → 0, codice fiscale 150 → 0, NIF 109 → 0, NIE 148 → 0;
- look-alikes (order and invoice numbers, 4-4-4 invoice numbers failing Verhoeff, NINO-shaped part codes
  with a prefix or suffix no NINO has, PAN-shaped SKUs with no holder status, a codice fiscale's layout with
  a wrong check letter, `12345678A`, UK postcodes, tracking codes, amounts): 0/150 altered before and after.
Left by design: an ID whose digits or letters alone are any order number's (compact Aadhaar, compact NINO,
PAN, TFN, PESEL, NHS) in a sentence with no label or under a neutral key.
Mutation-checked: with the national-ID recognizers taken out of `policies/default.yaml` the label and
standing-alone tests fail.
"""

from __future__ import annotations

from random import Random

import pytest

from tests.classes.harness import ChainHarness, Outcome, judge
from tests.classes.national_ids import FAMILIES, expected_found, national_id_case, national_id_lookalikes

N = 150
SEEDS = {kind: 20261270 + i for i, kind in enumerate(FAMILIES)}


def _run(fresh: ChainHarness, kind: str) -> list[Outcome]:
    """A session per case: an ID one case tokenized would be found again as the session's known value."""
    build, rng = national_id_case(kind), Random(SEEDS[kind])
    return [ChainHarness(fresh.engine).run(build(rng)) for _ in range(N)]


@pytest.mark.parametrize("kind", sorted(FAMILIES))
def test_an_untouched_case_shows_its_national_id(kind: str) -> None:
    """The yardstick: with nothing tokenized the judge reads every planted ID."""
    build, rng = national_id_case(kind), Random(SEEDS[kind])
    for case in (build(rng) for _ in range(N)):
        outcome = judge(case, [m.payload for m in case.messages])
        assert len(outcome.leaked) == 1, case.describe()


@pytest.mark.parametrize("kind", sorted(FAMILIES))
def test_a_national_id_beside_its_label_or_in_its_own_writing_is_tokenized(
    fresh: ChainHarness, kind: str
) -> None:
    """`Aadhaar: 2345 6789 0124`, `{"nino": "AB123456C"}`, `PAN: ABCPE1234F`, `codice fiscale …`,
    `12345678Z`, `AB 12 34 56 C`: a label, a key naming the ID or the ID's own writing is enough."""
    outcomes = _run(fresh, kind)
    assert [o.summary() for o in outcomes if o.blocked] == []
    assert [o.summary() for o in outcomes if o.leaked and expected_found(o.case)] == []
    assert any(not o.leaked for o in outcomes)


def test_order_numbers_codes_and_postcodes_that_look_like_national_ids_stay_readable(
    fresh: ChainHarness,
) -> None:
    """`Order #234567890123`, `Invoice 2345 6789 0123` (Verhoeff failing), `Part GB123456A`, `SKU ABCDE1234F`,
    a codice fiscale's layout with a wrong check letter, `12345678A`, `SW1A 1AA`, `+91 98765 43210`."""
    rng = Random(20261280)
    outcomes = [ChainHarness(fresh.engine).run(national_id_lookalikes(rng)) for _ in range(N)]
    altered = [o.summary() for o in outcomes if o.altered or o.blocked]
    assert len(altered) <= ALTERED_LOOKALIKES, altered


ALTERED_LOOKALIKES = 0
