"""Person names in lower case where the place says what it holds (`name_slots`), through the real to-client
chain of a default install (red team round eight, classes 8 to 10).

Figures at the time of writing, 150 seeded cases each (cases with a readable name before → after the
mechanism, `proxy/detect/name_slots.py`, `name_query_slots.py`, `name_slot_recognizer.py`):
- an address's display name (`names-mailbox-display`): a clear given name and a surname of no dictionary
  39/74 → 0/74; a surname that is also a word 17/29 → 2/29; names no list knows 24/47 → 9/47; display
  names of no person altered 0 → 0.
- a mention's or a link's text (`names-link-texts`): clear pairs 54/75 → 0/75; a word surname 20/24 →
  5/24; names no list knows 44/51 → 12/51; link texts of no person altered 0 → 0.
- a search query in any layout (`names-query-keys`): clear pairs 90/96 → 0/96; a word surname 14/14 →
  13/14; names no list knows 40/40 → 39/40; product and place queries altered 0 → 0.
A surname that is also a word (`maria park`) or a name no list knows is read only where the place vouches
for a person (an address's display name, a user mention, a link to a person's page); in a query or a page
link it cannot be told from a query word in lower case: reported, not judged.
"""

from __future__ import annotations

from tests.classes.harness import ChainHarness, Outcome
from tests.classes.name_slots import names_in_link_texts, names_in_mailbox_displays, names_in_query_slots

N = 150


def _strong(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.case.label.startswith("strong:")]


def test_a_lower_case_name_before_its_address_is_tokenized_and_display_names_of_no_person_stay(
    fresh: ChainHarness,
) -> None:
    """`author: maria gonzalez <mgonzalez@x.com>`, `From: "maria gonzalez" <…>`, `owner: m@x.com (maria
    gonzalez)`, `committed by maria gonzalez <…>`, npm's `"author": "maria gonzalez <…> (url)"`: the
    display name goes; `acme support <…>`, `jordan shoes <…>`, `georgia peach tea <…>` stay."""
    outcomes = fresh.run_seeded(names_in_mailbox_displays, 20261210, N)
    strong = _strong(outcomes)
    assert len(strong) >= N // 3
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in strong if o.leaked] == []
    # A surname that is also a word is a name in a display name (`leo graf <…>`).
    lexicon = [o for o in outcomes if o.case.label.startswith("lexicon:")]
    assert sum(bool(o.leaked) for o in lexicon) <= 0.15 * len(lexicon)


def test_a_lower_case_name_as_a_mention_or_link_text_is_tokenized_and_other_link_texts_stay(
    fresh: ChainHarness,
) -> None:
    """`<@U123|maria gonzalez>`, `<mailto:x|maria gonzalez>`, `[maria gonzalez](https://…/u/44)`,
    `<a href=…>maria gonzalez</a>`: the text goes; `[release notes](…)`, `<url|grant park chicago>`,
    `<a …>georgia peach tea</a>` stay."""
    outcomes = fresh.run_seeded(names_in_link_texts, 20261211, N)
    strong = _strong(outcomes)
    assert len(strong) >= N // 3
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in strong if o.leaked] == []


def test_lower_case_names_in_queries_of_any_layout_are_tokenized_and_product_and_place_queries_stay(
    fresh: ChainHarness,
) -> None:
    """`"maria gonzalez" lawyer`, `site:linkedin.com maria gonzalez`, `gonzalez maria realtor`,
    `maria j gonzalez`, `maria gonzalez's listings`, `maria gonzalez NYC`, in a URL (`?s=`, `?p=`, `?wd=`,
    `utm_term=`), a log's `key=value`, a JSON text, a CSV, TSV or Markdown report under a query column, a
    list under a query heading: the name goes; `jordan shoes`, `grant park chicago`, `"grant park"
    concerts`, `site:jordan.example shoes` stay as written."""
    outcomes = fresh.run_seeded(names_in_query_slots, 20261212, N)
    strong = _strong(outcomes)
    assert len(strong) >= N // 3
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in strong if o.leaked] == []
