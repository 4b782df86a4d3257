"""Cases for three classes the red team of issue 15 found leaking through `veil run`:

- *labels as data*: a bare value whose key is written as data beside it: attribute/value records
  (`{"name": "SSN", "value": "123456789"}`), header columns (`{"columns": [...], "rows": [[...]]}`, CSV, TSV,
  Markdown tables), elements and assignments in text (`<ssn>…</ssn>`, `ssn=…`);
- *folded lines*: a value or a name cut by a vCard / iCalendar / mail-header fold (`jane@exa\\r\\n mple.com`);
- *values in pieces*: a value's digits as a list under its key (`{"ssn": ["7079", "53021"]}`,
  `{"card": [5, 5, 9, 4, …]}`).

The class judge (`judge.leaked`) reads each string alone; these values are readable only across a fold or
across list items, so `readable` adds those views: every string unfolded, and each list's items joined.
"""

from __future__ import annotations

import contextlib
import json
import re
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.judge import leaked, leaves
from tests.classes.planting import (
    Planted,
    _d,
    card,
    card_digits,
    digits_needle,
    email,
    iban,
    person,
    ssn_digits,
)

# Labels a reader takes for the value's key, per kind (written as a form, a header or a slug).
LABELS = {
    "ssn": ["SSN", "Social Security Number", "ssn", "social_security_number", "SSN#"],
    "phone": ["Phone", "Mobile", "tel", "Phone number", "cell"],
    "customer-id": ["Customer ID", "customerId", "Account ID"],
    "person": ["Full name", "Contact name", "Owner", "Customer name"],
}
BARE = tuple(LABELS)


def us_phone(rng: Random) -> str:
    return rng.choice(["415", "212", "312", "206", "617", "303"]) + f"{rng.randrange(200, 999)}{_d(rng, 4)}"


def bare_value(rng: Random, kind: str) -> Planted:
    """A value with nothing but its label to say what it is: digits alone, a name alone."""
    if kind == "ssn":
        d = ssn_digits(rng)
    elif kind == "phone":
        d = us_phone(rng)
    elif kind == "customer-id":
        d = f"{rng.randrange(1, 10)}{_d(rng, 9)}"
    else:
        return person(rng)[0]
    return Planted(kind, d, digits_needle(d))


def _slug(label: str) -> str:
    return re.sub(r"\W+", "_", label).strip("_").lower() or "v"


# ------------------------------------------------------------------------------------ labels as data
LABEL_KEYS = [
    ("name", "value"),
    ("key", "value"),
    ("field", "value"),
    ("label", "text"),
    ("attribute", "val"),
]
FORMATS = ("eav", "eav-text", "columns", "columns-text", "csv", "tsv", "markdown", "xml", "assign")


def labelled(rng: Random) -> Case:
    kind = rng.choice(BARE)
    value = bare_value(rng, kind)
    label = rng.choice(LABELS[kind])
    fmt = rng.choice(FORMATS)
    return Case(
        "labels", [call(_labelled_payload(rng, fmt, label, value.text))], [value], label=f"{fmt}:{kind}"
    )


def _labelled_payload(rng: Random, fmt: str, label: str, text: str) -> dict[str, Any]:
    ident = str(rng.randrange(100, 999))
    if fmt.startswith("eav"):
        lk, vk = rng.choice(LABEL_KEYS)
        doc: Any = {"fields": [{lk: "Status", vk: "active"}, {lk: label, vk: text}]}
        return tool_result(structured=doc) if fmt == "eav" else tool_result(json.dumps(doc))
    if fmt.startswith("columns"):
        doc = {rng.choice(["columns", "headers"]): ["id", label, "status"], "rows": [[ident, text, "active"]]}
        return tool_result(structured=doc) if fmt == "columns" else tool_result(json.dumps(doc))
    head, row = ["id", label, "status"], [ident, text, "active"]
    if fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        return tool_result(sep.join(head) + "\n" + sep.join(row) + "\n")
    if fmt == "markdown":
        return tool_result("| " + " | ".join(head) + " |\n|---|---|---|\n| " + " | ".join(row) + " |\n")
    slug = _slug(label)
    if fmt == "xml":
        return tool_result(f"<record><id>{ident}</id><{slug}>{text}</{slug}></record>")
    return tool_result(f'level=info id={ident} {slug}="{text}" took=12ms')


# Ordinary values under labels that name personal data: a product, a date, an amount, a version.
ORDINARY = (
    "Pixel 8",
    "12/06/2026",
    "2026-12-06",
    "1,234.56",
    "v2.3.1",
    "42",
    "Q4 2026",
    "SKU-88213",
    "mobile",
    "Search Console",
    "Acme Corp",
)
ORDINARY_LABELS = ("Phone", "Phone model", "SSN", "Customer ID", "Card type", "customer_since", "Contact")


def labelled_ordinary(rng: Random) -> Case:
    text = rng.choice(ORDINARY)
    fmt = rng.choice(FORMATS)
    payload = _labelled_payload(rng, fmt, rng.choice(ORDINARY_LABELS), text)
    return Case("labels-ordinary", [call(payload)], [], [Survivor(text, label="ordinary")], label=fmt)


# ------------------------------------------------------------------------------------- folded lines
def fold(rng: Random, text: str) -> str:
    """`text` cut once, the way vCard, iCalendar and mail headers fold: a break and one blank between two
    of its characters, or (a mail header between two words) a CRLF before the blank already there."""
    at = rng.randrange(1, len(text))
    if text[at] == " ":
        return text[:at] + "\r\n" + text[at:]
    if text[at - 1] == " ":
        return text[:at] + "\r\n\t" + text[at:]
    return text[:at] + rng.choice(["\r\n ", "\r\n\t", "\n "]) + text[at:]


def folded(rng: Random) -> Case:
    kind = rng.choice(["email", "phone", "card", "iban", "person"])
    if kind == "person":
        value = person(rng)[0]
        text = value.text
    elif kind == "email":
        value = email(rng)
        text = value.text
    elif kind == "phone":
        d = us_phone(rng)
        text = rng.choice([f"+1 {d[:3]} {d[3:6]} {d[6:]}", f"({d[:3]}) {d[3:6]}-{d[6:]}", f"+1{d}"])
        value = Planted("phone", text, digits_needle(d))
    else:
        value = card(rng) if kind == "card" else iban(rng)
        text = value.text
    cut = fold(rng, text)
    fmt = rng.choice(["vcard", "ical", "header"])
    if fmt == "vcard":
        named = rng.choice(["FN", "NICKNAME"])
        prop = {"email": "EMAIL;TYPE=work", "phone": "TEL;TYPE=cell", "person": named}.get(kind, "NOTE")
        body = f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Sales desk\r\n{prop}:{cut}\r\nEND:VCARD\r\n"
    elif fmt == "ical":
        if kind == "person":  # a parameter's value, between `=` and the next `:` or `;`
            role = rng.choice(["ORGANIZER", "ATTENDEE"])
            line = f"{role};CN={cut}{rng.choice([':', ';ROLE=REQ-PARTICIPANT:'])}mailto:desk@example.org"
        else:
            prop = {"email": "ATTENDEE;CN=Guest:mailto"}.get(kind, "DESCRIPTION:details")
            line = f"{prop}:{cut}"
        body = f"BEGIN:VEVENT\r\nSUMMARY:Sync\r\n{line}\r\nEND:VEVENT\r\n"
    else:
        sender = rng.choice(["From", "Reply-To", "Sender", "Cc"])
        prop = {"email": "Reply-To", "phone": "X-Phone", "person": sender}.get(kind, "X-Ref")
        body = f"Subject: hello\r\n{prop}: {cut}\r\nDate: Mon, 1 Jun 2026 10:00:00 +0000\r\n\r\nbody"
    return Case("folded", [call(tool_result(body))], [value], label=f"{fmt}:{kind}")


def folded_ordinary(rng: Random) -> Case:
    """Indented text that is no fold: JSON, YAML and wrapped prose keep their words and numbers."""
    words = rng.sample(["clicks", "42", "shoes", "v2.3.1", "2026-12-06", "0.35", "total", "1,234"], 4)
    text = rng.choice(
        [
            json.dumps({"a": words[0], "b": [words[1], words[2]], "c": words[3]}, indent=2),
            f"report:\n  {words[0]}: {words[1]}\n  {words[2]}: {words[3]}\n",
            f"{words[0]},\n {words[1]} and\n  {words[2]}\n {words[3]}",
            f"Totals:\r\n {words[0]}\r\n\t{words[1]} \r\n {words[2]}\r\n  {words[3]}",
        ]
    )
    return Case("folded-ordinary", [call(tool_result(text))], [], [Survivor(w, label="word") for w in words])


# ---------------------------------------------------------------------------------- values in pieces
PIECE_KEYS = {"card": ["card_number", "cardGroups", "pan", "card"], "ssn": ["ssn", "social_security_number"]}
PIECE_KEYS["phone"] = ["phone", "mobile", "tel"]


def in_pieces(rng: Random) -> Case:
    kind = rng.choice(sorted(PIECE_KEYS))
    d = card_digits(rng) if kind == "card" else ssn_digits(rng) if kind == "ssn" else us_phone(rng)
    value = Planted(kind, d, digits_needle(d))
    how = rng.choice(["digits", "groups", "halves"])
    if how == "digits":
        items: list[Any] = [int(c) for c in d]
    elif how == "groups":
        size = 4 if kind == "card" else 3
        items = [d[i : i + size] for i in range(0, len(d), size)]
    else:
        items = [d[: len(d) // 2], d[len(d) // 2 :]]
    record = {rng.choice(PIECE_KEYS[kind]): items, "id": rng.randrange(1000)}
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    return Case("pieces", [call(payload)], [value], label=f"{how}:{kind}")


def pieces_ordinary(rng: Random) -> Case:
    """Short numbers in lists under ordinary keys and under ID keys: counts, dates, two short IDs."""
    key = rng.choice(
        ["counts", "clicks", "date_parts", "account_ids", "version", "phone_count", "cards_per_day"]
    )
    items = rng.choice([[1, 2, 3], [2026, 12, 6], [12345, 67890], ["10", "20", "30", "40"], [4, 1, 1, 1]])
    record = {key: items, "id": rng.randrange(1000)}
    return Case("pieces-ordinary", [call(tool_result(structured=record))], [], label=key)


# ------------------------------------------------------------------------------------------- judging
def _lists(node: Any) -> list[list[Any]]:
    out: list[list[Any]] = []
    if isinstance(node, dict):
        for v in node.values():
            out.extend(_lists(v))
    elif isinstance(node, list):
        out.append(node)
        for v in node:
            out.extend(_lists(v))
    elif isinstance(node, str) and node[:1] in "{[":
        with contextlib.suppress(ValueError):
            out.extend(_lists(json.loads(node)))
    return out


def readable(planted: list[Planted], received: list[Any]) -> list[Planted]:
    """The planted values a reader recovers: in any string's views (`judge.leaked`), across a folded line,
    or across a list's items read together."""
    delivered = [r for r in received if r is not None]
    extra: list[str] = []
    for message in delivered:
        extra += [re.sub(r"\r?\n[ \t]", "", s) for s in leaves(message)]
        extra += ["".join(str(x) for x in items) for items in _lists(message)]
    found = leaked(planted, delivered)
    found += [p for p in planted if p not in found and any(p.found_in(s.casefold()) for s in extra)]
    return found


def altered(case: Case, received: list[Any]) -> list[str]:
    """What did not reach the client unchanged: a survivor missing from every string, or (a case with no
    survivors and nothing planted) any token at all."""
    if None in received:
        return ["blocked"]
    texts = [s for r in received for s in leaves(r)]
    if not case.survivors and not case.planted:
        return [t for t in texts if "[[" in t]
    return [s.text for s in case.survivors if not any(s.text in t for t in texts)]
