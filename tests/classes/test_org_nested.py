"""Account names in nested SaaS shapes through the real to-client chain (`org_nested_cases`; mechanisms
the list wrappers of `proxy.scan.accounts.record_children` and the `profile` suffix of
`proxy.detect.account_keys`)."""

from __future__ import annotations

from random import Random

from tests.classes import org_nested_cases
from tests.classes.harness import ChainHarness


def test_an_account_name_in_a_wrapped_list_or_a_profile_object_is_tokenized(fresh: ChainHarness) -> None:
    """Intercom `companies.data[].name`, `nodes`, `items`, `results`; Stripe `business_profile.name`. 150
    seeded cases: 91 / 150 leaked on main (the rest held by the `displayName`/`legalName` field rules),
    54 / 150 without the list wrappers, 0 / 150 after."""
    rng = Random(20261215)
    outcomes = [fresh.run(org_nested_cases.nested_org_names(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_an_enum_or_product_name_in_the_same_shapes_stays(fresh: ChainHarness) -> None:
    """`ENABLED`, `Summer Sale - Search - Exact` where the name would be: each in a session of its own."""
    rng = Random(20261216)
    outcomes = [ChainHarness(fresh.engine).run(org_nested_cases.lookalikes(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
