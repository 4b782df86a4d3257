"""Products, campaigns and search terms led by a word that is also a given name (`Madison Tote`, `Jordan
Retro 4`, `Savannah Slim Fit Jeans`, `… Remarketing` campaign names), in the places a shop or an ads
account writes them (a product title, an item name, a campaign or ad group name, a keyword, a search
term, a Search Console row, a product table, a CSV export, prose); and their adversarial twin: a person
whose given name is the same, in the same places, with a surname that is no word (`Madison Kowalczyk`) or
one that is a word too (`Madison Tate`, `Katherine Center`).

The product words are written from general knowledge of shop and ad catalogues (garment and bag kinds,
model words, sizes and numbers), not from the detector's lists.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.identifier_names import _ascii_name, strong_pair
from tests.classes.planting import Planted

# Given names that shops and brands put before a product word (general knowledge of catalogues).
LEADS = (
    "Madison", "Jordan", "Savannah", "Victoria", "Charlotte", "Stella", "Harper", "Ella", "Lucy", "Sophia",
    "Olivia", "Mason", "Hudson", "Austin", "Morgan", "Riley", "Chelsea", "Brooklyn", "Camden", "Sadie",
    "Logan", "Carter", "Emma", "Grace",
)  # fmt: skip
# What follows the lead: a product kind, a model word, a fit, with or without a model number or size.
PRODUCTS = (
    "Tote", "Retro 4", "Air Max 90", "Slim Fit Jeans", "Wrap Dress", "Crossbody Bag", "Backpack",
    "Sneaker", "Hoodie", "Blazer", "Clog", "Loafer", "Mini Skirt", "Classic Boot", "Wave Runner",
    "Retro 11", "Tote Bag", "Ankle Boot", "Midi Dress", "Pro 2", "Chino Shorts", "Puffer Jacket",
    "Sandal", "Shoulder Bag", "Wallet", "Tank Top", "Denim Jacket", "Sweater", "Cardigan", "Leggings",
)  # fmt: skip
MODEL_NUMBERS = ("2", "3", "4", "5", "11", "90", "270")
_CAMPAIGN_TAILS = (" - Brand - Exact", " Remarketing", " - Shopping", " | Search | Broad", " Launch 2024")
_PROSE = (
    "Restocked the {p} in all sizes.", "Our {p} sold out by noon.", "Top seller this week: {p}.",
    "The {p} is back in stock.", "Returns on the {p} doubled in May.",
)  # fmt: skip
PLACES = ("product_title", "item_name", "campaign", "ad_group", "keyword", "search_term", "rows", "table",
          "csv", "collection", "prose")  # fmt: skip


def _placed(rng: Random, value: str, where: str) -> tuple[dict[str, object] | str, str]:
    """`value` written in the placement `where`; what must come through unchanged (for a product) or is
    the value's form there."""
    if where == "product_title":
        return {
            "product_title": value,
            "price": rng.randrange(20, 200),
            "sku": f"SKU-{rng.randrange(10**5, 10**6)}",
        }, value
    if where == "item_name":
        return {"items": [{"item_name": value, "quantity": rng.randrange(1, 9)}]}, value
    if where == "campaign":
        name = value + rng.choice(_CAMPAIGN_TAILS)
        return {
            "campaign": {"name": name, "id": str(rng.randrange(10**10, 10**11)), "status": "ENABLED"}
        }, name
    if where == "ad_group":
        return {"ad_group": {"name": value, "cpc_bid_micros": rng.randrange(10**5, 10**7)}}, value
    if where == "keyword":
        return {"keyword": {"text": value.lower(), "match_type": "PHRASE"}}, value.lower()
    if where == "search_term":
        q = f"{value.lower()} {rng.choice(('sale', 'near me', 'women', 'size 8', 'black'))}"
        return {"search_term": q, "impressions": rng.randrange(10, 900)}, q
    if where == "rows":
        q = value.lower()
        return {"rows": [{"keys": [q], "clicks": rng.randrange(40)}, {"keys": ["gift card"], "clicks": 3}]}, q
    if where == "table":
        row = f"| {value} | SKU-{rng.randrange(10**5, 10**6)} | {rng.randrange(10, 900)} |"
        return "| Product | SKU | Units |\n|---|---|---|\n" + row, value
    if where == "csv":
        return f"sku,product,units\nSKU-{rng.randrange(10**5, 10**6)},{value},{rng.randrange(1, 90)}", value
    if where == "collection":
        return {"collection": {"title": value, "products_count": rng.randrange(1, 60)}}, value
    return rng.choice(_PROSE).format(p=value), value


def _result(body: dict[str, object] | str) -> dict[str, object]:
    return tool_result(body) if isinstance(body, str) else tool_result(structured=body)


def product_led_by_a_given_name(rng: Random) -> Case:
    """A product, campaign or search term led by a given name, in one of `PLACES`: it must reach the
    client unchanged."""
    value = f"{rng.choice(LEADS)} {rng.choice(PRODUCTS)}"
    if not value[-1].isdigit() and rng.random() < 0.4:
        value += f" {rng.choice(MODEL_NUMBERS)}"  # a model or generation: `Madison Tote 2`
    where = rng.choice(PLACES)
    body, survivor = _placed(rng, value, where)
    return Case(
        "given-name-products",
        [call(_result(body), "shop")],
        [],
        [Survivor(survivor, label="product")],
        label=f"{where}:{value}",
    )


@lru_cache(maxsize=1)
def _word_surnames() -> tuple[str, ...]:
    """Census surnames of the 10,000 most frequent that are words of the language too (`Center`,
    `Brand`, `Tate` is none): the surnames a product rule could take for a product word."""
    from proxy.detect.name_lexicon import in_dictionary

    text = resources.files("names").joinpath("dist.all.last").read_text(encoding="ascii")
    ranks = [line.split(None, 1)[0].title() for line in text.splitlines()[:10000] if line]
    return tuple(w for w in ranks if len(w) >= 4 and in_dictionary(w))


def _surname(rng: Random, kind: str) -> str:
    if kind == "word":
        return rng.choice(_word_surnames())
    while True:
        _, last = _ascii_name(rng)
        if strong_pair("Maria", last):
            return last


_COUNTED = (
    "Tickets: {w} {n}, Lee Chang 1", "{w} {n} votes", "| {w} {n} | approved |", "Seats held by {w} {n}",
)  # fmt: skip
_PERSON_PROSE = (
    "{w} wrote the novel.", "Please call {w} about the order.", "Signed by {w}.", "{w} approved the refund.",
)  # fmt: skip


def person_led_by_a_product_lead(rng: Random) -> Case:
    """Leak control: a person whose given name is one of `LEADS`, her surname no word (`Madison
    Kowalczyk`) or a word too (`Madison Tate`, `Katherine Center`), in the same placements and in prose
    that says "a person" (`… wrote the novel`)."""
    kind = rng.choice(("word", "word", "plain"))
    where = rng.choice((*PLACES, "person-prose", "person-prose", "counted", "counted"))
    while True:
        last = _surname(rng, kind)
        first = rng.choice((*LEADS, "Katherine"))
        who = f"{first} {last}"
        if where == "person-prose":
            body: dict[str, object] | str = rng.choice(_PERSON_PROSE).format(w=who)
        elif where == "counted":  # a count right after the name, as a model number stands after a product's
            body = rng.choice(_COUNTED).format(w=who, n=rng.randrange(1, 40))
        else:
            body, _ = _placed(rng, who, where)
        if last.casefold() not in str(body).casefold().replace(who.casefold(), ""):
            break  # the surname is nowhere else in the message (`Brand` of a `- Brand - Exact` tail)
    needle = r"(?<![a-z])" + re.escape(last.casefold()) + r"(?![a-z])"
    return Case(
        "given-name-product-persons",
        [call(_result(body), "shop")],
        [Planted("person", who, needle)],
        [],
        label=f"person:{kind}:{where}:{who}",
    )


_FAKER_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "pl_PL", "nl_NL", "pt_BR", "sv_SE",
                  "cs_CZ", "tr_TR", "fi_FI", "en_IE", "ro_RO", "hu_HU", "da_DK", "no_NO")  # fmt: skip


@lru_cache(maxsize=1)
def _dictionary_surnames() -> tuple[str, ...]:
    """Faker's surnames (many locales) that are a word of some dictionary sense yet in no US census list
    and no given name (`Volta`, `Casals`, `Cairn`, `Sire`): the surnames a rule reading "a dictionary word
    no name list holds is a product word" would take for products."""
    from faker import Faker

    from proxy.detect.name_lexicon import census_surnames, in_dictionary, is_first_name, lexicon_form

    out: set[str] = set()
    for locale in _FAKER_LOCALES:
        provider = Faker(locale).provider("faker.providers.person")
        for attr in ("last_names", "last_names_male", "last_names_female"):
            names = getattr(provider, attr, None) or ()
            for w in names:
                if (
                    w.isalpha()
                    and in_dictionary(w)
                    and lexicon_form(w) not in census_surnames()
                    and not is_first_name(w)
                ):
                    out.add(w)
    return tuple(sorted(out))


def person_with_a_dictionary_surname(rng: Random) -> Case:
    """Leak control for a looser word test: a clear given name and a surname that is a dictionary word no
    census lists (`Maria Volta`, `Madison Casals`), in prose that says "a person" and in product places."""
    last = rng.choice(_dictionary_surnames())
    first = rng.choice((*LEADS, "Maria", "Katherine"))
    who = f"{first} {last}"
    where = rng.choice(
        ("person-prose", "person-prose", "counted", "counted", "table", "item_name", "csv", "prose")
    )
    if where == "person-prose":
        body: dict[str, object] | str = rng.choice(_PERSON_PROSE).format(w=who)
    elif where == "counted":
        body = rng.choice(_COUNTED).format(w=who, n=rng.randrange(1, 40))
    else:
        body = _placed(rng, who, where)[0]
    needle = r"(?<![a-z])" + re.escape(last.casefold()) + r"(?![a-z])"
    return Case(
        "given-name-dictionary-surnames",
        [call(_result(body), "shop")],
        [Planted("person", who, needle)],
        [],
        label=f"person:dict:{where}:{who}",
    )
