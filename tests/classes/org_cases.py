"""Builders for the account-name class: company names, org keys, value shapes, labels, placements.

Every builder takes a `random.Random` (hypothesis hands a controlled one). Each company name gets a new
invented stem (`Quorbridge`, `Velmont`), so no case is hidden by a value an earlier case taught the
session: a leak is a detector or placement miss, never luck.
"""

from __future__ import annotations

import json
import re
from random import Random
from typing import Any

from tests.classes.case import Case, Message, Survivor, call, tool_result
from tests.classes.planting import Planted

_ONSETS = [
    "b",
    "br",
    "c",
    "cl",
    "d",
    "dr",
    "f",
    "fl",
    "g",
    "gr",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "qu",
    "r",
    "s",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
_CODAS = ["ll", "n", "nd", "r", "rd", "rk", "s", "st", "t", "x", "m"]
_TAILS = [
    "bridge",
    "brook",
    "dale",
    "field",
    "gate",
    "haven",
    "mont",
    "ridge",
    "stone",
    "ton",
    "vale",
    "view",
    "water",
    "wood",
    "worth",
]
TRADES = (
    "Plumbing",
    "Dental Care",
    "Roofing",
    "Bakery",
    "Realty",
    "Law Group",
    "Auto Repair",
    "Florist",
    "Landscaping",
    "Fitness Studio",
    "Pediatrics",
    "Insurance Agency",
    "Veterinary Clinic",
    "Consulting",
    "Logistics",
    "Holdings",
    "Partners",
    "Capital",
    "Builders",
    "Analytics",
)
LEGAL_FORMS = (
    "",
    "",
    "LLC",
    "Ltd",
    "Ltd.",
    "GmbH",
    "Inc.",
    "Inc",
    "SA",
    "BV",
    "AG",
    "SARL",
    "Co.",
    "PLC",
    "& Sons",
)


def stem(rng: Random) -> str:
    word = rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) + rng.choice(_TAILS)
    return word.capitalize()


def company(rng: Random) -> Planted:
    """`Quorbridge Dental Care GmbH`: an invented stem, a trade, maybe a legal form (the stem: the needle)."""
    s = stem(rng)
    parts = [s]
    if rng.random() < 0.85:
        parts.append(rng.choice(TRADES))
    form = rng.choice(LEGAL_FORMS)
    if form or len(parts) == 1:
        parts.append(form or rng.choice(("LLC", "Inc.", "GmbH")))
    text = " ".join(parts)
    return Planted("company", text, r"(?<![a-z])" + re.escape(s.casefold()) + r"(?![a-z])")


# ------------------------------------------------------------------------------------------- org keys
ROLES = (
    "account",
    "client",
    "customer",
    "company",
    "organization",
    "organisation",
    "org",
    "advertiser",
    "brand",
    "business",
    "employer",
    "agency",
    "merchant",
    "vendor",
    "supplier",
    "partner",
    "firm",
    "tenant",
    "payer",
    "billing entity",
)
SUFFIXES = ("", "", "name", "display name", "legal name", "title")


def spell(words: list[str], rng: Random) -> str:
    """One key spelling: camelCase, snake_case, kebab-case, UPPER_SNAKE or PascalCase."""
    style = rng.randrange(5)
    if style == 0:
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == 1:
        return "_".join(words)
    if style == 2:
        return "-".join(words)
    if style == 3:
        return "_".join(words).upper()
    return "".join(w.capitalize() for w in words)


def org_key(rng: Random) -> str:
    return spell(f"{rng.choice(ROLES)} {rng.choice(SUFFIXES)}".split(), rng)


def org_value(rng: Random, name: str) -> tuple[str, Any]:
    """(shape, value): the name as a string, an object's name child, a list of objects or of strings."""
    shape = rng.choice(("string", "object", "objects", "strings", "rows"))
    child = rng.choice(("name", "displayName", "title", "legalName"))
    if shape == "string":
        return shape, name
    if shape == "object":
        return shape, {"id": rng.randrange(10, 99), child: name, "status": "ENABLED"}
    if shape == "objects":
        return shape, [{"id": 1, child: name}, {"id": 2, "status": "PAUSED"}]
    if shape == "rows":  # a report: long enough to be walked column by column
        at = rng.randrange(40)
        return shape, [{"row": i, "key": name if i == at else None, "clicks": i} for i in range(40)]
    return shape, [name]


# Enum-shaped and metric neighbours that must reach the client unchanged.
NEIGHBOURS = {
    "status": "ACTIVE",
    "type": "MANAGER",
    "accountType": "SEARCH",
    "currencyCode": "USD",
    "timeZone": "America/New_York",
    "brandSafety": "STANDARD",
    "clicks": 1234,
    "isBrand": True,
}
_NEIGHBOUR_SURVIVORS = [Survivor(v, label=k) for k, v in NEIGHBOURS.items() if type(v) is str]


def placed(rng: Random, record: dict[str, Any]) -> tuple[str, Message]:
    """The record in one placement the client reads."""
    where = rng.choice(("structured", "json-text", "tools-list", "prompt", "log", "resource"))
    text = json.dumps(record)
    if where == "structured":
        return where, call(tool_result(structured=record))
    if where == "json-text":
        return where, call(tool_result(text=text))
    if where == "tools-list":
        tool = {"name": "lookup", "description": text, "inputSchema": {"type": "object"}}
        return where, Message("response", "tools/list", {"tools": [tool]})
    if where == "prompt":
        msg = {"role": "user", "content": {"type": "text", "text": text}}
        return where, Message("response", "prompts/get", {"description": "d", "messages": [msg]})
    if where == "log":
        return where, Message("notification", "notifications/message", {"level": "info", "data": record})
    contents = [{"uri": "mem://r", "mimeType": "application/json", "text": text}]
    return where, Message("response", "resources/read", {"contents": contents})


def org_key_case(rng: Random) -> Case:
    name = company(rng)
    key = org_key(rng)
    shape, value = org_value(rng, name.text)
    if shape == "rows":  # the org key is the report's column
        record = {"report": [{key if k == "key" else k: v for k, v in row.items()} for row in value]}
    else:
        record = {key: value}
    where, msg = placed(rng, {**record, **NEIGHBOURS})
    return Case("org-keys", [msg], [name], list(_NEIGHBOUR_SURVIVORS), f"{shape}@{where}")


# --------------------------------------------------------------------------------------------- labels
LABELS = (
    "Account",
    "Client",
    "Advertiser",
    "Company",
    "Organization",
    "Brand",
    "Billing entity",
    "Agency",
    "Merchant",
    "Vendor",
    "Employer",
    "Account name",
    "Client Name",
    "ACCOUNT",
    "Your account",
    "Parent company",
    "Supplier",
)
SEPARATORS = (": ", ":", " - ", " – ", " — ", ":\t", "\t", " : ")
AFTERS = (
    "",
    "\nStatus: ENABLED",
    ". Next review in May.",
    " | id 42",
    "; status ok",
    " is paused",
    ", Status: ACTIVE",
    " (since 2021)",
)


def label_case(rng: Random) -> Case:
    name = company(rng)
    text = f"{rng.choice(LABELS)}{rng.choice(SEPARATORS)}{name.text}{rng.choice(AFTERS)}"
    if rng.random() < 0.5:
        text = rng.choice(("Weekly report\n", "Summary: all good.\n", "row: ", "x://", "")) + text
    where = rng.choice(("tool", "log", "prompt"))
    if where == "tool":
        msg = call(tool_result(text=text))
    elif where == "log":
        msg = Message("notification", "notifications/message", {"level": "info", "data": text})
    else:
        m = {"role": "user", "content": {"type": "text", "text": text}}
        msg = Message("response", "prompts/get", {"messages": [m]})
    return Case("org-labels", [msg], [name], [], where)


# ---------------------------------------------------------------------------------------- known names
CAMPAIGN_SUFFIXES = (" - Search - Exact", " | Brand | Search", " – PMax", " Spring Promo", "_Display_2024")


def known_in_campaign_case(rng: Random) -> Case:
    """An account name tokenized once (by key) is found inside campaign names of later messages."""
    name = company(rng)
    first = call(tool_result(structured={spell(["account"], rng): name.text}))
    campaign = name.text + rng.choice(CAMPAIGN_SUFFIXES)
    if rng.random() < 0.5:
        campaign = campaign.upper() if rng.random() < 0.3 else campaign
    later = rng.choice(
        (
            call(tool_result(structured={"campaign": {"name": campaign, "status": "ENABLED"}})),
            call(tool_result(text=f"Top campaign this week: {campaign}")),
            Message("notification", "notifications/message", {"level": "info", "data": {"row": [campaign]}}),
        )
    )
    return Case("org-known", [first, later], [name], [], "campaign")


# ------------------------------------------------------------------------------------- over-redaction
ENUMS = (
    "ENABLED",
    "PAUSED",
    "MANAGER",
    "SEARCH",
    "UNKNOWN",
    "Search",
    "Default",
    "Enabled",
    "USD",
    "EUR",
    "America/New_York",
    "Europe/Berlin",
    "en_US",
    "v1.2.3",
    "N/A",
    "none",
    "true",
)
# (An ISO date under `account` is an ACCOUNT_NUMBER by the key-context digits rule on main: reported.)
PRODUCTS = (
    "Trail Running Shoes",
    "Summer Sale - Search - Exact",
    "Brand - Search - Exact",
    "Performance Max - Furniture",
    "Winter Boots 2024",
    "best pizza near me",
    "Display Remarketing",
)
NON_ORG_LABELS = (
    "Status",
    "Campaign",
    "Type",
    "Ad group",
    "Product",
    "Channel",
    "Network",
)  # `Keyword:` alone: a PERSON false positive of NER on main (reported)


def over_redaction_case(rng: Random) -> Case:
    """Enum values under org keys, metric columns, product and campaign names without an org label."""
    # A bare role key: `businessName` & co. are explicit field rules, which tokenize whatever they hold.
    record: dict[str, Any] = {
        spell(rng.choice(ROLES).split(), rng): rng.choice(ENUMS),
        spell(["account", "type"], rng): "SEARCH",
        "brand": rng.random() < 0.5,
        spell(["account", "clicks"], rng): rng.randrange(99),
        "campaign": {"name": rng.choice(PRODUCTS)},
    }
    label = f"{rng.choice(NON_ORG_LABELS)}: {rng.choice(PRODUCTS)}"
    survivors = [Survivor(v, label="value") for v in _strings(record)] + [Survivor(label, label="label")]
    where, msg = placed(rng, {**record, "note": label})
    return Case("org-over-redaction", [msg], [], survivors, where)


def _strings(node: Any) -> list[str]:
    if type(node) is str:
        return [node]
    if type(node) is dict:
        return [s for v in node.values() for s in _strings(v)]
    return []
