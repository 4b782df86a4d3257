"""Values placed by column position, their label in a header elsewhere (red team round six, issue 15).

A bare digit run is personal by the word that names it, and in these layouts that word is not beside the
value but in a header: an SQL `INSERT … (full_name, ssn, phone) VALUES ('…', '512483967', …), (…)` or a
`COPY … (…) FROM stdin` dump, a CSV export's header line, a spreadsheet's `values` matrix whose first row is
the header (`{"values": [["Name", "SSN"], ["Maria Gonzalez", "512483967"]]}`), an HTML table's `<th>` row
over its `<td>` cells.

- `positional_values`: two to four personal columns (names, SSNs, phones, emails, customer IDs; bare digits
  mostly, the hard case) and ordinary ones, in random order, one to four rows, in one of those layouts, as a
  tool's text, in `structuredContent` or after a database log's prefix.
- `positional_lookalikes`: the same layouts of a product table (product names, SKUs, counts, dates,
  prices), every cell of which must reach the client as written.
"""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.planting import Planted, digits_needle, email, ssn_digits
from tests.classes.structured_names import _both, _name

LAYOUTS = ("sql-insert", "sql-rows", "sql-copy", "csv", "matrix", "html")
KINDS = ("person", "ssn", "phone", "email", "customer-id")
# A column's name as a schema writes it, and as a sheet or a page shows it.
HEADERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "person": (
        ("full_name", "name", "customer_name", "contact_name"),
        ("Name", "Full Name", "Customer Name"),
    ),
    "ssn": (("ssn", "social_security_number", "ssn_number"), ("SSN", "Social Security Number")),
    "phone": (("phone", "phone_number", "mobile", "tel"), ("Phone", "Mobile", "Phone Number")),
    "email": (("email", "email_address"), ("Email", "E-mail")),
    "customer-id": (("customer_id", "cid"), ("Customer ID", "Customer Id")),
}
FILLERS = ("id", "created_at", "status", "plan")


def _value(rng: Random, kind: str) -> Planted:
    """A personal value as a table holds it: bare digits mostly, sometimes in its usual grouping."""
    if kind == "person":
        while True:
            first, last = _name(rng)
            if "'" not in last:  # SQL doubles an apostrophe; the judge's needle reads the name as written
                return _both(first, last)
    if kind == "ssn":
        d = ssn_digits(rng)
        text = rng.choice([d, d, d, f"{d[:3]}-{d[3:5]}-{d[5:]}", f"{d[:3]} {d[3:5]} {d[5:]}"])
        return Planted("ssn", text, digits_needle(d))
    if kind == "phone":
        d = (
            rng.choice(["415", "212", "312", "206", "617"])
            + str(rng.randrange(200, 999))
            + f"{rng.randrange(10**4):04d}"
        )
        text = rng.choice(
            [d, d, f"{d[:3]} {d[3:6]} {d[6:]}", f"({d[:3]}) {d[3:6]}-{d[6:]}", f"{d[:3]}.{d[3:6]}.{d[6:]}"]
        )
        return Planted("phone", text, digits_needle(d, bounded=False))
    if kind == "email":
        return email(rng)
    d = f"{rng.randrange(1, 10)}{rng.randrange(10**9):09d}"
    return Planted("customer-id", rng.choice([d, d, f"{d[:3]}-{d[3:6]}-{d[6:]}"]), digits_needle(d))


def _filler(rng: Random, column: str) -> str:
    if column == "id":
        return str(rng.randrange(1, 5000))
    if column == "created_at":
        return f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return rng.choice(["active", "closed", "pending"] if column == "status" else ["free", "pro", "team"])


# ------------------------------------------------------------------------------------------ layouts
def _sql_ident(rng: Random, name: str, style: str) -> str:
    return {"bare": name, "double": f'"{name}"', "backtick": f"`{name}`"}[style]


def _sql_literal(rng: Random, text: str, numeric: bool) -> str:
    if numeric and text.isdigit() and text[0] != "0" and rng.random() < 0.4:
        return text  # a number column: unquoted
    quoted = "'" + text.replace("'", "''") + "'"
    return ("N" + quoted) if rng.random() < 0.1 else quoted


def _sql(rng: Random, table: str, header: list[str], rows: list[list[str]], numeric: list[bool]) -> str:
    style = rng.choice(["bare", "bare", "double", "backtick"])
    cols = ", ".join(_sql_ident(rng, h, style) for h in header)
    tuples = [
        "(" + ", ".join(_sql_literal(rng, cell, n) for cell, n in zip(row, numeric, strict=True)) + ")"
        for row in rows
    ]
    insert = rng.choice(["INSERT INTO", "insert into", "INSERT INTO public."])
    joiner = rng.choice([", ", ",\n  ", ",\n"])
    values = rng.choice(["VALUES", "values", "VALUES\n  "])
    return f"{insert}{'' if insert.endswith('.') else ' '}{table} ({cols}) {values} {joiner.join(tuples)};"


def _copy(table: str, header: list[str], rows: list[list[str]]) -> str:
    lines = [f"COPY public.{table} ({', '.join(header)}) FROM stdin;"]
    lines += ["\t".join(row) for row in rows]
    return "\n".join([*lines, "\\."])


def _csv(rng: Random, header: list[str], rows: list[list[str]]) -> str:
    d = rng.choice([",", "\t", ";"])

    def cell(c: str) -> str:
        return f'"{c}"' if (d in c or rng.random() < 0.3) else c

    return "\n".join(d.join(cell(c) for c in line) for line in [header, *rows])


def _html(rng: Random, header: list[str], rows: list[list[str]]) -> str:
    nl = rng.choice(["", "\n", "\n  "])
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"
    if rng.random() < 0.5:
        head = f"<thead>{head}</thead>"
    body = nl.join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    attrs = rng.choice(["", ' class="report"', ' border="1"'])
    return f"<table{attrs}>{nl}{head}{nl}<tbody>{body}</tbody>{nl}</table>"


_LOG = "2026-12-07 10:{m:02d}:{s:02d} UTC [{pid}] LOG:  statement: "


def _result(
    rng: Random, layout: str, table: str, header: list[str], rows: list[list[str]], numeric: list[bool]
) -> tuple[dict[str, Any], str]:
    """The tool result carrying the table, and the carrier's name."""
    if layout == "matrix":
        body = {"range": f"Sheet1!A1:{chr(64 + len(header))}{len(rows) + 1}", "majorDimension": "ROWS",
                "values": [header, *rows]}  # fmt: skip
        carrier = rng.choice(["text", "structured"])
        return (tool_result(json.dumps(body)) if carrier == "text" else tool_result(structured=body)), carrier
    if layout in ("sql-insert", "sql-rows"):
        text = _sql(rng, table, header, rows, numeric)
    elif layout == "sql-copy":
        text = _copy(table, header, rows)
    elif layout == "csv":
        text = _csv(rng, header, rows)
    else:
        text = _html(rng, header, rows)
    carrier = rng.choice(["text", "structured", "log"] if layout != "csv" else ["text", "structured"])
    if carrier == "log":
        prefix = _LOG.format(m=rng.randrange(60), s=rng.randrange(60), pid=rng.randrange(1000, 9999))
        return tool_result(prefix + text), carrier
    if carrier == "structured":
        key = rng.choice(["dump", "output", "body", "result"])
        return tool_result(structured={key: text, "rows_affected": len(rows)}), carrier
    return tool_result(text), carrier


def _display(layout: str) -> bool:
    """Whether the layout's header is written for a reader (`Full Name`) rather than a schema."""
    return layout in ("matrix", "html") or (layout == "csv")


def positional_values(rng: Random) -> Case:
    """Personal values in columns whose names are in a header row or a column list (module doc)."""
    layout = rng.choice(LAYOUTS)
    kinds = rng.sample(KINDS, rng.randrange(2, 5))
    fillers = rng.sample(FILLERS, rng.randrange(0, 3))
    columns = [*kinds, *fillers]
    rng.shuffle(columns)
    display = _display(layout) and rng.random() < 0.7
    header = [
        rng.choice(HEADERS[c][1 if display else 0]) if c in HEADERS else (c.title() if display else c)
        for c in columns
    ]
    n_rows = (
        1 if layout == "sql-insert" else rng.randrange(2, 5) if layout == "sql-rows" else rng.randrange(1, 5)
    )
    planted: list[Planted] = []
    rows = []
    for _ in range(n_rows):
        row = []
        for c in columns:
            if c in HEADERS:
                p = _value(rng, c)
                planted.append(p)
                row.append(p.text)
            else:
                row.append(_filler(rng, c))
        rows.append(row)
    numeric = [c in ("ssn", "phone", "customer-id", "id") for c in columns]
    result, carrier = _result(
        rng, layout, rng.choice(["users", "customers", "contacts"]), header, rows, numeric
    )
    return Case(
        "positional-values",
        [call(result, rng.choice(["run_query", "export_sheet", "read_page"]))],
        planted,
        label=f"{layout}:{carrier}:{'display' if display else 'schema'}",
    )


# ------------------------------------------------------------------------------------------ look-alikes
PRODUCTS = (
    "Maple Desk", "Garden Hose 25ft", "Steel Water Bottle", "Widget Pro 3000", "Bamboo Cutting Board",
    "Ceramic Mug", "Trail Running Shoe", "Desk Lamp LED", "Linen Napkins", "Cast Iron Skillet",
)  # fmt: skip
PRODUCT_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "product": (("product_name", "name", "title", "item"), ("Product", "Name", "Item")),
    "sku": (("sku", "item_code"), ("SKU", "Item Code")),
    "count": (("qty", "quantity", "units_sold", "stock"), ("Qty", "Quantity", "Units Sold")),
    "date": (("order_date", "shipped_on", "created_at"), ("Order Date", "Shipped")),
    "price": (("price", "unit_price"), ("Price", "Unit Price")),
}


def _product_cell(rng: Random, column: str) -> str:
    if column == "product":
        return rng.choice(PRODUCTS)
    if column == "sku":
        return rng.choice([f"SKU-{rng.randrange(10**4, 10**5)}", f"WX-{rng.randrange(1000, 9999)}-B"])
    if column == "count":
        return str(rng.randrange(0, 5000))
    if column == "date":
        return f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return f"{rng.randrange(1, 400)}.{rng.randrange(100):02d}"


def positional_lookalikes(rng: Random) -> Case:
    """A product table in the same layouts: every cell must stay as written."""
    layout = rng.choice(LAYOUTS)
    columns = rng.sample(list(PRODUCT_COLUMNS), rng.randrange(2, 6))
    display = _display(layout) and rng.random() < 0.7
    header = [rng.choice(PRODUCT_COLUMNS[c][1 if display else 0]) for c in columns]
    rows = [[_product_cell(rng, c) for c in columns] for _ in range(rng.randrange(1, 5))]
    numeric = [c == "count" for c in columns]
    result, carrier = _result(
        rng, layout, rng.choice(["products", "orders", "inventory"]), header, rows, numeric
    )
    cells = dict.fromkeys(c for row in rows for c in row)
    return Case(
        "positional-lookalikes",
        [call(result, rng.choice(["run_query", "export_sheet", "read_page"]))],
        [],
        [Survivor(c, label=f"{layout}-cell") for c in cells],
        label=f"{layout}:{carrier}:{'display' if display else 'schema'}",
    )
