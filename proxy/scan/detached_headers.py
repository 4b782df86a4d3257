"""Tables whose header is not beside its rows: a list of column names somewhere in a document, and rows
elsewhere in it whose width is that list's length.

`labels` reads a header that is a sibling of its rows (`{"columns": [...], "rows": [[...]]}`, a `values`
matrix whose first row is the header). Query APIs put the header one or more levels away from the rows,
and a cell is named only by its position. One rule covers them, by evidence, not by vendor:

- a **header** is a list of 2 to `positional.MAX_COLUMNS` column names: short strings, or objects each
  holding a name-like member (`name`, any `…name` such as `ColumnName`, `label`, `title`, `field`, `key`);
- **rows** are a list of row lists, or a list of objects each wrapping a list of cells, a cell a scalar or
  a one-member object holding it (`{"v": …}`, `{"VarCharValue": …}`, `{"value": …}`); a wrapped row list
  whose first row's cells are all short strings is its own header (a header row inside the rows);
- a header whose length is a row's width, in the same document (a text block's JSON, structuredContent),
  names that row's cells by position, and each cell is judged as the value of a key of that name
  (`key_entity`: field rules, context keys, name keys, org keys, address keys), then as a label's
  value (`labels.entity_of`: `Customer ID`, `Street` as a sheet writes them).

Shapes this covers because of that rule: BigQuery `schema.fields[].name` + `rows[].f[].v`, Snowflake
`resultSetMetaData.rowType[].name` + `data[][]`, Databricks `manifest.schema.columns[].name` +
`result.data_array`, Athena `ResultSetMetadata.ColumnInfo[].Name` + `Rows[].Data[].VarCharValue` (and its
header row), Kusto `Tables[].Columns[].ColumnName` + `Rows`, Google Sheets `batchGet` whose header is
another range's `values`, GA4/Looker `dimensionHeaders[].name` + `rows[].dimensionValues[].value`.

Cheap where it does not apply: the walk notes only lists whose items are lists or objects, and lists of
strings under a key; rows are read only when a header of their width names some column, and then only
its named columns. A list of records (`rows[].keys[]` of Search Console) is no rows: its cells are bare.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proxy.policy import normalize_key
from proxy.scan import accounts, address_keys, labels, names
from proxy.scan.key_info import CTX, ENTITY, NAME, ORG, QUALIFIED, KeyInfo
from proxy.scan.positional import MAX_COLUMNS
from proxy.scan.shapes import BIG_INT, context_entity, decimal_text

if TYPE_CHECKING:
    from proxy.scan.to_client import ToClientWalker

MAX_HEADERS = 4  # headers of one width tried on one list of rows: more are data, not a schema
_NAME_MEMBERS = frozenset({"label", "title", "field", "key", "header"})
_SCALARS = (str, int, float)


def note(walker: ToClientWalker, node: list[Any], doc: int) -> None:
    """A list the walk met that may be a header or rows (first item a list, an object or a string)."""
    walker._table_lists.append((node, doc))


def _member_name(h: dict[str, Any]) -> str | None:
    found = None
    for k, v in h.items():
        if type(v) is not str:
            continue
        nk = normalize_key(k)
        if nk == "name":
            return v
        if found is None and (nk.endswith("name") or nk in _NAME_MEMBERS):
            found = v
    return found


def header_labels(items: list[Any]) -> list[str] | None:
    """The column names of a header list, or None if it is none (module doc)."""
    if not 2 <= len(items) <= MAX_COLUMNS:
        return None
    out = []
    for h in items:
        label = h if type(h) is str else _member_name(h) if type(h) is dict else None
        if label is None or not 0 < len(label) <= labels.MAX_LABEL:
            return None
        out.append(label)
    return out


def _value(c: Any) -> Any:
    """A cell's scalar: itself, or the one member of a wrapping object; None otherwise."""
    if type(c) in _SCALARS:
        return c
    if type(c) is dict and len(c) == 1:
        v = next(iter(c.values()))
        if type(v) in _SCALARS:
            return v
    return None


def _cell_members(row: dict[str, Any]) -> list[str]:
    """The members of a row object holding a list of wrapped cells (`f`, `Data`, `dimensionValues`)."""
    return [
        k
        for k, v in row.items()
        if type(v) is list and v and type(v[0]) is dict and len(v[0]) <= 1 and all(type(c) is dict for c in v)
    ]


def key_entity(walker: ToClientWalker, label: str, info: KeyInfo | None, v: Any) -> str | None:
    """The entity a key named `label` gives the scalar `v` (the walker's `_other`, for one value), else
    the entity a label written as data gives it (`labels.entity_of`); only the latter without `info` (a
    header that is a row of data's first row: its words are no declared column names)."""
    t = type(v)
    text = v if t is str else decimal_text(v)
    if not text:
        return None
    if info is None:
        return labels.entity_of(walker, label, text)
    entity = info[ENTITY]
    if entity is not None:
        hex_place = entity == address_keys.ENTITY and t is str and address_keys.is_hex_address(v)
        count = t is not str and info[QUALIFIED] and abs(v) < BIG_INT
        if not hex_place and not count:
            return entity
    if info[CTX]:
        found = context_entity(label, text)
        if found is not None:
            return found
    if t is str and info[NAME] and (names.is_person_value(v) or names.family_value(label, v)):
        return "PERSON"
    if t is str and info[ORG] and accounts.is_org_name(v):
        return accounts.ENTITY
    return labels.entity_of(walker, label, text)


def _named_columns(
    walker: ToClientWalker, header: list[str], declared: bool
) -> list[tuple[int, str, KeyInfo | None]]:
    """The columns a header names something in; a declared header's (a schema's column list) by the key
    rules, a first row's by the label rules only (a field rule names whatever its key holds, and a row of
    data may hold `Mobile` as a value: it names no column)."""
    out: list[tuple[int, str, KeyInfo | None]] = []
    for i, label in enumerate(header):
        info = (walker._key_memo.get(label) or walker._key_info(label)) if declared else None
        if (info is not None and (info[ENTITY] or info[CTX] or info[NAME] or info[ORG])) or labels.matters(
            walker, label
        ):
            out.append((i, label, info))
    return out


def read(walker: ToClientWalker) -> None:
    """Pair each noted list of rows with the headers of its width in its document (module doc)."""
    noted = walker._table_lists
    if not noted:
        return
    # doc -> (id of the header list, its labels, declared: a list of names, not a matrix's first row)
    headers: dict[int, list[tuple[int, list[str], bool]]] = {}
    tables: list[tuple[list[Any], int, str | None]] = []  # (rows, doc, cell member or None: row lists)
    for node, doc in noted:
        first = node[0]
        if type(first) is list:
            tables.append((node, doc, None))
            found = header_labels(first)
            if found is not None:
                headers.setdefault(doc, []).append((id(first), found, False))
        elif type(first) is dict:
            found = header_labels(node)
            if found is not None:
                headers.setdefault(doc, []).append((id(node), found, True))
            else:
                tables.extend((node, doc, m) for m in _cell_members(first))
        else:  # a list of strings: a column list by its place only, read by the label rules (`labels`)
            found = header_labels(node)
            if found is not None:
                headers.setdefault(doc, []).append((id(node), found, False))
    for rows, doc, member in tables:
        _read_rows(walker, rows, doc, member, headers.get(doc, []))


def _cells(row: Any, member: str | None) -> list[Any] | None:
    if member is None:
        return row if type(row) is list else None
    cells = row.get(member) if type(row) is dict else None
    return cells if type(cells) is list else None


def _read_rows(
    walker: ToClientWalker,
    rows: list[Any],
    doc: int,
    member: str | None,
    found: list[tuple[int, list[str], bool]],
) -> None:
    first = _cells(rows[0], member)
    if not first:
        return
    width = len(first)
    mine = {id(rows), id(first)}
    tried = [(h, d, 0) for i, h, d in found if len(h) == width and i not in mine][:MAX_HEADERS]
    if member is not None:  # a header row inside the rows (Athena's first `Data`): read as a first row
        own = header_labels([_value(c) for c in first])
        if own is not None:
            tried.append((own, False, 1))
    for header, declared, start in tried:
        columns = _named_columns(walker, header, declared)
        if not columns:
            continue
        for row in rows[start:]:
            cells = _cells(row, member)
            if cells is None or len(cells) != width:
                continue
            for i, label, info in columns:
                c = cells[i]
                v = _value(c)
                if v is None:
                    continue
                entity = key_entity(walker, label, info, v)
                if entity is not None:
                    if type(c) is dict:
                        walker._field(c, next(iter(c)), v, doc, entity)
                    else:
                        walker._field(cells, i, v, doc, entity)
