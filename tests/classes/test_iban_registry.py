"""Every country of the SWIFT IBAN Registry: a valid IBAN of each is tokenized through the real to-client
chain of a default install, in running text, under a JSON key, nested in structuredContent and as JSON in
a text block (red team round nine, class 3).

Figures at the time of writing (`iban_registry.py`, two seeded cases per registry country, 178 cases):
21 / 178 leaked before -- the countries added 2020-2024 (`IBAN_LENGTHS` in `proxy/detect/checksums.py`
lacked them) and Iceland and Slovenia, whose codes `IS`/`SI` the view read as the digits `15`/`51`
(`proxy/detect/digit_letters.py`); 0 / 178 after. Without the view's fix alone: 3 / 178 (IS, SI).
"""

from __future__ import annotations

from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.detect.checksums import IBAN_LENGTHS, is_iban
from tests.classes.harness import ChainHarness
from tests.classes.iban_registry import REGISTRY, bban_length, iban_of, registry_ibans

PER_COUNTRY = 2


def test_the_length_table_is_the_whole_registry() -> None:
    """Same countries, and each length is the country code, the check digits and the registry's BBAN."""
    assert {cc: 4 + bban_length(cc) for cc in REGISTRY} == IBAN_LENGTHS


@settings(max_examples=300, deadline=None)
@given(country=st.sampled_from(sorted(REGISTRY)), data=st.data())
def test_a_valid_iban_of_any_registry_country_is_an_iban(country: str, data: st.DataObject) -> None:
    value = iban_of(country, lambda alphabet: data.draw(st.sampled_from(alphabet)))
    assert is_iban(value)


def test_a_valid_iban_of_every_registry_country_is_tokenized_in_text_and_json(fresh: ChainHarness) -> None:
    rng = Random(20261207)
    outcomes = [
        ChainHarness(fresh.engine).run(registry_ibans(rng, country))
        for country in sorted(REGISTRY)
        for _ in range(PER_COUNTRY)
    ]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []
