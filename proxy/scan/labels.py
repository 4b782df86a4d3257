"""Labels written as data: a value whose key is not its JSON key but a string beside it.

Key rules and digit context (`shapes.context_entity`) read a bare value by the key it sits under
(`{"ssn": "123456789"}`). Many backends write that key as data instead, and a bare value then has no key:

- attribute/value records (custom fields, contact points, form answers):
  `{"name": "SSN", "value": "123456789"}`, `{"type": "mobile", "value": "4155550134"}`, their members
  named in any spelling (`{"k": …, "v": …}`, `{"propertyID": …, "newValue": …}`: `member_roles`), a value
  in a one-member wrapper (`{"stringValue": …}`), and a value in parts under its label (`{"name": "SSN",
  "value": {"a": "123", "b": "45", "c": "6789"}}`: `split_values`);
- tables with a header row: `{"columns": ["id", "ssn"], "rows": [["7", "123456789"]]}`, a rows matrix
  whose first row is the header (a sheet's `values`), and in text CSV/TSV, Markdown tables (`| id | ssn |`)
  whose first line is the header, and the layouts whose header is elsewhere (`positional`: an SQL
  column list over its `VALUES`, an HTML `<th>` row);
- markup and `key=value` text: `<social_security_number>123456789</social_security_number>`,
  `ssn=123456789` (logfmt, a query string, an XML attribute).

Here the label is read as the value's key by the rules that also check the value (`label_entity`): digit
context (`ssn`, `phone`, `card` with a value of that shape), and a name key with a value that reads as a
person's name (or has a name's shape: capitalised words of letters), and an org label (`account_name`,
GAQL's `customer.descriptive_name`, `Client`) with a value shaped as an organisation's name
(`accounts.data_label`: two words or more under a bare role word). A field rule alone does not (it names
whatever a JSON key holds): a label is weaker evidence than a key, and `{"name": "Phone", "value": "Pixel
8"}`, `Account,Mastercard` are products. A value so named is a field value of the message (tokenized where it
stands, and learnt, so its copies in text are found too).

Cheap where it does not apply: the record hook runs only for small objects of a message whose keys include
both a label key and a value key (the walker's key memo notes them); the text hooks only for texts holding
a line break beside a delimiter, `</` or `=`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from proxy.detect.name_csv import MAX_CELL, cells, delimiter
from proxy.detect.name_lexicon import in_dictionary
from proxy.detect.name_words import COMPANY_WORDS
from proxy.policy import normalize_key
from proxy.scan import accounts, label_lines, member_roles, names, positional, record_parts
from proxy.scan.shapes import context_entity, decimal_text, key_context
from vault.tokens import TOKEN_RE

if TYPE_CHECKING:
    from collections.abc import Iterable

    from proxy.scan.to_client import ToClientWalker

# A key's role in a record that carries its own label: a label or a value by the member's name
# (`member_roles`: `k`, `propertyID`, `attr_name`; `v`, `newValue`, `stringValue`), a table's header or rows
# by these names (normalized, exact: `keys` is no `key`).
LABEL, VALUE, HEADER, ROWS = member_roles.LABEL, member_roles.VALUE, 3, 4
ROLES: dict[str, int] = {
    **dict.fromkeys(("columns", "column", "headers", "header", "columnheaders", "cols", "fields"), HEADER),
    **dict.fromkeys(("rows", "records", "values"), ROWS),
    "data": VALUE,  # `data` is both; a record's `data` is read as either below
}
_BOTH = frozenset({"data"})

MAX_LABEL = 64
# Distinct labels of one column of a list of records read as attribute names at most: more are a column of
# titles or identifiers (`{"id": "doc-17", "content": …}` × 5,000), each of them judged would cost the walk
# of a large result more than the rest of its walk; such a column's values are still scanned as texts.
MAX_ROW_LABELS = 256
_MAX_TITLE_LINES = 2  # lines of no delimiter above a table's header
_SCALARS = (str, int, float)


def label_window(label: str) -> str:
    """A label as read: past `MAX_LABEL` characters, its last words within it (the words nearest the value
    name it: `… registered residential street address`); a longer label is not skipped."""
    if len(label) <= MAX_LABEL:
        return label
    tail = label[-MAX_LABEL:]
    cut = tail.find(" ")
    return tail[cut + 1 :] if 0 <= cut < len(tail) - 1 else tail


def role(key: str) -> int:
    """The key's role (`LABEL`, `VALUE`, `HEADER`, `ROWS`) or 0; judged once per key by the memo."""
    return ROLES.get(normalize_key(key)) or member_roles.member_role(key)


def labelled_rows(walker: ToClientWalker, rows: list[dict[str, Any]], keys: Iterable[str]) -> bool:
    """Whether a list of records holds records `record` reads: a label's and a value's member, and some
    label that can name a value (`{"Name": "phone_number", "Value": …}`). A search result's `title` and
    `content` name nothing: its rows are still walked column by column."""
    found = 0
    label_keys = []
    for k in keys:
        r = role(k)
        if r in (LABEL, HEADER):
            found |= 1
            label_keys.append(k)
        elif r == VALUE:
            found |= 2
    if found != 3:
        return False
    for k in label_keys:
        column = [
            v for v in dict.fromkeys(row.get(k) for row in rows) if type(v) is str and 0 < len(v) <= MAX_LABEL
        ]
        if len(column) <= MAX_ROW_LABELS and any(matters(walker, v) for v in column):
            return True
    return False


def label_matters(label: str) -> bool:
    """Whether a label can name a value at all (the cheap half of `label_entity`)."""
    return key_context(label) is not None or names.is_name_key(label)


# A calendar date in the usual written orders (`12/06/2026`, `06.12.2026`, `2026/12/06`): a label's date
# column (`customer_since`, `Mobile` verified on) holds dates, never the value its word names.
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d|(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}")


def label_entity(label: str, value: str, beside_given: bool = False) -> str | None:
    """The entity a label names `value` as, if the value has that entity's shape (module doc); a family
    name beside a given name's label is a name in any family name's shape (`name_parts`)."""
    if _DATE.fullmatch(value) is not None:
        return None
    found = context_entity(label, value)
    if found is not None:
        return found
    if names.is_name_key(label) and (
        names.is_person_value(value) or _name_shaped(value) or names.family_value(label, value, beside_given)
    ):
        return "PERSON"
    return None


# Two to five capitalised words of letters (apostrophes, hyphens, initials), the last no dictionary word
# and none a company word: under a name label that is a name, however rare its first name (`Diamond
# O'Neill-Carrillo`), where a product has a digit, one word or a word for a thing (`Pixel 8`, `Search
# Console`, `Acme Corp`).
_NAME_SHAPE = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?")


def _name_shaped(value: str) -> bool:
    words = value.split()
    if not 2 <= len(words) <= 5 or not all(w[0].isupper() and _NAME_SHAPE.fullmatch(w) for w in words):
        return False
    if any(w.casefold().rstrip(".") in COMPANY_WORDS for w in words):
        return False
    return not any(in_dictionary(part.casefold()) for part in re.split(r"['’-]", words[-1]) if len(part) > 2)


def entity_of(walker: ToClientWalker, label: str, value: str, beside_given: bool = False) -> str | None:
    """`label_entity`, then the org reading (`accounts.data_label`): an account name under an org label."""
    found = label_entity(label, value, beside_given)
    if found is None and accounts.data_label_value(accounts.data_label(walker, label), value):
        return accounts.ENTITY
    return found


def matters(walker: ToClientWalker, label: str) -> bool:
    """`label_matters`, or an org label (`accounts.data_label`)."""
    return label_matters(label) or bool(accounts.data_label(walker, label))


def _text(v: Any) -> str | None:
    t = type(v)
    if t is str:
        return v if v else None
    if t is int or t is float:
        return decimal_text(v)
    return None


def record(walker: ToClientWalker, node: dict[str, Any], doc: int) -> None:
    """An attribute/value record, or a table of a header list and row lists: each value named by its
    label becomes a field value (module doc). Every label-like member is tried (`{"@type":
    "PropertyValue", "name": "taxID", …}`: the first names no value); a value wrapped in an object of one
    member (OpenTelemetry's `{"stringValue": …}`, DynamoDB's `{"S": …}`) is that member's."""
    found: list[str] = []
    values: list[tuple[Any, Any, Any]] = []  # (container, key, value)
    header: list[Any] | None = None
    rows: list[Any] | None = None
    parts: list[Any] = []
    for k, v in node.items():
        r = role(k)
        if not r:
            continue
        t = type(v)
        if r in (LABEL, HEADER) and t is str:
            if 0 < len(v) <= MAX_LABEL:
                found.append(v)  # `{"header": "ssn", "cell": …}`: a header of one column is a label
        elif r == VALUE and t in _SCALARS:
            values.append((node, k, v))
        elif r == VALUE and t is dict and len(v) == 1 and type(next(iter(v.values()))) in _SCALARS:
            ((ck, cv),) = v.items()
            values.append((v, ck, cv))
        elif r == VALUE and (t is dict or t is list):
            parts.append(v)  # `{"name": "SSN", "value": {"a": "123", "b": "45", "c": "6789"}}`
        elif r == HEADER and t is list:
            header = v
        if t is list and (r == ROWS or normalize_key(k) in _BOTH):
            rows = v
    named = [label for label in found if matters(walker, label)] if values or parts else []
    for container, k, v in values if named else ():
        text = _text(v)
        if text is None:
            continue
        for label in named:
            entity = entity_of(walker, label, text)
            if entity is not None:
                walker._field(container, k, v, doc, entity)
                break
    if named and parts:
        from proxy.scan.split_values import children  # it reads tables and elements from here

        for container in parts:
            any(children(walker._plan, container, label, doc) for label in named)
    if header is not None and rows is not None:
        _table(walker, header, rows, doc)


def matrix(walker: ToClientWalker, key: str, rows: list[Any], doc: int) -> None:
    """A list of row lists under a rows key whose first row is the header (a spreadsheet's `values`:
    `[["Name", "SSN"], ["Maria Gonzalez", "512483967"]]`): the rows below it read as a table's
    (`positional`). A first row of anything but short strings is data, and no header."""
    head = rows[0]
    if not 2 <= len(head) <= positional.MAX_COLUMNS or len(rows) < 2:
        return
    if not all(type(h) is str and 0 < len(h) <= MAX_LABEL for h in head):
        return
    nk = normalize_key(key)
    if ROLES.get(nk) == ROWS or nk in _BOTH:
        _table(walker, head, rows[1:], doc)


def _header_label(h: Any) -> str | None:
    if type(h) is str:
        return h
    if type(h) is dict:  # `columnHeaders: [{"name": "ssn", "type": "STRING"}]`
        for k in ("name", "label", "key", "field", "title"):
            if type(h.get(k)) is str:
                return str(h[k])
    return None


def _table(walker: ToClientWalker, header: list[Any], rows: list[Any], doc: int) -> None:
    columns = []
    for i, h in enumerate(header):
        label = _header_label(h)
        if label and len(label) <= MAX_LABEL and matters(walker, label):
            columns.append((i, label))
    if not columns:
        return
    for row in rows:  # every row: a cap forwarded the rest unread; the cost is linear
        if type(row) is not list:
            continue
        for i, label in columns:
            if i < len(row):
                text = _text(row[i])
                entity = entity_of(walker, label, text) if text is not None else None
                if entity is not None:
                    walker._field(row, i, row[i], doc, entity)


# ------------------------------------------------------------------------------------------ in text
_TABLE_TRIGGER = re.compile(r"[,\t;|][^\n]*\n")
# `<key>value</key>` (the same name closing it) and `key=value` / `key="value"` (logfmt, a query string,
# an XML attribute): a name, then the value up to the next delimiter.
ELEMENT = re.compile(r"<([A-Za-z_][\w.-]{0,63})(?:\s[^<>]{0,200})?>([^<>\n]{1,256})</\1\s*>")
_ASSIGN = re.compile(
    r"(?<![\w.-])([A-Za-z_][\w.-]{0,63})="
    r"(?:\"([^\"\n]{1,256})\"|'([^'\n]{1,256})'|([^\s&;,\"'<>|]{1,256}))"
)


def text_pairs(text: str) -> Iterable[tuple[str, int, int]]:
    """(label, start, end) of each value a label names in a text: header columns of a delimited table,
    elements, assignments, line labels, and the cells of layouts whose header is elsewhere (`positional`)."""
    if "</" in text:
        for m in ELEMENT.finditer(text):
            yield m[1], *_stripped(text, *m.span(2))
    if "=" in text:
        for m in _ASSIGN.finditer(text):
            g = next(i for i in (2, 3, 4) if m[i] is not None)
            yield m[1], *_stripped(text, *m.span(g))
    if "\n" in text:
        yield from _table_cells(text)
    yield from positional.text_pairs(text)  # an SQL insert or dump, an HTML table
    yield from label_lines.text_pairs(text)  # `address: …` (YAML, TOML, INI, a form), vCard's `ADR`


def _stripped(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _table_cells(text: str) -> Iterable[tuple[str, int, int]]:
    """Each cell of a delimited table (CSV, TSV, a Markdown table) with its column's header."""
    for row in table_rows(text):
        yield from row


def table_rows(text: str) -> Iterable[list[tuple[str, int, int]]]:
    """Each row of a delimited table (CSV, TSV, a Markdown table) as its cells with their column's header
    (a cell empty or longer than a cell is left out); none unless a delimited line has a line below.
    A line or two with no delimiter above the header (a report's title) is skipped."""
    if _TABLE_TRIGGER.search(text) is None:
        return
    lines = _logical_lines(text)
    rows = [(p, line) for p, line in lines if line.strip()]
    if len(rows) < 2:
        return
    # The header is the first delimited line: a title line above the table (`Report:`, `Weekly spend`)
    # is no row of it.
    first = next((i for i, (_, line) in enumerate(rows[: _MAX_TITLE_LINES + 1]) if delimiter(line)), None)
    if first is None or first + 1 >= len(rows):
        return
    head = rows[first][1]
    d = delimiter(head)
    if d is None:
        return
    labels = [head[a:b].strip() for a, b in cells(head, 0, d)]
    width = len(labels)
    for at, line in rows[first + 1 :]:  # every row (no cap: linear)
        row = cells(line, at, d) if line.count(d) + 1 >= width else []
        if len(row) != width:  # a quoted cell may hold the delimiter (`"1042 Elm St, Springfield"`)
            continue
        yield [
            (label, a, b)
            for (a, b), label in zip(row, labels, strict=False)
            if label and 0 < b - a <= MAX_CELL
        ]


_MAX_CELL_LINES = 4


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of each record of a delimited text: a quoted cell may run over a line break (RFC
    4180: `7,"1042 Elm St\nSpringfield, IL",gold`), so a line with an open quote takes the next ones in."""
    out: list[tuple[int, str]] = []
    pos = 0
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        start, line, j = pos, lines[i], i
        while line.count('"') % 2 and j + 1 < len(lines) and j - i < _MAX_CELL_LINES:
            j += 1
            line = line + "\n" + lines[j]
        if line.count('"') % 2:  # never closed: the line alone
            line, j = lines[i], i
        out.append((start, line))
        pos += len(line) + 1
        i = j + 1
    return out


def _percent_decoded(value: str) -> str:
    """A query string's or form body's value as its reader decodes it (`Ad%C3%A1n`, `O%27Neill`,
    `de+la+Cruz`); the encoded span is what is replaced."""
    if "%" not in value and "+" not in value:
        return value
    return unquote_plus(value)


def labelled_spans(walker: ToClientWalker, texts: Iterable[str]) -> dict[str, list[tuple[int, int, str]]]:
    """Per text, the (start, end, entity) of each value a label written in it names. Spans, not only
    field values: a cell of a CSV row reads as part of a decimal to the known-value matcher
    (`179,814981378`), where the table's reader sees two cells."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    matters: dict[str, bool] = {}
    for text in texts:
        for a, b, kind in record_parts.handle_spans(text):  # `user maria.gonzalez on domain example.com`
            if text[a:b] not in walker.allow and not TOKEN_RE.fullmatch(text[a:b]):
                out.setdefault(text, []).append((a, b, kind))
        pairs = []
        for label, a, b in text_pairs(text):
            if a >= b:
                continue
            label = label_window(label)
            ok = matters.get(label)
            if ok is None:
                ok = matters[label] = label_matters(label) or bool(accounts.data_label(walker, label))
            if ok:
                pairs.append((label, a, accounts.run_on(text, a, b, walker, label)))
        # A given-name column or parameter beside a family name's (`first,last`, `?first=…&last=…`).
        given = any(names.is_given_key(label) for label, _, _ in pairs)
        for label, a, b in pairs:
            value = text[a:b]
            entity = entity_of(walker, label, _percent_decoded(value), given)
            if entity is not None and value not in walker.allow and not TOKEN_RE.fullmatch(value):
                out.setdefault(text, []).append((a, b, entity))
    return out
