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
from tests.classes.org_cases import company
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


# Customer numbers and company names under keys of CRM and ERP exports in other languages (red team round
# nine, class 20), the words written out here, not taken from the product's tables.
CUSTOMER_NUMBER_WORDS = {
    "de": [["kunden", "nummer"], ["kunden", "nr"], ["kunden", "id"], ["kd", "nr"]],
    "es": [["numero", "cliente"], ["número", "cliente"], ["id", "cliente"], ["codigo", "cliente"]],
    "fr": [
        ["numero", "client"],
        ["numéro", "client"],
        ["num", "client"],
        ["id", "client"],
        ["code", "client"],
    ],
    "it": [["numero", "cliente"], ["codice", "cliente"], ["id", "cliente"]],
    "nl": [["klant", "nummer"], ["klant", "nr"]],
    "en": [["customer", "number"], ["client", "number"], ["customer", "no"]],
}
COMPANY_WORDS = {
    "de": [["firmen", "name"], ["firma"], ["unternehmen"], ["unternehmens", "name"]],
    "es": [["nombre", "empresa"], ["empresa"], ["razon", "social"], ["razón", "social"]],
    "fr": [["nom", "entreprise"], ["raison", "sociale"], ["entreprise"], ["societe"], ["société"]],
    "it": [["ragione", "sociale"], ["nome", "azienda"], ["azienda"], ["società"]],
    "nl": [["bedrijfs", "naam"], ["bedrijf"]],
}


def spelled_key(rng: Random, words: list[str]) -> str:
    """The key's words joined as a backend names a field: `kundennummer`, `numero_cliente`,
    `numeroClient`, `Raison-Sociale`, `KUNDEN_NR`."""
    style = rng.choice(["joined", "snake", "camel", "kebab", "title", "upper"])
    if style == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == "title":
        return "".join(w.capitalize() for w in words)
    joined = {"joined": "", "snake": "_", "kebab": "-", "upper": "_"}[style].join(words)
    return joined.upper() if style == "upper" else joined


def customer_and_company(rng: Random) -> Case:
    """`{"record": {"id": 7, "kundennummer": 5931053}}`, `{"raison_sociale": "Harbor Point Roofing"}`:
    a customer number (7 to 10 digits, a number or a string) or a company's name, in structuredContent or a
    JSON text, at the top or one level down."""
    if rng.random() < 0.5:
        lang = rng.choice(sorted(CUSTOMER_NUMBER_WORDS))
        key = spelled_key(rng, rng.choice(CUSTOMER_NUMBER_WORDS[lang]))
        n = rng.randrange(7, 11)
        d = str(rng.randrange(10 ** (n - 1), 10**n))
        value: Any = int(d) if rng.random() < 0.5 else d
        planted = Planted("customer-number", d, digits_needle(d))
    else:
        lang = rng.choice(sorted(COMPANY_WORDS))
        key = spelled_key(rng, rng.choice(COMPANY_WORDS[lang]))
        planted = company(rng)
        value = planted.text
    record = {"id": rng.randrange(1, 10**4), key: value, "status": "active"}
    doc: dict[str, Any] = {"record": record} if rng.random() < 0.5 else record
    payload = tool_result(structured=doc) if rng.random() < 0.5 else tool_result(json.dumps(doc))
    return Case("key-vocab", [call(payload)], [planted], label=f"{lang}:{planted.kind}")
