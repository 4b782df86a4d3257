"""Values under keys in other languages through the real to-client chain (`key_vocab_cases`)."""

from __future__ import annotations

from random import Random

from hypothesis import given
from hypothesis import strategies as st

from tests.classes import key_vocab_cases
from tests.classes.case import Case
from tests.classes.checks import class_settings
from tests.classes.harness import ChainHarness
from tests.classes.label_cases import readable

_RANDOMS = st.randoms(use_true_random=False, note_method_calls=False)


def _no_leak(chain: ChainHarness, case: Case) -> None:
    received = chain.deliver(case)
    assert None not in received, f"blocked: {case.describe()}"
    assert not readable(case.planted, received), f"leak: {case.describe()}"


@class_settings(80)
@given(case=_RANDOMS.map(key_vocab_cases.keyed_value))
def test_an_ssn_phone_or_card_under_a_german_french_or_spanish_key_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    _no_leak(chain, case)


@class_settings(60)
@given(case=_RANDOMS.map(key_vocab_cases.name_column))
def test_a_column_of_names_under_a_non_english_name_key_is_tokenized(chain: ChainHarness, case: Case) -> None:
    _no_leak(chain, case)


def test_a_customer_number_or_company_name_under_a_key_in_another_language_is_tokenized(
    fresh: ChainHarness,
) -> None:
    """`kundennummer`, `numero_cliente`, `numeroClient`, `klantnr`; `firmenname`, `nombre_empresa`,
    `raison_sociale`, `ragione_sociale`, `bedrijfsnaam`. 150 seeded cases: 129 / 150 leaked before the
    `CUSTOMER_NUMBER` and `COMPANY` rows of proxy/policy/key_vocab.py (and the whole-key lookup of
    `proxy.scan.shapes.key_context`, for accented keys), 0 / 150 after."""
    rng = Random(20261209)
    outcomes = [ChainHarness(fresh.engine).run(key_vocab_cases.customer_and_company(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []
