"""A Search Console property that names the client, on the default install (`site_property_cases`;
mechanisms `proxy.detect.site_property` and the `siteUrl` key rule of `policies/default.yaml`)."""

from __future__ import annotations

from random import Random

from tests.classes import site_property_cases
from tests.classes.harness import ChainHarness


def test_a_search_console_property_under_its_key_or_as_a_domain_property_anywhere_is_tokenized(
    fresh: ChainHarness,
) -> None:
    """`siteEntry[].siteUrl`, `sites.get`, an echoed request, nested, logfmt, `sc-domain:` in a sentence or
    under an unnamed key. 150 seeded cases."""
    rng = Random(20261207)
    outcomes = [fresh.run(site_property_cases.properties(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_analytics_rows_page_urls_and_the_words_themselves_stay_readable(fresh: ChainHarness) -> None:
    """Pages and queries in rows, URLs under other keys, `sc-domain:` and `siteUrl` as words: each in a
    session of its own. 150 seeded cases."""
    rng = Random(20261208)
    outcomes = [ChainHarness(fresh.engine).run(site_property_cases.lookalikes(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
