"""Cases for the class "an OData record" (red team round 11, class 4): Dataverse / Dynamics 365 and
Microsoft Graph records, whose keys carry instance annotations (`prop@OData.Community.Display.V1.
FormattedValue`, `prop@Microsoft.Dynamics.CRM.lookuplogicalname`, `@odata.etag`) and whose addresses sit
under numbered keys (`address1_line1`, `address2_composite`).

`records`: a contact or an account whose lookup's formatted value names a customer or an owner (a person or
a company), whose street is under a numbered address key, in structured content or JSON text.
`annotations`: the annotation keys and the ordinary annotation values (a status's formatted value, an
entity's logical name, a next page's link) must reach the client unchanged.
"""

from __future__ import annotations

import json
import re
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.name_lists import FIRST, LAST
from tests.classes.planting import Planted

_FV = "@OData.Community.Display.V1.FormattedValue"
_LOGICAL = "@Microsoft.Dynamics.CRM.lookuplogicalname"
_NAV = "@Microsoft.Dynamics.CRM.associatednavigationproperty"
_TRADES = ("Podiatry", "Physiotherapy", "Roofing", "Dental Care", "Plumbing Ltd", "Bakery GmbH")
_STREETS = ("Kastanienallee", "Huckleberry Rd", "Sandpiper Dr", "Foxglove St", "Pelham Crescent",
            "Elm Avenue")  # fmt: skip
_LOOKUPS = ("_parentcustomerid_value", "_ownerid_value", "_primarycontactid_value", "_createdby_value",
            "_accountid_value", "_customerid_value")  # fmt: skip


def _guid(rng: Random) -> str:
    return "-".join("".join(rng.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12))


def _needle(word: str) -> str:
    return r"(?<![a-z])" + re.escape(word.casefold()) + r"(?![a-z])"


def _wrap(rng: Random, records: list[dict[str, Any]], entity_set: str) -> dict[str, Any]:
    body = {"@odata.context": f"https://org.crm.dynamics.com/api/data/v9.2/$metadata#{entity_set}",
            "value": records}  # fmt: skip
    return tool_result(structured=body) if rng.random() < 0.5 else tool_result(json.dumps(body))


def records(rng: Random) -> Case:
    """A record whose lookup names a person or a company, and whose street is under a numbered key."""
    lookup = rng.choice(_LOOKUPS)
    if rng.random() < 0.5:
        surname = rng.choice(LAST)
        shown, plant = f"{rng.choice(FIRST)} {surname}", surname
    else:
        plant = rng.choice(LAST)
        shown = f"{plant} {rng.choice(_TRADES)}"
    street = f"{rng.randrange(10, 9999)} {rng.choice(_STREETS)}"
    n = rng.randrange(1, 4)
    record: dict[str, Any] = {
        "@odata.etag": f'W/"{rng.randrange(10**6)}"',
        "contactid": _guid(rng),
        lookup: _guid(rng),
        lookup + _FV: shown,
        lookup + _LOGICAL: rng.choice(["account", "contact", "systemuser"]),
        "statuscode": 1,
        "statuscode" + _FV: "Active",
    }
    if rng.random() < 0.5:
        record[f"address{n}_line1"] = street
    else:
        record[f"address{n}_composite"] = f"{street}\r\nSpringfield, IL 6{rng.randrange(1000, 9999)}"
    planted = [Planted("lookup-name", plant, _needle(plant)), Planted("street", street, _needle(street))]
    return Case("odata-records", [call(_wrap(rng, [record], "contacts"))], planted, label=lookup)


def annotations(rng: Random) -> Case:
    """Annotation keys and ordinary annotation values: unchanged."""
    lookup = rng.choice(_LOOKUPS)
    status = rng.choice(["Active", "Inactive", "Open", "Won", "Preferred"])
    record = {
        "@odata.etag": f'W/"{rng.randrange(10**6)}"',
        "statuscode": 1,
        "statuscode" + _FV: status,
        lookup: _guid(rng),
        lookup + _LOGICAL: "account",
        lookup + _NAV: "parentcustomerid_account",
        "revenue" + _FV: f"${rng.randrange(1, 999)},000.00",
    }
    body = _wrap(rng, [record], "accounts")
    keep = [lookup + _LOGICAL, lookup + _NAV, "statuscode" + _FV, status, "revenue" + _FV, "@odata.etag"]
    survivors = [Survivor(k, label=k.split("@")[-1]) for k in keep]
    return Case("odata-annotations", [call(body)], [], survivors, label=lookup)
