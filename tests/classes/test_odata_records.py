"""OData records: Dataverse / Dynamics 365 (`odata_cases`; mechanisms `proxy.scan.odata_annotations` and the
numbered keys of `proxy.scan.address_keys`)."""

from __future__ import annotations

from random import Random

from tests.classes import odata_cases
from tests.classes.harness import ChainHarness


def test_a_lookups_formatted_name_and_a_street_under_a_numbered_address_key_are_tokenized(
    fresh: ChainHarness,
) -> None:
    """`_parentcustomerid_value@…FormattedValue` naming a person or a company, `address1_line1`,
    `address2_composite`. 150 seeded cases."""
    rng = Random(20261217)
    outcomes = [fresh.run(odata_cases.records(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_annotation_keys_and_ordinary_annotation_values_reach_the_client_unchanged(
    fresh: ChainHarness,
) -> None:
    """Every annotation key (they read like email addresses) and a status's formatted value: each case in a
    session of its own. 150 seeded cases."""
    rng = Random(20261218)
    outcomes = [ChainHarness(fresh.engine).run(odata_cases.annotations(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
