"""Over-redaction: what is not personal data must reach the client unchanged, next to what is."""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.planting import email

QUERIES = (
    "best running shoes 2026",
    "plumber near me",
    "how to fix a leaking tap",
    "emergency dentist berlin",
    "cheap flights to lisbon",
    "wohnung mieten münchen",
    "iphone 17 pro max case",
    "python 3.12 release date",
    "mortgage calculator uk",
    "vegan bakery brooklyn",
    "1099 form deadline",
    "size 10.5 trail shoes",
)
CAMPAIGNS = (
    "Brand – Search – DE",
    "PMax | Shoes | 2026-Q3",
    "Generic_Plumbing_Exact",
    "Remarketing 30d",
    "Café – Berlin – Performance Max",
    "DSA All Pages",
    "Competitors (EN)",
    "Black Friday 2026 - Display",
)
PRODUCTS = (
    "Nike Air Zoom Pegasus 41",
    "Samsung Galaxy S25 Ultra",
    "Bosch Serie 6 WAT28400",
    "Apple AirPods Pro 2",
    "Dr. Martens 1460 Boots",
    "Le Creuset Signature 24 cm",
    "Miele Complete C3 Cat & Dog",
)
ENUMS = ("ENABLED", "PAUSED", "REMOVED", "SEARCH", "PERFORMANCE_MAX", "MANUAL_CPC", "TARGET_ROAS", "BROAD")
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY")
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo")


def _decimal(rng: Random) -> str:
    return f"0.{rng.randrange(10**9, 10**10):010d}"


def _version(rng: Random) -> str:
    return ".".join(str(rng.randrange(0, 20 if i else 12)) for i in range(rng.choice([3, 4])))


def _page(rng: Random) -> str:
    return (
        f"https://www.{rng.choice(['example-shop', 'acme-plumbing', 'bakery-nord'])}.example/"
        + rng.choice(
            ["blog/leaking-tap-guide", "products/trail-shoe-10-5", "de/kontakt", f"p/{rng.randrange(10**6)}"]
        )
    )


def over_redaction(rng: Random) -> Case:
    """A report whose every field is ordinary business data, plus one query string carrying an email."""
    micros = rng.randrange(10**8, 10**11)
    decimal, version = _decimal(rng), _version(rng)
    date = f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    strings = {
        "decimal": decimal,
        "micros-line": f"spend (micros): {micros}",
        "version-line": f"version {version}",
        "query": rng.choice(QUERIES),
        "page": _page(rng),
        "campaign": rng.choice(CAMPAIGNS),
        "product": rng.choice(PRODUCTS),
        "enum": rng.choice(ENUMS),
        "date": date,
        "datetime": f"{date}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z",
        "currency": rng.choice(CURRENCIES),
        "zone": rng.choice(ZONES),
        "cost-string": str(micros),
        "ctr-line": f"ctr {decimal}, position {rng.randrange(1, 90)}.{rng.randrange(10)}",
    }
    row: dict[str, Any] = {
        "keys": [strings["query"], strings["page"]],
        "campaign": {"name": strings["campaign"], "status": strings["enum"], "startDate": strings["date"]},
        "customer": {"currencyCode": strings["currency"], "timeZone": strings["zone"]},
        "metrics": {"costMicros": strings["cost-string"], "ctr": strings["decimal"]},
        "appVersion": version,
        "product": {"title": strings["product"]},
        "updated": strings["datetime"],
    }
    lines = [strings["micros-line"], strings["version-line"], strings["ctr-line"]]
    mail = email(rng)
    qs = f"status=ok&count={rng.randrange(1, 50)}&email={mail.text}&page={rng.randrange(1, 9)}"
    carrier = rng.choice(["structured", "json-text", "text"])
    if carrier == "structured":
        result = tool_result("\n".join([*lines, qs]), structured={"rows": [row]})
    elif carrier == "json-text":
        result = tool_result(json.dumps({"rows": [row], "log": lines, "link": qs}))
    else:
        flat = [f"{k}: {v}" for k, v in strings.items()]
        result = tool_result("\n".join([*flat, qs]))
    survivors = [Survivor(s, label=k) for k, s in strings.items()] + [Survivor(qs, mail.text, "query-string")]
    return Case(
        "over-redaction",
        [call(result, rng.choice(["search_analytics", "list_campaigns", "report"]))],
        [mail],
        survivors,
        label=carrier,
    )
