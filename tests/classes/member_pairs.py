"""A label and its value written as two member pairs of one object, in any spelling of the members' names
(red team round nine; `proxy/scan/member_roles.py`), and numbers under a customer- or account-number key
of any length that key names (`{"account_number": 123456}`).

- `member_pairs`: one object holding a member whose value is a label (`ssn`, `Phone number`,
  `kundennummer`, `contact_name`, `account_name`) and one whose value is what it names: bare digits (an
  SSN, a phone with no formatting, a customer number of 6 to 12 digits), a person's name in lower case, an
  account's name. The members are named by role words in any case and spelling (`k`/`v`, `Name`/`Value`,
  `propertyID`/`newValue`, `attr_name`/`attrValue`, `fieldName`/`fieldValue`, `key`/`stringValue`,
  `label`/`answer`, `header`/`cell`, `id`/`content`), the value a string, a JSON number, or wrapped in a
  one-member object (OpenTelemetry's `{"stringValue": …}`, DynamoDB's `{"S": …}`); other members around
  it (`@type`, a second label-like member first), the object placed anywhere (`structuredContent`, a JSON
  text block, nested, in a list of attribute records, in one long enough to be walked column by column,
  a log notification, a resource, a Python `repr` in a text).
- `key_numbers`: a customer or account number as a string or a JSON number of 6 to 12 digits under its
  key (English and other languages' vocabulary), in the same placements.
- `member_lookalikes`: the same member spellings holding what is no personal data (metrics, feature
  flags, product attributes, versions, OpenTelemetry attributes of a service) and counts under account
  words (`account_count`): every value must reach the client unchanged.
"""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.case import Case, Message, Survivor, call, nest, tool_result
from tests.classes.org_cases import company, spell
from tests.classes.planting import Planted, digits_needle, person, ssn_digits

# Member names of the label's role and of the value's role, as words (spelled in a case style per case).
LABEL_MEMBERS = (
    "name", "key", "k", "field", "label", "attribute", "attr", "property", "prop", "param", "parameter",
    "header", "id", "question", "title", "type", "kind", "column", "caption",
    "field name", "attr name", "attribute name", "property name", "property ID", "param name", "key name",
    "field key", "field label", "field id", "setting name", "trait name", "option name", "column name",
    "header name", "custom field", "attribute key", "property key",
)  # fmt: skip
VALUE_MEMBERS = (
    "value", "val", "v", "text", "data", "content", "answer", "cell", "string",
    "new value", "old value", "previous value", "current value", "string value", "display value",
    "field value", "attr value", "attribute value", "property value", "param value", "raw value",
    "formatted value", "original value", "updated value", "answer text", "cell value", "option value",
    "setting value", "input value",
)  # fmt: skip

# Labels naming each kind of value, as words (spelled per case, or written as a form's title).
LABELS = {
    "ssn": ("ssn", "social security number", "tax id", "steuer id", "sozialversicherungsnummer", "dni"),
    "phone": ("phone", "phone number", "mobile", "cell phone", "telefon", "telefono", "handynummer"),
    "customer-number": (
        "customer number", "account number", "acct no", "client number", "kundennummer", "numero cliente",
        "klantnummer", "account id", "customer no",
    ),
    "person": ("contact name", "full name", "owner name", "customer name", "nombre completo", "vorname"),
    "account": ("account name", "client name", "descriptive name", "company name", "firmenname"),
}  # fmt: skip
DIGIT_KINDS = ("ssn", "phone", "customer-number")


def _spelled(rng: Random, words: str) -> str:
    parts = words.split()
    if parts == ["property", "ID"]:
        return rng.choice(("propertyID", "propertyId", "property_id"))
    return spell([p.lower() for p in parts], rng)


def _label_text(rng: Random, words: str) -> str:
    if rng.random() < 0.3:
        return words.title() if len(words) > 4 else words.upper()  # a form's title: `Phone Number`, `SSN`
    return spell(words.split(), rng)


def _digits(rng: Random, n: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def _value(rng: Random, kind: str) -> tuple[Planted, str]:
    """The planted value (its text as a string) and the text written."""
    if kind == "ssn":
        d = ssn_digits(rng)
    elif kind == "phone":
        d = rng.choice((_digits(rng, 10), "1" + _digits(rng, 10), _digits(rng, 7)))
    elif kind == "customer-number":
        d = _digits(rng, rng.randint(6, 12))
    elif kind == "person":
        p = person(rng)[0]
        return Planted("person", p.text.lower(), p.needle), p.text.lower()
    else:
        p = company(rng)
        return p, p.text
    return Planted(kind, d, digits_needle(d)), d


def _written(rng: Random, kind: str, text: str) -> tuple[str, Any, str]:
    """(how, the member's value, the digits a reader sees): a string, a JSON number, a one-member wrapper."""
    how = rng.choice(("string", "number", "wrapped") if kind in DIGIT_KINDS else ("string", "wrapped"))
    if how == "number":
        return how, int(text), str(int(text))
    if how == "wrapped":
        digits = kind in DIGIT_KINDS
        child = rng.choice(("stringValue", "S", "intValue", "N") if digits else ("stringValue", "S"))
        return how, {child: text}, text
    return how, text, text


_DISTRACTIONS = (("@type", "PropertyValue"), ("type", "string"), ("id", 17), ("source", "crm"))


def _record(rng: Random) -> tuple[dict[str, Any], Planted, str, tuple[str, str]]:
    kind = rng.choice(sorted(LABELS))
    planted, text = _value(rng, kind)
    how, value, seen = _written(rng, kind, text)
    if seen != planted.text:
        planted = Planted(planted.kind, seen, digits_needle(seen))
    lm, vm = rng.choice(LABEL_MEMBERS), rng.choice(VALUE_MEMBERS)
    lk, vk = _spelled(rng, lm), _spelled(rng, vm)
    rec: dict[str, Any] = {}
    for dk, dv in rng.sample(_DISTRACTIONS, rng.randrange(3)):
        if dk.strip("@") not in (lk.casefold(), vk.casefold()):
            rec[dk] = dv  # before the label: the first label-like member is not always the label
    rec[lk] = _label_text(rng, rng.choice(LABELS[kind]))
    rec[vk] = value
    if rng.random() < 0.3:
        rec["updatedAt"] = "2026-11-30T10:00:00Z"
    return rec, planted, f"{kind}:{how}", (lk, vk)


_BENIGN = (("status", "active"), ("plan", "pro"), ("locale", "en-US"), ("verified", "true"), ("tier", "gold"))


def _pairs(rng: Random, members: tuple[str, str], n: int) -> list[dict[str, Any]]:
    lk, vk = members
    return [{lk: label, vk: value} for label, value in (rng.choice(_BENIGN) for _ in range(n))]


PLACES = ("structured", "json-text", "nested", "attribute-list", "long-list", "log", "resource", "repr")


def placed(
    rng: Random, rec: dict[str, Any], members: tuple[str, str], places: tuple[str, ...] = PLACES
) -> tuple[str, Message]:
    """The object in one placement a client reads."""
    where = rng.choice(places)
    if where == "repr":  # a record another language printed: read by the key rules for text (`keyed_text`)
        return where, call(tool_result(text=f"updated: {rec!r} (2 fields)"))
    if where == "structured":
        return where, call(tool_result(structured={"results": [rec], "ok": True}))
    if where == "json-text":
        return where, call(tool_result(text=json.dumps({"attributes": [*_pairs(rng, members, 1), rec]})))
    if where == "nested":
        return where, call(tool_result(structured={"data": nest(rng, rec, rng.randint(2, 4))}))
    if where in ("attribute-list", "long-list"):
        items = _pairs(rng, members, rng.randint(1, 4) if where == "attribute-list" else rng.randint(32, 40))
        items.insert(rng.randrange(len(items) + 1), rec)
        doc = {"User": {"Username": "u-4821", "Attributes": items}}
        return where, call(tool_result(structured=doc))
    if where == "log":
        params = {"level": "info", "logger": "crm", "data": {"event": "update", "change": rec}}
        return where, Message("notification", "notifications/message", params, None)
    contents = [{"uri": "mem://record", "mimeType": "application/json", "text": json.dumps(rec)}]
    return where, Message("response", "resources/read", {"contents": contents})


def member_pairs(rng: Random) -> Case:
    rec, planted, what, members = _record(rng)
    where, message = placed(rng, rec, members)
    return Case("member-pairs", [message], [planted], label=f"{what}:{where}:{members[0]}/{members[1]}")


# ------------------------------------------------------------------------------------- key numbers
NUMBER_KEYS = (
    "account number", "account no", "acct num", "account id", "customer number", "client number",
    "customer no", "kundennummer", "kunden nr", "numero cliente", "klantnummer", "id client",
    "codice cliente", "acct",
)  # fmt: skip


def key_numbers(rng: Random) -> Case:
    """Six digits a third of the time: the shortest number its key names, below the scanned length."""
    digits = _digits(rng, rng.choice((6, 6, 6, 7, 8, 9, 10, 11, 12)))
    how = rng.choice(("string", "number"))
    rec: dict[str, Any] = {
        "status": "ENABLED",
        spell(rng.choice(NUMBER_KEYS).split(), rng): (int(digits) if how == "number" else digits),
    }
    where, message = placed(rng, rec, ("name", "value"))
    planted = Planted("customer-number", digits, digits_needle(digits))
    return Case("key-numbers", [message], [planted], label=f"{how}:{len(digits)}:{where}")


# ------------------------------------------------------------------------------------- look-alikes
_LOOKALIKES: tuple[tuple[str, Any], ...] = (
    ("clicks", 123456789), ("impressions", "4821937"), ("cost_micros", 1500000), ("conversions", 482913),
    ("phone_calls", 1234567), ("account_count", 123456), ("sessions", 7340211),
    ("dark_mode", "on"), ("max_retries", 3), ("timeout_ms", 30000), ("region", "us-east-1"),
    ("plan", "enterprise"), ("Color", "Blue"), ("Phone", "Pixel 8"), ("Model", "X200"),
    ("Brand", "Google"), ("Account", "Mastercard"), ("Card type", "Visa"), ("SSN", "not provided"),
    ("customer_since", "2019-05-01"), ("Phone model", "iPhone 15"), ("build", "2024.11.3"),
    ("version", "v2.3.1"), ("campaign", 1234),
    ("http.status_code", {"intValue": "200"}), ("service.name", {"stringValue": "checkout"}),
    ("net.peer.port", {"intValue": 5432}), ("http.route", "/api/v1/users"), ("Contact", "Email preferred"),
    ("Customer ID", "pending"), ("Account name", "Default"), ("Owner", "growth"),
)  # fmt: skip
_KEY_LOOKALIKES: tuple[tuple[str, Any], ...] = (
    ("account_count", 123456), ("accounts_total", 654321), ("account_balance", 482913),
    ("customer_rank", 123456), ("clicks", 482913), ("port", 123456),
)  # fmt: skip


def _shown(v: Any) -> list[str]:
    """The texts to find unchanged: a short one (`on`, `3`) would be found in any other string too."""
    texts = [str(x) for x in v.values()] if type(v) is dict else [str(v)]
    return [t for t in texts if len(t) >= 4]


def member_lookalikes(rng: Random) -> Case:
    if rng.random() < 0.2:
        key, value = rng.choice(_KEY_LOOKALIKES)
        rec: dict[str, Any] = {spell(key.split("_"), rng): value, "status": "ENABLED"}
        label = f"key:{key}"
        survivors = [Survivor(t, label=key) for t in _shown(value)]
    else:
        label_text, value = rng.choice(_LOOKALIKES)
        members = (_spelled(rng, rng.choice(LABEL_MEMBERS)), _spelled(rng, rng.choice(VALUE_MEMBERS)))
        rec = {members[0]: label_text, members[1]: value}
        label = f"pair:{label_text}:{members[0]}/{members[1]}"
        survivors = [Survivor(t, label=label_text) for t in (label_text, *_shown(value))]
    # Not in a text's `repr`: the NER reads a quoted word there as a name (`'Mastercard'`), whatever
    # member holds it (`test_over_redaction`'s business, not this class's).
    where, message = placed(rng, rec, ("name", "value"), PLACES[:-1])
    return Case("member-lookalikes", [message], [], survivors, label=f"{label}:{where}")
