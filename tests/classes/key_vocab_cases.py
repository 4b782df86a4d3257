"""Cases for the class "a key in another language names the value": `telefon`, `kreditkarte` over a list of
4-digit pieces, `steuerId`, `nombre` / `Ansprechpartner` columns of names (red team 3, labels/keys).

The key words here are written out independently of the product's tables (proxy/policy/key_vocab.py), so
a word the product forgets leaks here. Judged with `label_cases.readable` (each list's items read joined).
"""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.case import Case, call, tool_result
from tests.classes.label_cases import us_phone
from tests.classes.planting import Planted, card_digits, digits_needle, person, ssn_digits

KEYS = {
    "ssn": ["national_id", "itin", "sozialversicherungsnummer", "steuerId", "steuer_id", "nationalId"],
    "phone": ["telefon", "handy", "mobil", "rufnummer", "telefono", "téléphone", "Telefonnummer"],
    "card": ["kreditkarte", "Kreditkarte", "tarjeta", "carteBancaire"],
}
NAME_KEYS = [
    "nombre",
    "Ansprechpartner",
    "nom",
    "nome",
    "vorname",
    "nachname",
    "apellido",
    "cognome",
    "kontakt",
]


def keyed_value(rng: Random) -> Case:
    """A bare SSN, phone or card under a non-English key: as a number, a string, or a list of pieces."""
    kind = rng.choice(sorted(KEYS))
    d = {"ssn": ssn_digits, "card": card_digits}.get(kind, us_phone)(rng)
    how = rng.choice(["string", "number", "pieces"])
    item: Any = (
        d if how == "string" else int(d) if how == "number" else [d[i : i + 4] for i in range(0, len(d), 4)]
    )
    record = {rng.choice(KEYS[kind]): item, "n": rng.randrange(100)}
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    return Case("key-vocab", [call(payload)], [Planted(kind, d, digits_needle(d))], label=f"{how}:{kind}")


def name_column(rng: Random) -> Case:
    """Rows whose person column is named in another language, the names lowercased or not."""
    key = rng.choice(NAME_KEYS)
    people = [person(rng) for _ in range(rng.randrange(2, 4))]
    low = rng.random() < 0.5
    rows = [{key: p.text.lower() if low else p.text, "n": i} for i, (p, _, _) in enumerate(people)]
    return Case(
        "key-vocab-names",
        [call(tool_result(structured={"rows": rows}))],
        [p for p, _, _ in people],
        label=key,
    )
