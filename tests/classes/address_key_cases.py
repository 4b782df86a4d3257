"""Cases for the class "a key names a street address by its words" (red team round 10, classes 2 and 9's
SaaS records): Salesforce `MailingStreet`, HubSpot `street`, Stripe `line1`, `addressLine`, `addr`,
`residence`, `Anschrift`, `Lieferanschrift`, `direccion`, `indirizzo`, `endereço`, `location` holding a
street.

The keys are built here from their parts (a qualifier, a head word in one of several languages, a
modifier or a number, in camelCase, snake_case or PascalCase), written out independently of the product's
word tables (proxy/scan/address_keys.py), so a head word the product forgets leaks here. Street names are
made up from syllables, unique per case, so a session's known values cannot hide a leak.

`lookalikes`: values under the same words that are no postal address and must stay: a city or a country
code or a geo target under `location`, a chart series under `line1`, a hex address, a place name.
"""

from __future__ import annotations

import json
import re
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, filler_record, nest, tool_result
from tests.classes.planting import Planted

QUALIFIERS = ["", "mailing", "billing", "shipping", "home", "delivery", "primary", "work", "other", "postal"]
HEADS = ["street", "address", "addr", "residence", "Anschrift", "adresse", "strasse", "Straße", "direccion",
         "dirección", "indirizzo", "endereço", "adres", "straat", "domicilio"]  # fmt: skip
SUFFIXES = ["", "1", "2", "line", "line_1", "name", "full"]
COMPOUNDS = ["Lieferanschrift", "Rechnungsadresse", "Wohnadresse", "Postanschrift", "homeaddress"]
LINE_KEYS = ["line1", "line2", "line_1", "Line1"]

_ONSETS = ["br", "w", "t", "h", "k", "m", "qu", "st", "gl", "th", "d", "f", "v", "pl", "cr"]
_VOWELS = ["a", "e", "i", "o", "u", "ea", "ou"]
_CODAS = ["n", "r", "l", "m", "ck", "nd", "rt", "lm", "x"]
_ENDS = ["field", "wood", "brook", "ridge", "ford", "dale", "mere", "hurst"]
TYPES = {
    "en": ["Ave", "Rd", "Ln", "Ct", "Street", "Drive", "Terrace", "Crescent", "Blvd", "Way"],
    "de": ["straße", "weg", "allee", "platz", "gasse"],
    "fr": ["Rue", "Avenue", "Chemin"],
    "es": ["Calle", "Avenida", "Paseo"],
    "it": ["Via", "Viale", "Piazza"],
}


def _stem(rng: Random) -> str:
    word = "".join(rng.choice(p) for p in (_ONSETS, _VOWELS, _CODAS)) + rng.choice(_ENDS)
    return word.capitalize()


def street(rng: Random) -> tuple[str, str]:
    """A made-up street address in one language's order, and its distinctive word (the needle)."""
    stem, n = _stem(rng), str(rng.randrange(2, 9900))
    lang = rng.choice(sorted(TYPES))
    kind = rng.choice(TYPES[lang])
    if lang == "en":
        text = f"{n} {stem} {kind}"
    elif lang == "de":
        stem = stem + kind
        text = f"{stem} {n}"
    elif lang == "fr":
        text = f"{n} {kind} des {stem}"
    else:
        text = f"{kind} {stem} {n}"
    return text, stem


def _join(parts: list[str], style: str) -> str:
    parts = [p for p in parts if p]
    if style == "snake":
        return "_".join(p.lower() if p.isascii() else p for p in parts)
    if style == "pascal":
        return "".join(p[:1].upper() + p[1:] for p in parts)
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def address_key(rng: Random) -> str:
    """A key naming a street address: qualifier + head + modifier, a German compound, or `line1`."""
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(COMPOUNDS)
    if roll < 0.2:
        return rng.choice(LINE_KEYS)
    parts = [rng.choice(QUALIFIERS), rng.choice(HEADS), rng.choice(SUFFIXES)]
    if parts[1] == "address" and not parts[0] and not parts[2]:
        parts[0] = "street"  # `address` alone is the shipped field rule: not this class
    return _join(parts, rng.choice(["snake", "camel", "pascal"]))


def _needle(word: str) -> str:
    return r"(?<!\w)" + re.escape(word.casefold()) + r"(?!\w)"


def _record(rng: Random, key: str, value: str) -> Any:
    """The address in a real shape: a flat record, a Salesforce record, a HubSpot `properties`, a list."""
    shape = rng.choice(["flat", "salesforce", "hubspot", "list", "nested"])
    if shape == "salesforce":
        return {
            "attributes": {"type": rng.choice(["Contact", "Account", "Lead"])},
            key: value,
            "City": "Dover",
        }
    if shape == "hubspot":
        return {"id": str(rng.randrange(10**9)), "properties": {key: value, "city": "Dover", "zip": "19901"}}
    if shape == "list":
        return {"results": [{**filler_record(rng), key: value}, filler_record(rng)]}
    if shape == "nested":
        return nest(rng, {key: value, "city": "Dover"}, rng.randrange(1, 3))
    return {**filler_record(rng), key: value, "city": "Dover"}


def keyed_addresses(rng: Random) -> Case:
    """A street address under an address key the default field rules do not spell (module doc)."""
    key = "location" if rng.random() < 0.1 else address_key(rng)
    value, stem = street(rng)
    record = _record(rng, key, value)
    where = rng.choice(["structured", "json-text"])
    payload = tool_result(structured=record) if where == "structured" else tool_result(json.dumps(record))
    return Case("address-keys", [call(payload)], [Planted("address", value, _needle(stem))], label=f"{where}")


def lookalikes(rng: Random) -> Case:
    """Values under address words that are no street address: they must reach the client unchanged."""
    pick = rng.randrange(9)
    geo = rng.choice(
        ["Charlotte,North Carolina,United States", "Austin,Texas,United States", "Leeds,England"]
    )
    key, value = [
        ("location", rng.choice(["US", "DE", "Springfield", "Dover", "us-central1", "Remote"])),
        ("location", geo),
        ("location", f"geoTargetConstants/{rng.randrange(1000000, 3000000)}"),
        ("line1", rng.choice(["Revenue", "Sessions (7d avg)", "Clicks 2026", "Cost per 1000 views"])),
        ("lineColor", f"#{rng.randrange(16**6):06x}"),
        ("contract_address", "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40))),
        ("addressType", rng.choice(["billing", "shipping", "home"])),
        ("address", "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice([8, 12, 40])))),
        ("location_name", rng.choice(["Store 12 Downtown", "Warehouse 3", "Plant 7 North"])),
    ][pick]
    record = {**filler_record(rng), key: value}
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    return Case("address-key-lookalikes", [call(payload)], survivors=[Survivor(value, label=key)], label=key)
