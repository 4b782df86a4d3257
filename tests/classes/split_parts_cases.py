"""Cases for "a value split across a record's fields" where the parts' keys say nothing and the container's
key names the value (red team 5, issue 15), part of the class `record-parts` (`record_parts_cases`):

- in JSON (structured, JSON in text, a list of records, nested, under a record's label: `{"name": "SSN",
  "value": {…}}`): `{"ssn": {"first3": "123", "middle2": "45",
  "last4": "6789"}}`, `{"tel": {"npa": 415, "nxx": 555, "line": 123}}`, `{"card": {"bin": …, "middle": …,
  "last4": …}}`, `{"iban": {"country": "DE", "check": "89", "bban": …}}`, the children keyed `a/b/c`,
  `p1/p2/p3`, `part1…`, `0/1/2` or a list, their values strings or numbers;
- the same records written in a text block: a CSV row under headers that name the value (`ssn_area,
  ssn_group,ssn_serial`) or its parts (`npa,nxx,line`), an XML element, a YAML mapping or list.

Look-alikes (`split_parts_ordinary`): dates in y/m/d, versions major/minor/patch, page ranges, amounts,
coordinates, a card's expiry beside its last four, parts whose joined digits fail the value's own check.
"""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.case import Case, call, nest, tool_result
from tests.classes.label_cases import us_phone
from tests.classes.planting import Planted, _alnum_needle, card_digits, digits_needle, iban, ssn_digits

PARENT_KEYS = {
    "ssn": ["ssn", "SSN", "social_security_number", "ssnParts", "customer_ssn", "taxpayer_id"],
    "phone": ["tel", "telephone", "mobile", "cell", "fax", "phone", "phoneNumber", "contact_phone"],
    "card": ["card", "card_number", "creditCard", "pan", "payment_card"],
    "iban": ["iban", "IBAN", "ibanParts", "payout_iban"],
}
NAMED_CHILDREN = {
    "ssn": [["first3", "middle2", "last4"], ["area", "grp", "tail"], ["head", "mid", "end"]],
    "phone": [["npa", "nxx", "line"], ["area", "prefix", "line"], ["ac", "exch", "sub"]],
    "card": [["bin", "middle", "last4"], ["head", "mid", "tail"]],
    "iban": [["country", "check", "bban"], ["cc", "check_digits", "account"]],
}
HEADERS = {  # CSV headers: the value's word in each column, or each part's own name
    "ssn": [["ssn_area", "ssn_group", "ssn_serial"], ["ssn1", "ssn2", "ssn3"], ["area", "group", "serial"]],
    "phone": [
        ["npa", "nxx", "line"],
        ["phone_area", "phone_exchange", "phone_line"],
        ["area_code", "exchange", "line"],
    ],
    "card": [["card_bin", "card_middle", "card_last4"], ["pan_1", "pan_2", "pan_3"]],
    "iban": [["iban_country", "iban_check", "iban_bban"]],
}


def _value(rng: Random, kind: str) -> tuple[list[str], Planted]:
    """The parts of one value, and the value as planted."""
    if kind == "ssn":
        d = ssn_digits(rng)
        return [d[:3], d[3:5], d[5:]], Planted("ssn", d, digits_needle(d))
    if kind == "phone":
        d = us_phone(rng)
        return [d[:3], d[3:6], d[6:]], Planted("phone", d, digits_needle(d))
    if kind == "card":
        d = card_digits(rng)
        cut = rng.choice([(6, len(d) - 4), (4, 10) if len(d) == 15 else (8, 12)])
        return [d[: cut[0]], d[cut[0] : cut[1]], d[cut[1] :]], Planted("card", d, digits_needle(d))
    value = iban(rng, reliable=rng.random() < 0.5).text.replace(" ", "")
    return [value[:2], value[2:4], value[4:]], Planted("iban", value, _alnum_needle(value))


def _numbers(parts: list[str], rng: Random) -> list[Any]:
    """The parts as JSON numbers where a number keeps them (no leading zero, digits only), sometimes."""
    if rng.random() < 0.35:
        return [int(p) if p.isdigit() and not p.startswith("0") and len(p) <= 15 else p for p in parts]
    return list(parts)


def _children(rng: Random, kind: str, values: list[Any]) -> dict[str, Any] | list[Any]:
    style = rng.choice(["named", "letters", "p", "part", "index", "list"])
    if style == "list":
        return values
    keys = {
        "named": rng.choice(NAMED_CHILDREN[kind]),
        "letters": ["a", "b", "c"],
        "p": ["p1", "p2", "p3"],
        "part": ["part1", "part2", "part3"],
        "index": ["0", "1", "2"],
    }[style]
    return dict(zip(keys, values, strict=True))


def split_parts(rng: Random) -> Case:
    """A value in parts under the key that names it, in JSON (module doc)."""
    kind = rng.choice(sorted(PARENT_KEYS))
    parts, planted = _value(rng, kind)
    parent = rng.choice(PARENT_KEYS[kind])
    record: dict[str, Any] = {"id": rng.randrange(10**5), parent: _children(rng, kind, _numbers(parts, rng))}
    if rng.random() < 0.2:  # the record's name says what its value holds
        label = rng.choice(["type", "label", "field", "kind"])
        record = {"id": record["id"], label: parent, rng.choice(["value", "data"]): record[parent]}
    where = rng.choice(["structured", "json-text", "rows", "nested"])
    doc: Any = record
    if where == "rows":
        doc = {"customers": [record] + [{"id": rng.randrange(10**5), "city": "Lyon"} for _ in range(3)]}
    elif where == "nested":
        doc = nest(rng, record, rng.randrange(1, 4))
    payload = tool_result(structured=doc) if where != "json-text" else tool_result(json.dumps(doc))
    return Case("record-parts", [call(payload)], [planted], label=f"split:{kind}:{where}")


def split_parts_text(rng: Random) -> Case:
    """The same split records written as CSV, XML or YAML in a text block."""
    kind = rng.choice(sorted(PARENT_KEYS))
    values = [_value(rng, kind) for _ in range(rng.randrange(1, 3))]
    planted = [p for _, p in values]
    where = rng.choice(["csv", "tsv", "xml", "yaml", "yaml-list"])
    if where in ("csv", "tsv"):
        sep = "," if where == "csv" else "\t"
        header = rng.choice(HEADERS[kind])
        lines = [sep.join(["id", *header, "city"])]
        lines += [sep.join([str(rng.randrange(10**4)), *parts, "Lyon"]) for parts, _ in values]
        text = "\n".join(lines) + "\n"
    elif where == "xml":
        parent = rng.choice(PARENT_KEYS[kind])
        names = rng.choice([*NAMED_CHILDREN[kind], ["a", "b", "c"], ["part1", "part2", "part3"]])
        inner = "".join(
            f"<record><id>{i}</id><{parent}>"
            + "".join(f"<{n}>{p}</{n}>" for n, p in zip(names, parts, strict=True))
            + f"</{parent}></record>"
            for i, (parts, _) in enumerate(values)
        )
        text = f"<records>{inner}</records>"
    else:
        parent = rng.choice(PARENT_KEYS[kind])
        names = rng.choice([*NAMED_CHILDREN[kind], ["a", "b", "c"], ["p1", "p2", "p3"]])
        blocks = []
        for i, (parts, _) in enumerate(values):
            bare = [p.isdigit() and not p.startswith("0") and rng.random() < 0.5 for p in parts]
            quoted = [p if b else f"'{p}'" for p, b in zip(parts, bare, strict=True)]
            if where == "yaml":
                body = "".join(f"    {n}: {q}\n" for n, q in zip(names, quoted, strict=True))
            else:
                body = "".join(f"    - {q}\n" for q in quoted)
            blocks.append(f"- id: {i}\n  {parent}:\n{body}")
        text = "".join(blocks)
        if rng.random() < 0.5:  # the list under a key of its own
            text = "records:\n" + "".join(f"  {line}\n" for line in text.splitlines())
    return Case("record-parts", [call(tool_result(text))], planted, label=f"split-text:{kind}:{where}")


# Records whose parts join into no value: dates, versions, ranges, amounts, coordinates, a card's expiry,
# digits that fail the named value's own check. Nothing in them may be tokenized.
ORDINARY: list[Any] = [
    {"date": {"y": 2024, "m": 5, "d": 1}},
    {"date": {"year": "2026", "month": "12", "day": "06"}},
    {"version": {"major": 1, "minor": 12, "patch": 3}},
    {"pages": {"from": 12, "to": 48}},
    {"page_range": [112, 148]},
    {"amount": {"units": 125, "cents": 50}},
    {"location": {"lat": 40, "lng": 3}},
    {"card": {"brand": "visa", "last4": "4242"}},
    {"card": {"exp_month": 12, "exp_year": 2027, "last4": "4242"}},
    {"card": {"id": 4111111, "network": "visa", "last4": "1111"}},
    {"ssn": {"verified": True, "last4": "6789"}},
    {"ssn": {"last4": "6789", "updated": "2024-01-01"}},
    {"ssn": {"a": "000", "b": "12", "c": "3456"}},
    {"ssn": {"a": "912", "b": "34", "c": "5678"}},
    {"ssn": {"a": 123, "b": 0, "c": 6789}},
    {"tel": {"a": 123, "b": 456, "c": 7890}},
    {"tel": {"ext": "123", "count": 2}},
    {"tel": {"a": "123", "b": "555", "c": "0123"}},
    {"card": {"a": "4111", "b": "1111", "c": "1111", "d": "1112"}},
    {"iban": {"country": "DE", "check": "00", "bban": "370400440532013000"}},
    {"iban": {"country": "XX", "check": "89", "bban": "370400440532013000"}},
    {"iban": {"country": "DE", "bank": "Deutsche Bank"}},
]
ORDINARY_TEXT = [
    "major,minor,patch\n1,12,3\n",
    "year,month,day\n2026,12,06\n",
    "ssn_count,ssn_checked\n3,12\n",
    "card_exp_month,card_exp_year,card_last4\n12,2027,4242\n",
    "page_from,page_to\n112,148\n",
    "<version><major>1</major><minor>12</minor><patch>3</patch></version>",
    "<date><y>2026</y><m>12</m><d>06</d></date>",
    "<ssn><a>000</a><b>12</b><c>3456</c></ssn>",
    "version:\n  major: 1\n  minor: 12\n  patch: 3\n",
    "pages:\n  - 112\n  - 148\n",
    "card:\n  brand: visa\n  last4: '4242'\n",
    "tel:\n  a: 123\n  b: 456\n  c: 7890\n",
]


def split_parts_ordinary(rng: Random) -> Case:
    if rng.random() < 0.5:
        payload = tool_result(rng.choice(ORDINARY_TEXT))
        return Case("record-parts-ordinary", [call(payload)], [], label="split-text")
    doc = {"id": rng.randrange(10**5), **rng.choice(ORDINARY)}
    payload = tool_result(structured=doc) if rng.random() < 0.5 else tool_result(json.dumps(doc))
    return Case("record-parts-ordinary", [call(payload)], [], label=f"split:{','.join(doc)}")
