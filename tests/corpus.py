"""A seeded corpus of backend results with canary personal data at random positions, and ground truth.

Each case is a tool result (`content` text, JSON inside text, `structuredContent`) plus the exact canary
strings it hides. Used by the leak tests (a CI-sized slice) and by soak/eval runs (full size).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

FIRST = ["Jane", "Omar", "Lena", "Raj", "Chloe", "Mateo", "Aiko", "Sven", "Nia", "Pavel"]
LAST = ["Miller", "Haddad", "Fischer", "Patel", "Dubois", "Garcia", "Tanaka", "Berg", "Okafor", "Novak"]
DOMAINS = ["acme-plumbing.example", "gmail.com", "web.de", "northwind.co.uk", "outlook.com"]


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def iban_de(rng: random.Random) -> str:
    bban = "".join(rng.choice("0123456789") for _ in range(18))
    rearranged = bban + "131400"  # "DE" -> 13 14, check digits 00
    check = 98 - int(rearranged) % 97
    return f"DE{check:02d}{bban}"


@dataclass
class Case:
    result: dict[str, Any]
    canaries: dict[str, str] = field(default_factory=dict)  # value -> kind
    tool: str = "crm_lookup"


def _canaries(rng: random.Random) -> dict[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    n = rng.randrange(10_000)
    area = rng.choice(["415", "212", "312", "206"])
    out = {
        f"{first.lower()}.{last.lower()}{n}@{rng.choice(DOMAINS)}": "email",
        rng.choice(
            [
                f"+1 {area} 555 {rng.randrange(100, 199):04d}",
                f"({area}) 555-{rng.randrange(100, 199):04d}",
                f"+44 20 7946 {rng.randrange(1000):04d}",
                f"+49 30 {rng.randrange(10**7, 10**8)}",
            ]
        ): "phone",
        luhn_complete("4", 16, rng): "card",
        iban_de(rng): "iban",
        f"{rng.randrange(11, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}": "ip",
        f"{rng.randrange(100, 665)}-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}": "ssn",
        f"{rng.randrange(10**9, 10**10)}": "customer-id",
    }
    return out


def _sentence(value: str, kind: str, rng: random.Random) -> str:
    templates = {
        "email": ["Reply to {v} by Friday", "contact: {v}", "<{v}>", "{v}"],
        "phone": ["Call back on {v}", "tel {v} (mobile)", "{v}"],
        "card": ["card on file {v}", "paid with {v}"],
        "iban": ["IBAN {v} for refunds", "{v}"],
        "ip": ["login from {v} at 09:14", "ip={v}"],
        "ssn": ["SSN {v} on the form", "ssn: {v}"],
        "customer-id": ["customers/{v}/campaigns/17", "customer id {v}"],
    }
    return rng.choice(templates[kind]).format(v=value)


def make_case(rng: random.Random) -> Case:
    canaries = _canaries(rng)
    values = list(canaries.items())
    rng.shuffle(values)
    record: dict[str, Any] = {"id": rng.randrange(10**6), "status": "ACTIVE", "clicks": rng.randrange(10**6)}
    for i, (value, kind) in enumerate(values):
        where = rng.randrange(5)
        text = _sentence(value, kind, rng)
        if where == 0:
            record[f"note{i}"] = text
        elif where == 1:
            record.setdefault("history", []).append({"entry": [text, rng.random()]})
        elif where == 2:
            record.setdefault("nested", {}).setdefault("deeper", {})[f"k{i}"] = text
        elif where == 3 and kind == "email":
            record.setdefault("byContact", {})[value] = {"visits": rng.randrange(100)}  # a value as a key
        elif where == 4 and kind == "customer-id":
            record["customerId"] = value  # a policy field
        else:
            record[f"text{i}"] = f"{text}, then ✓ ünïcode “quotes”"
    trade = rng.choice(["Plumbing", "Dental", "Realty", "Bakery"])
    account = f"{rng.choice(LAST)} {trade} {rng.choice(['LLC', 'GmbH', 'Ltd'])}"
    record["descriptiveName"] = account
    canaries[account] = "policy-field"
    carrier = rng.randrange(3)
    if carrier == 0:
        result = {"content": [{"type": "text", "text": json.dumps(record)}], "structuredContent": record}
    elif carrier == 1:
        result = {"content": [{"type": "text", "text": json.dumps(record, indent=2)}]}
    else:
        lines = [f"{k}: {v}" for k, v in record.items() if isinstance(v, str)]
        half = len(lines) // 2
        result = {
            "content": [
                {"type": "text", "text": "\n".join(lines[:half])},
                {"type": "resource", "resource": {"uri": "crm://x", "text": json.dumps(record)}},
            ]
        }
    return Case(result, canaries)


def make_corpus(n: int, seed: int = 1234) -> list[Case]:
    rng = random.Random(seed)
    return [make_case(rng) for _ in range(n)]
