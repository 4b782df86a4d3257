"""Ad and analytics platforms' account IDs through the real to-client chain (`ad_account_cases`;
mechanisms `proxy.detect.ad_account_ids`, the platform words of `proxy.scan.shapes`' digit context, and
the `_`-glued pattern of `GoogleAdsCustomerIdRecognizer`)."""

from __future__ import annotations

from random import Random

from tests.classes import ad_account_cases
from tests.classes.harness import ChainHarness


def test_a_platform_account_id_in_its_resource_name_act_prefix_or_key_is_tokenized(
    fresh: ChainHarness,
) -> None:
    """GA4 `properties/…`, `accounts/…`, Business Profile `accounts/…/locations/…`, DV360 `advertisers/…`,
    Merchant Center `merchants/…`, Meta `act_…`, `merchantId` / `advertiser_id` / `propertyId`. 150 seeded
    cases: 123 / 150 leaked on main, 84 / 150 without `AdAccountIdRecognizer` (the key words alone), 0 / 150
    after."""
    rng = Random(20261212)
    outcomes = [fresh.run(ad_account_cases.platform_ids(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_a_customer_id_glued_with_an_underscore_after_a_customer_word_is_tokenized(
    fresh: ChainHarness,
) -> None:
    """`client_1608787110`, `gads_3107797511_2026-11.csv`, `gs://reports/customer_…/`. 150 / 150 leaked on
    main and with the glued pattern removed, 0 / 150 after."""
    rng = Random(20261213)
    outcomes = [fresh.run(ad_account_cases.glued_customer_ids(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_ids_of_collections_naming_no_account_and_words_under_account_keys_stay(fresh: ChainHarness) -> None:
    """`campaigns/…`, `adGroups/…`, `geoTargetConstants/…`, `backup_1701234567.tar.gz`, `"merchantId":
    "shop-42"`: each in a session of its own. 0 / 150 changed, before and after."""
    rng = Random(20261214)
    outcomes = [ChainHarness(fresh.engine).run(ad_account_cases.lookalikes(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
