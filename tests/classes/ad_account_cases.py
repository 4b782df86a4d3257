"""Cases for the class "an ad or analytics platform's account ID" (red team round 10, classes 6 and 12).

`platform_ids`: the IDs of the platforms an agency's MCP servers return beside Google Ads, in the shapes
their APIs write: GA4 Admin `properties/…`, `accounts/…`, `accountSummaries/…`, Business Profile
`accounts/…/locations/…`, Display & Video 360 `advertisers/…`, Merchant Center `merchants/…`, Meta's
`act_…` (in an `id` or a Graph API path), and keys naming one (`merchantId`, `advertiser_id`,
`propertyId`, as a string or a number); in structured content, JSON text or a sentence.

`glued_customer_ids`: a Google Ads customer ID glued with `_` after a customer word in a file name, a
label or a path (`client_1608787110`, `gads_3107797511_2026-11.csv`, `Customer_…`).

`lookalikes`: digit runs in resource names of collections that name no account (`campaigns/…`,
`adGroups/…`, `geoTargetConstants/…`), ten digits glued after other words (`backup_1701234567.tar`,
`build_…`), and non-numeric values under the account keys: they must stay.
"""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, filler_record, tool_result
from tests.classes.planting import Planted, digits_needle


def _digits(rng: Random, n: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def _place(rng: Random, record: dict[str, Any], sentence: str) -> dict[str, Any]:
    where = rng.choice(["structured", "json-text", "prose"])
    if where == "structured":
        return tool_result(structured=record)
    if where == "json-text":
        return tool_result(json.dumps(record))
    return tool_result(sentence)


def platform_ids(rng: Random) -> Case:
    """A non-Google-Ads account ID in its platform's own shape (module doc)."""
    shape = rng.randrange(9)
    n = rng.choice([9, 10, 12]) if shape < 6 else 0
    v = _digits(rng, n or 9)
    if shape == 0:
        record, s = {"property": f"properties/{v}", "displayName": "Main site"}, f"Linked properties/{v}."
    elif shape == 1:
        record, s = {"name": f"accounts/{v}", "displayName": "Client web"}, f"GA4 account accounts/{v} ready"
    elif shape == 2:
        v = _digits(rng, 21)
        loc = f"accounts/{v}/locations/{_digits(rng, 19)}"
        record, s = {"name": loc, "title": "Dover Dental"}, f"Updated {loc} hours"
    elif shape == 3:
        record, s = {"advertiser": f"advertisers/{v}"}, f"DV360 advertisers/{v}/insertionOrders list"
    elif shape == 4:
        record, s = {"account": f"accountSummaries/{v}"}, f"See accountSummaries/{v}"
    elif shape == 5:
        record, s = {"name": f"merchants/{v}/products/online:en:US:1"}, f"merchants/{v} feed synced"
    elif shape == 6:
        v = _digits(rng, rng.choice([15, 16]))
        record = {"id": f"act_{v}", "account_status": 1}
        s = f"GET https://graph.facebook.com/v19.0/act_{v}/insights?level=campaign"
    else:
        v = _digits(rng, rng.choice([9, 12, 19]))
        key = rng.choice(
            ["merchantId", "merchant_id", "advertiser_id", "advertiserId", "propertyId", "property_id"]
        )
        record = {**filler_record(rng), key: v if rng.random() < 0.5 else int(v)}
        s = json.dumps(record)
    return Case("ad-account-ids", [call(_place(rng, record, s))], [Planted("account", v, digits_needle(v))],
                label=f"shape{shape}")  # fmt: skip


def glued_customer_ids(rng: Random) -> Case:
    """A ten-digit customer ID glued with `_` after a customer word."""
    v = _digits(rng, 10)
    word = rng.choice(["client", "gads", "customer", "Customer", "cid", "acct", "CLIENT", "adwords"])
    text = rng.choice(
        [
            f"Saved report to /exports/{word}_{v}_2026-{rng.randrange(1, 13):02d}.csv",
            f"label: {word}_{v}",
            f"uploaded gs://reports/{word}_{v}/weekly.pdf",
            json.dumps({"file": f"{word}_{v}.xlsx", "rows": rng.randrange(10, 999)}),
        ]
    )
    planted = [Planted("customer-id", v, digits_needle(v))]
    return Case("glued-customer-ids", [call(tool_result(text))], planted, label=word)


def lookalikes(rng: Random) -> Case:
    """Digit runs after collections or words that name no account, and words under account keys."""
    d = _digits(rng, rng.choice([8, 11, 12]))  # ten digits alone read as a customer ID (documented)
    value = rng.choice(
        [
            f"customers/1234567890/campaigns/{d}",
            f"adGroups/{d}",
            f"geoTargetConstants/{d}",
            f"conversionActions/{d}",
            f"backup_{d}.tar.gz",
            f"build_{d}",
            f"order_{d} shipped",
            rng.choice(["shop-42", "Main site", "Acme Store", "act_now"]),
        ]
    )
    if value.startswith("customers/"):
        value = value.replace("customers/1234567890/", "")
    key = rng.choice(["name", "resourceName", "merchantId", "property", "file", "note"])
    record = {**filler_record(rng), key: value}
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    return Case("ad-account-lookalikes", [call(payload)], survivors=[Survivor(value, label=key)], label=key)
