"""One value split across the children of a container its key names (red team 5, issue 15).

`record_parts` joins parts whose own keys name them (`area`/`group`/`serial`). Here the parts' keys say
nothing (`first3`, `a`/`b`/`c`, `p1`, `0`, `bin`/`middle`/`last4`, `country`/`check`/`bban`) and the
container's key names the entity:

    {"ssn": {"first3": "123", "middle2": "45", "last4": "6789"}}    {"tel": {"p1": 415, "p2": 555, "p3": 123}}
    {"card": {"bin": "411111", "middle": "111111", "last4": "1111"}}
    {"iban": {"country": "DE", "check": "89", "bban": "370400440532013000"}}   {"iban": ["DE", "89", "…"]}

The children's values, read in order, are joined and checked by the entity's own validator, stricter than a
key's shape check (`shapes.context_entity`) because the parts could be anything a record holds: an SSN's
ranges (no 000/666/9xx area, no 00 group, no 0000 serial), a North American number's rules (area and
exchange start 2-9, no N11 area), Luhn for a card, the country's length and mod-97 for an IBAN. A number
drops its leading zeros, so three integer parts are read in the entity's widths (3-2-4, 3-3-4). Every child
must be a part (a short digit run, an IBAN's letters): a child under a date, metric or id key (`expMonth`,
`id`, `count`) or a flag makes the container a record, not a value. Each part becomes the joined value's
token (as `pieces` does for a list).

The same records written as text in a text block (`text_spans`): a CSV/TSV row under its header (columns
whose headers name the entity, `ssn_area,ssn_group,ssn_serial`, or name the parts, `npa,nxx,line`, read by
`record_parts.digit_values`), an XML element whose children are the parts (`<ssn><first3>123</first3>…`),
a YAML mapping or list under the entity's key. The rows and elements are read by the readers labels use
(`labels.table_rows`, `labels.ELEMENT`); the spans are tokenized with the joined value's token, never learnt
as values of their own (`ScanPlan.part_values`: a part alone, `6789`, is no value to find elsewhere).

Cheap where it does not apply: the structured hook runs only on containers under a key with digit context;
the text readers only on texts holding `</`, a line ending in `:`, or a delimited first line whose
headers name a value or a digit part.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from proxy.detect.checksums import is_iban, luhn_ok
from proxy.policy.keys import key_words
from proxy.scan import labels, record_parts
from proxy.scan.plan import ScanPlan
from proxy.scan.shapes import is_metric_key, key_context

ENTITIES = frozenset({"US_SSN", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE"})
MAX_PARTS = 6
MAX_DIGITS = 8  # a part of an SSN, a phone number or a card
MAX_BBAN = 30
# Children that make a container a record rather than one value in parts (a card's expiry, an id, a count).
_RECORD_WORDS = frozenset({
    "id", "uuid", "month", "day", "exp", "expiry", "expires", "expiration", "brand", "type", "kind", "status",
    "verified", "valid", "primary", "ext", "extension", "cvv", "cvc", "pin", "zip", "postal",
})  # fmt: skip

Part = tuple[Any, str, bool]  # (where: a key or an index, its text, whether it was a number)
Found = tuple[int, int, tuple[str, str]]  # a part's span in a text and the joined (entity, value)


@lru_cache(maxsize=4096)
def named_entity(key: str) -> str | None:
    """The entity a key names among those whose parts are checked here (`ssn_area` → US_SSN)."""
    for entity, _ in key_context(key) or ():
        if entity in ENTITIES:
            return entity
    return None


@lru_cache(maxsize=4096)
def _record_key(key: str) -> bool:
    return is_metric_key(key) or any(w in _RECORD_WORDS for w in key_words(key))


def _part(v: Any) -> tuple[str, bool] | None:
    t = type(v)
    if t is int:
        return (str(v), True) if v >= 0 else None
    if t is str:
        s = v.strip()
        if 0 < len(s) <= MAX_BBAN and s.isascii() and s.isalnum():
            return s, False
    return None


def joined(entity: str, parts: list[tuple[str, bool]]) -> str | None:
    """The value `parts` make in order, if the entity's validator accepts it (module doc)."""
    if not 2 <= len(parts) <= MAX_PARTS:
        return None
    if entity == "IBAN_CODE":
        return _iban(parts)
    if not all(t.isdigit() and len(t) <= MAX_DIGITS for t, _ in parts):
        return None
    if entity == "US_SSN":
        return _ssn(parts)
    if entity == "PHONE_NUMBER":
        return _nanp(parts)
    digits = "".join(t for t, _ in parts)
    return digits if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_ok(digits) else None


def _widths(parts: list[tuple[str, bool]], widths: tuple[int, ...]) -> list[str]:
    """A number's leading zeros back where the entity's widths say (`6789`, `123` as the 4-digit line)."""
    if len(parts) != len(widths):
        return [t for t, _ in parts]
    return [t.zfill(w) if number else t for (t, number), w in zip(parts, widths, strict=True)]


def _ssn(parts: list[tuple[str, bool]]) -> str | None:
    d = "".join(_widths(parts, (3, 2, 4)))
    if len(d) != 9 or d[:3] in ("000", "666") or d[0] == "9" or d[3:5] == "00" or d[5:] == "0000":
        return None
    return f"{d[:3]}-{d[3:5]}-{d[5:]}"


def _nanp(parts: list[tuple[str, bool]]) -> str | None:
    if len(parts) == 4 and parts[0][0] == "1":
        parts = parts[1:]  # the country code first
    d = "".join(_widths(parts, (3, 3, 4)))
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    if len(d) != 10 or d[0] in "01" or d[3] in "01" or d[1:3] == "11":
        return None
    return f"+1 {d[:3]}-{d[3:6]}-{d[6:]}"


def _iban(parts: list[tuple[str, bool]]) -> str | None:
    country = parts[0][0].upper()
    if len(country) != 2 or not country.isalpha():
        return None
    rest = [t.zfill(2) if number and i == 0 else t for i, (t, number) in enumerate(parts[1:])]
    compact = (country + "".join(rest)).upper()
    return compact if is_iban(compact) else None


def _parts(pairs: list[tuple[Any, Any]]) -> list[Part] | None:
    out: list[Part] = []
    for where, v in pairs:
        found = _part(v)
        if found is None or (type(where) is str and _record_key(where)):
            return None
        out.append((where, *found))
    return out


# ------------------------------------------------------------------------------------------ in JSON
def children(plan: ScanPlan, node: dict[str, Any] | list[Any], key: str, doc: int) -> bool:
    """The children of `node` (an object's values, a list's items) as one value its key names, each part
    then carrying the value's token; False if they are none."""
    entity = named_entity(key)
    if entity is None or not 2 <= len(node) <= MAX_PARTS:
        return False
    parts = _parts(list(node.items()) if type(node) is dict else list(enumerate(node)))
    value = joined(entity, [(t, n) for _, t, n in parts]) if parts is not None else None
    if parts is None or value is None:
        return False
    fv = (entity, value)
    plan.field_values[fv] = None
    plan.field_locations.extend(((node, where, doc), fv) for where, _, _ in parts)
    return True


# ------------------------------------------------------------------------------------------- in text
# An element holding only two to six leaf elements: `<ssn><first3>123</first3>…</ssn>`.
_PARENT = re.compile(
    r"<([A-Za-z_][\w.-]{0,63})(?:\s[^<>]{0,200})?>\s*"
    r"((?:<([A-Za-z_][\w.-]{0,63})(?:\s[^<>]{0,200})?>[^<>\n]{1,64}</\3\s*>\s*){2,6})</\1\s*>"
)
# A key alone on its line, then two to six more-indented `key: value` or `- value` lines.
_YAML = re.compile(
    r"^([ \t]*)([A-Za-z_][\w.-]{0,63})[ \t]*:[ \t]*\r?\n"
    r"((?:\1[ \t]+(?:-[ \t]+|[\w.-]{1,64}[ \t]*:[ \t]+)[^\n]{1,64}(?:\r?\n|$)){2,6})",
    re.MULTILINE,
)
_YAML_ITEM = re.compile(
    r"[ \t]+(?:-|([\w.-]{1,64})[ \t]*:)[ \t]+(['\"]?)([^\n'\"#]{1,64}?)\2[ \t]*\r?$", re.MULTILINE
)
_LINE_KEY = re.compile(r"^[ \t]*[A-Za-z_][\w.-]{0,63}[ \t]*:[ \t]*\r?$", re.MULTILINE)


def text_spans(text: str) -> list[Found]:
    """Each part of a split value written in `text` (module doc), with the joined value."""
    out: list[Found] = []
    if "</" in text:
        for m in _PARENT.finditer(text):
            if not _names_parts(m[1], _TAG.findall(m[2])):
                continue
            leaves = [(c[1], *_span(text, m.start(2) + c.start(2), m.start(2) + c.end(2)))
                      for c in labels.ELEMENT.finditer(m[2])]  # fmt: skip
            out += _group(text, m[1], leaves)
    if (":\n" in text or ":\r\n" in text) and _LINE_KEY.search(text) is not None:
        for m in _YAML.finditer(text):
            if not _names_parts(m[2], _YAML_KEY.findall(m[3])):
                continue
            items = [(c[1] or str(i), m.start(3) + c.start(3), m.start(3) + c.end(3))
                     for i, c in enumerate(_YAML_ITEM.finditer(m[3]))]  # fmt: skip
            out += _group(text, m[2], items)
    if "\n" in text and _header_names_parts(text):
        for row in labels.table_rows(text):
            out += _row(text, row)
    return out


_CELL = re.compile(r"[^,\t;|\n]+")
_TAG = re.compile(r"<([A-Za-z_][\w.-]{0,63})")
_YAML_KEY = re.compile(r"^[ \t]+([\w.-]{1,64})[ \t]*:", re.MULTILINE)


def _names_parts(parent: str, labels: list[str]) -> bool:
    """Whether a record's name names a value, or a label of its own a digit part (cheap: memoized)."""
    return named_entity(parent) is not None or any(
        record_parts.role(h) in record_parts.DIGIT_ROLES for h in labels
    )


def _header_names_parts(text: str) -> bool:
    """Whether a table's first line has a header naming a value or a digit part (the cheap half of `_row`)."""
    head = text.lstrip()[:512].partition("\n")[0]
    return any(
        named_entity(h) is not None or record_parts.role(h) in record_parts.DIGIT_ROLES
        for h in (c.strip().strip("\"'") for c in _CELL.findall(head))
        if h
    )


def _span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _group(text: str, parent: str | None, leaves: list[tuple[str, int, int]]) -> list[Found]:
    """A parent's leaves: one value the parent names, or parts their own labels name (`record_parts`)."""
    entity = named_entity(parent) if parent is not None else None
    if entity is not None:
        parts = _parts([(label, text[a:b]) for label, a, b in leaves])
        value = joined(entity, [(t, False) for _, t, _ in parts]) if parts is not None else None
        if value is not None:
            return [(a, b, (entity, value)) for _, a, b in leaves]
    return _named_parts(text, leaves)


def _named_parts(text: str, leaves: list[tuple[str, int, int]]) -> list[Found]:
    spans = {label: (a, b) for label, a, b in leaves}
    out: list[Found] = []
    for where, fv in record_parts.digit_values([(label, text[a:b]) for label, a, b in leaves]):
        out += [(*spans[label], fv) for label, _ in where]
    return out


def _row(text: str, row: list[tuple[str, int, int]]) -> list[Found]:
    """A table row: runs of adjacent columns whose headers name one entity (`ssn_area,ssn_group,…`), and
    columns whose headers name parts (`npa,nxx,line`)."""
    out: list[Found] = []
    run: list[tuple[str, int, int]] = []
    entity = None
    for cell in [*row, ("", 0, 0)]:
        e = named_entity(cell[0]) if cell[0] else None
        if e is not None and e == entity:
            run.append(cell)
            continue
        if len(run) >= 2 and entity is not None:
            parts = _parts([(None, text[a:b]) for _, a, b in run])
            value = joined(entity, [(t, False) for _, t, _ in parts]) if parts is not None else None
            if value is not None:
                out += [(a, b, (entity, value)) for _, a, b in run]
        run, entity = [cell], e
    return out or _named_parts(text, row)


def collect(plan: ScanPlan, texts: list[str]) -> None:
    """The split values of every text, as spans with the joined value's token (`ScanPlan.part_values`)."""
    for text in texts:
        found = text_spans(text)
        if not found:
            continue
        spans = plan.labelled.setdefault(text, [])
        for a, b, fv in found:
            if a < b:
                spans.append((a, b, fv[0]))
                plan.part_values[(text, a, b)] = fv
                plan.field_values[fv] = None
