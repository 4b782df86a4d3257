"""Valid IBANs of every country of the SWIFT IBAN Registry, written as people write them (red team round
nine, class 3: the countries added 2020-2024 -- Mongolia, Nicaragua, Somalia, Russia, Sudan, Oman, Yemen,
Djibouti, the Falklands, Honduras -- were no IBAN to the proxy whatever their check digits).

`REGISTRY` is the registry's BBAN structure per country (release 102, June 2026, 89 countries; `4!a` four
letters, `12!n` twelve digits, `16!c` sixteen letters or digits), written from the registry rather than
imported from the length table it tests. The check digits are computed (ISO 7064 mod 97-10).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from random import Random

from tests.classes.case import Case, call, filler_record, tool_result
from tests.classes.planting import Planted, _alnum_needle

REGISTRY = {
    "AD": "4!n4!n12!c", "AE": "3!n16!n", "AL": "8!n16!c", "AT": "5!n11!n", "AZ": "4!a20!c",
    "BA": "3!n3!n8!n2!n", "BE": "3!n7!n2!n", "BG": "4!a4!n2!n8!c", "BH": "4!a14!c", "BI": "5!n5!n11!n2!n",
    "BR": "8!n5!n10!n1!a1!c", "BY": "4!c4!n16!c", "CH": "5!n12!c", "CR": "4!n14!n", "CY": "3!n5!n16!c",
    "CZ": "4!n6!n10!n", "DE": "8!n10!n", "DJ": "5!n5!n11!n2!n", "DK": "4!n9!n1!n", "DO": "4!c20!n",
    "EE": "2!n2!n11!n1!n", "EG": "4!n4!n17!n", "ES": "4!n4!n1!n1!n10!n", "FI": "3!n11!n", "FK": "2!a12!n",
    "FO": "4!n9!n1!n", "FR": "5!n5!n11!c2!n", "GB": "4!a6!n8!n", "GE": "2!a16!n", "GI": "4!a15!c",
    "GL": "4!n9!n1!n", "GR": "3!n4!n16!c", "GT": "4!c20!c", "HN": "4!a20!n", "HR": "7!n10!n",
    "HU": "3!n4!n1!n15!n1!n", "IE": "4!a6!n8!n", "IL": "3!n3!n13!n", "IQ": "4!a3!n12!n",
    "IS": "4!n2!n6!n10!n", "IT": "1!a5!n5!n12!c", "JO": "4!a4!n18!c", "KW": "4!a22!c", "KZ": "3!n13!c",
    "LB": "4!n20!c", "LC": "4!a24!c", "LI": "5!n12!c", "LT": "5!n11!n", "LU": "3!n13!c", "LV": "4!a13!c",
    "LY": "3!n3!n15!n", "MC": "5!n5!n11!c2!n", "MD": "2!c18!c", "ME": "3!n13!n2!n", "MK": "3!n10!c2!n",
    "MN": "4!n12!n", "MR": "5!n5!n11!n2!n", "MT": "4!a5!n18!c", "MU": "4!a2!n2!n12!n3!n3!a", "NI": "4!a20!n",
    "NL": "4!a10!n", "NO": "4!n6!n1!n", "OM": "3!n16!c", "PK": "4!a16!c", "PL": "8!n16!n", "PS": "4!a21!c",
    "PT": "4!n4!n11!n2!n", "QA": "4!a21!c", "RO": "4!a16!c", "RS": "3!n13!n2!n", "RU": "9!n5!n15!c",
    "SA": "2!n18!c", "SC": "4!a2!n2!n16!n3!a", "SD": "2!n12!n", "SE": "3!n16!n1!n", "SI": "5!n8!n2!n",
    "SK": "4!n6!n10!n", "SM": "1!a5!n5!n12!c", "SO": "4!n3!n12!n", "ST": "4!n4!n11!n2!n", "SV": "4!a20!n",
    "TL": "3!n14!n2!n", "TN": "2!n3!n13!n2!n", "TR": "5!n1!n16!c", "UA": "6!n19!c", "VA": "3!n15!n",
    "VG": "4!a16!n", "XK": "4!n10!n2!n", "YE": "4!a4!n18!c"
}  # fmt: skip
_ALPHABETS = {"a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "n": "0123456789"}
_ALPHABETS["c"] = _ALPHABETS["a"] + _ALPHABETS["n"]


def bban_length(country: str) -> int:
    return sum(int(n) for n, _ in re.findall(r"(\d+)!([anc])", REGISTRY[country]))


def iban_of(country: str, pick: Callable[[str], str]) -> str:
    """A valid IBAN of `country`; `pick(alphabet)` draws one character (`Random.choice`, or Hypothesis)."""
    bban = "".join(
        "".join(pick(_ALPHABETS[kind]) for _ in range(int(n)))
        for n, kind in re.findall(r"(\d+)!([anc])", REGISTRY[country])
    )
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def written(value: str, style: str) -> str:
    """Compact, in fours (the registry's print form), or lower case in fours."""
    if style == "compact":
        return value
    fours = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return fours.lower() if style == "lower" else fours


_WORDS = ("Wire to", "IBAN:", "pay into", "Bankverbindung", "account", "refund to", "beneficiary")
_KEYS = ("iban", "account", "beneficiary_account", "payTo", "bank", "note", "detail")
PLACEMENTS = ("text", "json-field", "structured-nested", "json-in-text")


def registry_ibans(rng: Random, country: str | None = None) -> Case:
    """One valid IBAN of a registry country (every country when the caller walks `REGISTRY`), in running
    text, under a JSON key, nested in structuredContent, or as JSON written into a text block."""
    country = country or rng.choice(sorted(REGISTRY))
    value = iban_of(country, rng.choice)
    text = written(value, rng.choice(["compact", "fours", "lower"]))
    planted = Planted("iban", text, _alnum_needle(value))
    where = rng.choice(PLACEMENTS)
    key = rng.choice(_KEYS)
    record = filler_record(rng)
    if where == "text":
        payload = tool_result(f"{rng.choice(_WORDS)} {text} by Friday.")
    elif where == "json-field":
        payload = tool_result(structured={**record, key: text})
    elif where == "structured-nested":
        payload = tool_result(structured={"rows": [{**record, "payment": {key: text}}]})
    else:
        payload = tool_result(json.dumps({"result": {**record, key: text}}))
    return Case("iban-registry", [call(payload)], [planted], label=f"{country} {where}")
