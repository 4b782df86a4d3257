"""Names written without capitals or spaces, and products and places that look like names
(`identifier_names`), through the real to-client chain of a default install (red team round six).

Figures at the time of writing, 150 seeded cases each (readable before → after the mechanisms):
- identifiers (`name_identifiers`): a clear given name and a surname of no dictionary 72/79 → 0/79, a
  surname that is also a word 21/22 → 2/22, names no list knows 48/49 → 12/49; identifiers that hold no
  name altered 0.
- search queries (`name_queries`): a clear given name and a surname of no dictionary 67/81 → 0/81;
  product and place queries altered 0.
- products and places (`name_phrases`): notes whose look-alike changed 102/150 → 12/150 (all of them
  `Grant Park`, `Victoria Park`, `Virginia Beach` alone); the persons beside them all found.
"""

from __future__ import annotations

from random import Random

from tests.classes.harness import ChainHarness
from tests.classes.identifier_names import (
    names_in_identifiers,
    names_in_search_queries,
    product_and_place_names,
)

N = 150


def test_names_glued_into_slugs_files_branches_and_host_names_are_tokenized_and_service_identifiers_stay(
    fresh: ChainHarness,
) -> None:
    """`linkedin.com/in/maria-gonzalez-4b2a19`, `Maria_Gonzalez_Resume_2024.pdf`, `feature/mgonzalez-fix`,
    `Sofia-Hernandezs-MacBook-Pro.local`, `DESKTOP-LGARCIA`, `Marias-iPhone`: every name the name lists
    know with a surname of no dictionary goes; `web-01.prod.internal`, `fix/login-timeout`,
    `/blog/how-to-fix-a-leaking-tap`, `Q3_Sales_Report_2024.xlsx`, `Asia/Hong_Kong` stay. Names no list
    knows are found by their place (a profile or team path, a device, a personal document)."""
    outcomes = fresh.run_seeded(names_in_identifiers, 20261207, N)
    by_kind = {
        k: [o for o in outcomes if o.case.label.startswith(f"{k}:")] for k in ("strong", "lexicon", "unknown")
    }
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in by_kind["strong"] if o.leaked] == []
    # A surname that is also a word (`decker`, `bonnet`) is taken only where the place says "a person" (a
    # profile or team path, a device, a personal document, a branch prefix): `renzo-decker/new-report` is
    # left, or `rose-gold/…` would go too.
    assert sum(bool(o.leaked) for o in by_kind["lexicon"]) <= 0.2 * len(by_kind["lexicon"])
    assert sum(bool(o.leaked) for o in by_kind["unknown"]) <= 0.4 * len(by_kind["unknown"])


def test_lower_case_names_typed_into_search_queries_are_tokenized_and_product_and_place_queries_stay(
    fresh: ChainHarness,
) -> None:
    """`maria gonzalez realtor` in a Search Console row's `keys`, a `query` field, a search log's
    `q="…"`: a clear given name before a surname of no dictionary goes; `jordan shoes`, `grant park
    chicago`, `georgia peach tea`, `austin texas plumber`, `best buy` stay. A surname that is also a word
    (`levy`, `bonnet`) cannot be told from a query word in lower case: reported, not judged."""
    outcomes = fresh.run_seeded(names_in_search_queries, 20261208, N)
    strong = [o for o in outcomes if o.case.label.startswith("strong:")]
    assert len(strong) >= N // 2
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in strong if o.leaked] == []


def test_products_and_places_led_by_a_given_name_stay_readable_beside_a_person_who_is_tokenized(
    fresh: ChainHarness,
) -> None:
    """`Jordan Air Max`, `Georgia Peach Tea`, `Victoria Secret`, `Charlotte Airport`, `Lincoln Park Zoo`
    stay in a note whose person goes. A given name and a frequent surname that is also a kind of place,
    alone (`Grant Park`, `Victoria Park`, `Virginia Beach`), reads as `Jenny Park` does: reported."""
    # A session per case: a look-alike one case tokenized (`Grant Park` alone) would be found again in the
    # next as the session's known value, which is that mechanism's doing, not this class's.
    rng = Random(20261209)
    outcomes = [ChainHarness(fresh.engine).run(product_and_place_names(rng)) for _ in range(N)]
    decidable = [o for o in outcomes if ":decidable:" in o.case.label]
    known = [o for o in outcomes if o.case.label.startswith("lexicon:")]
    assert [o.summary() for o in decidable if o.altered] == []
    assert [o.summary() for o in known if o.leaked] == []
