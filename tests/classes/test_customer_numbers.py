"""A customer number beside its label written as data (`customer_number_cases`; mechanism: the English
customer-number words of `proxy.policy.key_vocab`, read by `proxy.scan.shapes.context_entity` wherever a
label is)."""

from __future__ import annotations

from random import Random

from tests.classes import customer_number_cases
from tests.classes.harness import ChainHarness


def test_a_customer_number_of_any_length_beside_its_label_is_tokenized(fresh: ChainHarness) -> None:
    """Six to twelve digits (ten left out: a Google Ads customer ID, a class of its own) under `Customer
    ID`, `Client number`, `Cust ID`… in thirteen formats. 150 seeded cases."""
    rng = Random(20261215)
    outcomes = [fresh.run(customer_number_cases.labelled(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_a_customer_labels_other_values_and_other_labels_digits_stay(fresh: ChainHarness) -> None:
    """`Customer ID: n/a`, a five-digit code, a date; `Order ID` and `Clicks` over digit runs: each in a
    session of its own. 150 seeded cases."""
    rng = Random(20261216)
    outcomes = [ChainHarness(fresh.engine).run(customer_number_cases.ordinary(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
