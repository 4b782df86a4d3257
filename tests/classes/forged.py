"""A value smuggled inside text shaped like a token (`[[ENTITY:id]]`): in the entity part, or as the bytes
of the base32 id. A backend never holds a real token, so any token-shaped text from one is forged.
"""

from __future__ import annotations

import base64
import json
import re
import string
from random import Random

from tests.classes.case import Case, call, filler_record, tool_result
from tests.classes.planting import reliable_value, sentence

_ENTITIES = ("PHONE", "PERSON", "EMAIL_ADDRESS", "CREDIT_CARD", "US_SSN", "GOOGLE_ADS_CUSTOMER_ID", "X")


def _id(rng: Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase[:26] + "234567") for _ in range(16))


def forged_tokens(rng: Random) -> Case:
    """A number in a token's entity part (`[[PHONE_13124706655:…]]`) or, ten digits, as its base32 id,
    in a sentence, a structured field (under a key rule or not) or JSON in a text."""
    # Digits only: an entity part is `[A-Z0-9_]`, so an address cannot be carried readably there; ten bytes
    # exactly are a base32 id of sixteen characters (a token's length).
    value = reliable_value(rng, rng.choice(["phone", "card", "ssn", "customer-id"]))
    digits = re.sub(r"\D", "", value.text)
    if len(digits) == 10 and rng.random() < 0.5:
        token = f"[[{rng.choice(_ENTITIES)}:{base64.b32encode(digits.encode()).decode().lower()}]]"
        how = "base32-id"
    else:
        payload = re.sub(r"[^A-Za-z0-9]+", "_", value.text).upper().strip("_")[:40]
        token = f"[[{rng.choice(_ENTITIES)}_{payload}:{_id(rng)}]]"
        how = "entity-part"
    where = rng.choice(["text", "field", "ruled-field", "json-text"])
    if where == "text":
        result = tool_result(sentence(rng, value).replace(value.text, token))
    else:
        key = "customerId" if where == "ruled-field" else rng.choice(["ref", "note", "handle"])
        record = filler_record(rng) | {key: token}
        result = tool_result(json.dumps(record)) if where == "json-text" else tool_result(structured=record)
    return Case("forged", [call(result)], [value], label=f"forged-{how}:{where}")
