"""Cases for the class "a value split across a record's fields" (red team 4), and its ordinary twins:

- a person's name in parts: `{"first": "Maria", "last": "Gonzalez"}` in every record placement (a
  structured record, JSON in text, a list of records, nested, CSV/TSV columns, a query string or form
  body, an XML record), with the keys spelled in many ways and languages;
- a phone number in parts: `{"country_code": "+1", "area_code": "415", "number": "5550132"}`;
- an SSN in parts: `{"area": "123", "group": "45", "serial": "6789"}`;
- an email address in parts: `{"local": "maria.gonzalez", "domain": "example.com"}`;
- digits one per list item: `["1", "2", "3", "-", "4", "5", …]` (an SSN, phone, card, IBAN, customer ID).

The judge (`readable`) reads every record's values joined too, as a client reading the record does.
"""

from __future__ import annotations

import contextlib
import json
import re
from random import Random
from typing import Any
from urllib.parse import quote

from tests.classes import readings_records
from tests.classes.case import Case, Survivor, call, nest, tool_result
from tests.classes.judge import leaves
from tests.classes.label_cases import readable as readable_lists
from tests.classes.label_cases import us_phone
from tests.classes.planting import (
    Planted,
    _d,
    card,
    customer_id,
    digits_needle,
    email,
    iban,
    person,
    ssn_digits,
)
from tests.classes.split_parts_cases import split_parts, split_parts_text

# (given key, family key): one naming style per pair.
NAME_KEYS = [
    ("first", "last"),
    ("firstName", "lastName"),
    ("first_name", "last_name"),
    ("FirstName", "LastName"),
    ("FIRST_NAME", "LAST_NAME"),
    ("given_name", "family_name"),
    ("givenName", "familyName"),
    ("given", "family"),
    ("forename", "surname"),
    ("fname", "lname"),
    ("first-name", "last-name"),
    ("contactFirstName", "contactLastName"),
    ("customer_first_name", "customer_last_name"),
    ("vorname", "nachname"),
    ("nombre", "apellido"),
    ("nome", "cognome"),
    ("prenom", "nom"),
    ("voornaam", "achternaam"),
]
# Family names that are dictionary words and no frequent census surname: only the given name beside them
# says they are names.
WORD_SURNAMES = ("Brook", "Heart", "Salt", "Sugar", "Honey", "Lace", "Velvet", "Shadow", "Thunder",
                 "Feather", "Mustard", "Ribbon", "Pillow", "Kettle", "Lantern", "Meadow", "Orchard", "Saddle",
                 "Candle")  # fmt: skip
NAME_PLACEMENTS = ("structured", "json-text", "rows", "nested", "csv", "tsv", "query", "form", "xml", "alone")


def _filler(rng: Random) -> dict[str, Any]:
    return {"id": rng.randrange(10**5), "city": rng.choice(["Madrid", "Kyiv", "Lyon", "Austin"])}


def name_parts_word_surname(rng: Random) -> Case:
    """A family name that is also a word (`Honey`, `Salt`) beside a given name: only the record says so."""
    return name_parts(rng, word_surname=True)


def name_parts(rng: Random, word_surname: bool = False) -> Case:
    gk, fk = rng.choice(NAME_KEYS)
    people = [person(rng) for _ in range(rng.randrange(1, 4))]
    if word_surname or rng.random() < 0.2:  # a family name that is also a word beside a given name
        people = [(p, first, rng.choice(WORD_SURNAMES)) for p, first, _ in people]
        people = [
            (Planted("person", last, rf"(?<!\w){last.casefold()}(?!\w)"), f, last) for _, f, last in people
        ]
    planted = [Planted("person", last, p.needle) for p, _, last in people]
    where = rng.choice(NAME_PLACEMENTS[:-1] if word_surname else NAME_PLACEMENTS)
    records = [{**_filler(rng), gk: first, fk: last} for _, first, last in people]
    if where == "alone":  # the family name with no given name beside it, under a key that says so alone
        people = [(p, first, last) for p, first, last in people if last not in WORD_SURNAMES] or [person(rng)]
        if fk in ("last", "family", "nom"):
            fk = rng.choice(["surname", "lastName", "family_name", "Nachname", "apellidos"])
        records = [{**_filler(rng), fk: last} for _, _, last in people]
    if where in ("csv", "tsv"):
        sep = "," if where == "csv" else "\t"
        lines = [sep.join(["id", gk, fk, "city"])]
        lines += [sep.join([str(r["id"]), r[gk], r[fk], r["city"]]) for r in records]
        payload = tool_result("\n".join(lines) + "\n")
    elif where in ("query", "form"):
        r = records[0]
        planted = planted[:1]
        body = f"{quote(gk)}={quote(r[gk])}&{quote(fk)}={quote(r[fk])}&city={r['city']}"
        text = f"https://crm.example/find?{body}" if where == "query" else body
        payload = tool_result(text)
    elif where == "xml":
        inner = "".join(f"<person><{gk}>{r[gk]}</{gk}><{fk}>{r[fk]}</{fk}></person>" for r in records)
        payload = tool_result(f"<people>{inner}</people>")
    else:
        doc: Any = {"rows": records} if where in ("structured", "json-text", "rows") else records[0]
        if doc is records[0]:
            planted = planted[:1]
        if where == "rows":
            doc = {"rows": records + [{**_filler(rng), gk: "", fk: ""} for _ in range(rng.randrange(0, 40))]}
        if where == "nested":
            doc = nest(rng, doc, rng.randrange(1, 4))
        payload = tool_result(structured=doc) if where != "json-text" else tool_result(json.dumps(doc))
    return Case("record-parts", [call(payload)], planted, label=f"name:{where}:{fk}")


# Ordinary values under the same keys: a range's ends, dates, flags, enums, a font family.
ORDINARY_PARTS: list[dict[str, Any]] = [
    {"first": "2024-01-01", "last": "2024-12-31"},
    {"first": 1, "last": 240},
    {"first": True, "last": False},
    {"last": "never"},
    {"last": "Never"},
    {"last": "Monday"},
    {"first": "/items?page=1", "last": "/items?page=9"},
    {"family": "monospace"},
    {"lastLogin": "2026-12-06T10:00:00Z", "lastName": ""},
    {"first": "A", "last": "Z"},
    {"area": "North", "number": "12"},
    {"area_code": "N/A", "number": "unknown"},
    {"group": "admins", "serial": "SN-88213", "area": "EU"},
    {"domain": "example.com", "user": "admin team"},
    {"country_code": "DE", "number": "42"},
]


def name_parts_ordinary(rng: Random) -> Case:
    record = dict(rng.choice(ORDINARY_PARTS))
    record["id"] = rng.randrange(10**5)
    survivors = [Survivor(str(v), label=k) for k, v in record.items() if type(v) is str and v]
    payload = tool_result(structured={"rows": [record]})
    return Case("record-parts-ordinary", [call(payload)], [], survivors, label=",".join(record))


# ------------------------------------------------------------------------------------ digits in parts
PHONE_KEYS = [
    ("country_code", "area_code", "number"),
    ("countryCode", "areaCode", "number"),
    ("country_calling_code", "area_code", "local_number"),
    ("dialCode", "areaCode", "subscriberNumber"),
    (None, "area_code", "number"),
    (None, "areaCode", "localNumber"),
    ("countryCode", None, "nationalNumber"),
]


def phone_parts(rng: Random) -> Case:
    cck, ak, nk = rng.choice(PHONE_KEYS)
    d = us_phone(rng)
    record: dict[str, Any] = _filler(rng)
    if cck:
        record[cck] = rng.choice(["+1", "1", "001", 1])
    as_int = rng.random() < 0.3
    if ak:
        record[ak] = int(d[:3]) if as_int else d[:3]
        record[nk] = int(d[3:]) if as_int else rng.choice([d[3:], f"{d[3:6]}-{d[6:]}"])
    else:
        record[nk] = d
    if ak and rng.random() < 0.3 and not as_int:  # North American parts: exchange and line
        del record[nk]
        record["exchange"], record["line"] = d[3:6], d[6:]
    planted = Planted("phone", d, digits_needle(d[3:] if ak else d))
    return _record_case(rng, record, planted, "phone")


def ssn_parts(rng: Random) -> Case:
    d = ssn_digits(rng)
    keys = rng.choice([("area", "group", "serial"), ("ssnArea", "ssnGroup", "ssnSerial"),
                       ("area_number", "group_number", "serial_number")])  # fmt: skip
    parts = (d[:3], d[3:5], d[5:])
    as_int = rng.random() < 0.3 and not any(p.startswith("0") for p in parts)  # a number keeps no zeros
    record = {**_filler(rng), **{k: int(p) if as_int else p for k, p in zip(keys, parts, strict=True)}}
    return _record_case(rng, record, Planted("ssn", d, digits_needle(d)), "ssn")


def email_parts(rng: Random) -> Case:
    value = email(rng)
    local, domain = value.text.split("@")
    lk, dk = rng.choice([("local", "domain"), ("localPart", "domain"), ("local_part", "email_domain"),
                         ("mailbox", "domain"), ("username", "domain"), ("user", "domain")])  # fmt: skip
    record = {**_filler(rng), lk: local, dk: rng.choice([domain, "@" + domain])}
    planted = Planted("email", local, r"(?<![\w.+-])" + re.escape(local.casefold()) + r"(?![\w-])")
    if rng.random() < 0.3:  # the same split in prose
        word = rng.choice(["user", "User", "login:", "username", "Mailbox"])
        text = rng.choice([f"{word} {local} on domain {domain}", f"{word} {local}, domain: {domain}"])
        return Case(
            "record-parts", [call(tool_result(f"Account moved. {text}."))], [planted], label="email:text"
        )
    return _record_case(rng, record, planted, "email")


def _record_case(rng: Random, record: dict[str, Any], planted: Planted, kind: str) -> Case:
    where = rng.choice(["structured", "json-text", "rows", "nested", "under-key"])
    doc: Any = record
    if where == "rows":
        doc = {"contacts": [record] + [_filler(rng) for _ in range(rng.randrange(1, 40))]}
    elif where == "nested":
        doc = nest(rng, record, rng.randrange(1, 4))
    elif where == "under-key":
        doc = {rng.choice(["phone", "contact", "ssn", "email", "value"]): record}
    payload = tool_result(structured=doc) if where != "json-text" else tool_result(json.dumps(doc))
    return Case("record-parts", [call(payload)], [planted], label=f"{kind}:{where}")


# --------------------------------------------------------------------------- digits one per list item
def digit_list(rng: Random) -> Case:
    kind = rng.choice(["ssn", "phone", "card", "iban", "customer-id"])
    if kind == "ssn":
        d = ssn_digits(rng)
        value = Planted("ssn", f"{d[:3]}-{d[3:5]}-{d[5:]}", digits_needle(d))
    elif kind == "phone":
        d = us_phone(rng)
        text = rng.choice([f"{d[:3]}-{d[3:6]}-{d[6:]}", f"({d[:3]}) {d[3:6]}-{d[6:]}", f"+1{d}", f"+1 {d}"])
        value = Planted("phone", text, digits_needle(d))
    elif kind == "card":
        value = card(rng)
    elif kind == "iban":
        value = iban(rng)
    else:
        value = customer_id(rng)
        if "/" in value.text:
            d = value.text.split("/")[1]
            value = Planted("customer-id", f"{d[:3]}-{d[3:6]}-{d[6:]}", value.needle)
    record = {rng.choice(["w", "v", "digits", "chars", "items"]): list(value.text), "n": rng.randrange(100)}
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    return Case("record-parts", [call(payload)], [value], label=f"digit-list:{kind}")


# Lists of single characters that spell no value: a date, a version, a short count, grades.
ORDINARY_CHARS = ["2026-12-06", "1234567", "1.2.3.4.5", "12:30:45", "A-B-C-D", "3-1-4-1-5", "0000000000"]


def digit_list_ordinary(rng: Random) -> Case:
    record = {rng.choice(["w", "v", "digits"]): list(rng.choice(ORDINARY_CHARS)), "n": _d(rng, 2)}
    return Case("record-parts-ordinary", [call(tool_result(structured=record))], [], label="digit-list")


BUILDERS = (name_parts, phone_parts, ssn_parts, email_parts, digit_list, split_parts, split_parts_text)


def record_parts(rng: Random) -> Case:
    """One case of the whole class (the `make eval` catalog's entry)."""
    return rng.choice(BUILDERS)(rng)


# ------------------------------------------------------------------------------------------- judging
def _records(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        scalars = [str(v) for v in node.values() if isinstance(v, str | int) and not isinstance(v, bool)]
        out.append("".join(scalars))
        out.append(" ".join(scalars))
        out.append("@".join(scalars))
        for v in node.values():
            _records(v, out)
    elif isinstance(node, list):
        for v in node:
            _records(v, out)
    elif isinstance(node, str) and node[:1] in "{[":
        with contextlib.suppress(ValueError):
            _records(json.loads(node), out)


def views_of(received: list[Any]) -> list[str]:
    return [s for message in received if message is not None for s in leaves(message)]


def readable(planted: list[Planted], received: list[Any]) -> list[Planted]:
    """What a reader recovers: any string's views, list items joined (`label_cases.readable`), and each
    record's values joined, in JSON and in XML, YAML and CSV text (`readings_records`)."""
    found = readable_lists(planted, received)
    views: list[str] = []
    for message in received:
        if message is not None:
            _records(message, views)
    views += [r for s in views_of(received) for r in readings_records.readings(s)]
    found += [p for p in planted if p not in found and any(p.found_in(v.casefold()) for v in views)]
    return found
