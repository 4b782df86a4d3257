"""Cases for the class "an account name in a nested SaaS shape" (red team round 10, class 9): the org
key's object wraps its list (Intercom's `"companies": {"type": "list", "data": [{"name": …}]}`, GraphQL's
`{"nodes": [...]}`, `{"items": [...]}`, `{"results": [...]}`), or the org object is a profile (Stripe's
`"business_profile": {"name": …}`, `company_profile`, `merchantProfile`).

Names are `org_cases.company` (an invented stem, a trade, a legal form); `lookalikes`: enum values and
product names in the same wrappers must stay.
"""

from __future__ import annotations

from random import Random
from typing import Any

from tests.classes.case import Case, Survivor
from tests.classes.org_cases import ENUMS, PRODUCTS, company, placed, spell

WRAPPERS = ("data", "nodes", "items", "results", "records")
ORGS = ("companies", "accounts", "clients", "organizations", "advertisers", "merchants", "businesses")
PROFILES = (["business", "profile"], ["company", "profile"], ["merchant", "profile"], ["account", "profile"])


def _shape(rng: Random, name: str, child: str) -> tuple[str, dict[str, Any]]:
    if rng.random() < 0.6:
        wrapper = rng.choice(WRAPPERS)
        items = [
            {"type": "company", "id": str(rng.randrange(10**6)), child: name},
            {"type": "company", "id": "1"},
        ]
        rng.shuffle(items)
        body = {"type": "list", wrapper: items, "total_count": len(items)}
        return f"wrapped-{wrapper}", {
            "type": "contact",
            "id": str(rng.randrange(10**6)),
            rng.choice(ORGS): body,
        }
    key = spell(rng.choice(PROFILES), rng)
    return "profile", {"object": "account", key: {child: name, "mcc": "5734", "url": "https://shop.example"}}


def nested_org_names(rng: Random) -> Case:
    name = company(rng)
    shape, record = _shape(rng, name.text, rng.choice(("name", "displayName", "legalName")))
    where, msg = placed(rng, record)
    return Case("org-nested", [msg], [name], label=f"{shape}@{where}")


def lookalikes(rng: Random) -> Case:
    """An enum where the nested org name would be, and a product or campaign name in the same wrappers
    under a key naming no organisation (`campaigns`, `products`, `user_profile`): unchanged. (A product
    name under an org key is taken for the account's name by design: `org_cases`.) Under `name`:
    `displayName` and `legalName` are explicit field rules, which tokenize whatever they hold."""
    if rng.random() < 0.5:
        value = rng.choice(ENUMS)
        shape, record = _shape(rng, value, "name")
    else:
        value = rng.choice(PRODUCTS)
        shape, record = _shape(rng, value, "name")
        org_keys = {*ORGS, *("".join(p) for p in PROFILES)}
        for k in [k for k in record if k.replace("_", "").replace("-", "").lower() in org_keys]:
            record[rng.choice(("campaigns", "products", "adGroups", "user_profile"))] = record.pop(k)
    where, msg = placed(rng, record)
    return Case("org-nested-lookalikes", [msg], [], [Survivor(value, label=shape)], label=f"{shape}@{where}")
