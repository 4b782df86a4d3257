"""Street addresses under keys named by their words, through the real to-client chain
(`address_key_cases`, mechanism `proxy.scan.address_keys`)."""

from __future__ import annotations

from random import Random

from tests.classes import address_key_cases
from tests.classes.harness import ChainHarness


def test_a_street_address_under_a_key_whose_head_word_names_one_is_tokenized(fresh: ChainHarness) -> None:
    """`MailingStreet`, `billing_street_1`, `homeAnschrift`, `Lieferanschrift`, `direccion_line`, `line1`,
    `location` holding a street; flat, Salesforce, HubSpot, listed and nested records, as structured content
    or JSON text. 150 seeded cases: 145 / 150 leaked on main before `proxy.scan.address_keys` (and as many
    with its context removed from `shapes.key_context`), 0 / 150 after."""
    rng = Random(20261207)
    outcomes = [fresh.run(address_key_cases.keyed_addresses(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_a_city_geo_target_chart_series_or_hex_address_under_an_address_word_stays(
    fresh: ChainHarness,
) -> None:
    """`"location": "US"`, a geo target's canonical name, `geoTargetConstants/…`, a chart's `line1`, a
    contract's `0x…` address, `addressType`, `location_name`: each in a session of its own. 45 / 150
    changed before (the `address` rule took `"address": "0x…"` and `contract_address` as places), 0 / 150
    after."""
    rng = Random(20261208)
    outcomes = [ChainHarness(fresh.engine).run(address_key_cases.lookalikes(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
