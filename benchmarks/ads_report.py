"""A Google Ads-shaped report for the benchmarks: `n` rows of a GoogleAdsService.Search answer over
ad_group, each with its campaign's id and name, its ad group's id and its metrics, as the REST API writes
them (int64 fields as strings). Every campaign and ad group id is distinct: the worst case for a detector
that judges each distinct value once (a number per row that no earlier row held)."""

from __future__ import annotations

import random
from typing import Any

_CITIES = ("Berlin", "Hamburg", "Munich", "Lyon", "Austin", "Leeds", "Porto", "Graz")
_KINDS = ("Brand – Search", "Generic – Exact", "Performance Max", "Remarketing", "Display – Prospecting")


def ads_report_rows(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(f"ads-report:{seed}:{n}")
    campaign_ids = rng.sample(range(10_000_000_000, 23_000_000_000), n)
    group_ids = rng.sample(range(100_000_000_000, 190_000_000_000), n)
    rows = []
    for i in range(n):
        clicks = int(rng.lognormvariate(4, 1.5))
        impressions = clicks * rng.randint(8, 120) + rng.randint(0, 99)
        cost = clicks * rng.randint(350_000, 14_000_000)
        rows.append(
            {
                "campaign": {
                    "id": str(campaign_ids[i]),
                    "name": f"{rng.choice(_CITIES)} – {rng.choice(_KINDS)} #{i % 97}",
                    "status": rng.choice(("ENABLED", "PAUSED")),
                },
                "adGroup": {"id": str(group_ids[i]), "status": "ENABLED"},
                "metrics": {
                    "clicks": str(clicks),
                    "impressions": str(impressions),
                    "costMicros": str(cost - cost % 10_000),
                    "conversions": round(clicks * rng.uniform(0.01, 0.12), 2),
                },
            }
        )
    return rows


def ads_report_response(n: int, seed: int = 1) -> dict[str, Any]:
    """The `search` answer's body: `{"results": [...], "fieldMask": ...}`."""
    return {
        "results": ads_report_rows(n, seed),
        "fieldMask": "campaign.id,campaign.name,campaign.status,adGroup.id,adGroup.status,metrics.clicks,"
        "metrics.impressions,metrics.costMicros,metrics.conversions",
    }
