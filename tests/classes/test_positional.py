"""Values placed by column position (`positional`), through the real to-client chain of a default install
(red team round six, issue 15): the label naming a value is in a header row or a column list, not beside
it.

Figures at the time of writing, 150 seeded cases each (before → after `proxy/scan/positional.py` and a
tab-separated header's quoted fields read apart in `proxy/detect/name_csv.py`):
- values: cases with a readable value 71/150 → 1/150; values readable 143/1065 → 1/1065 (SSNs 91/183 → 0,
  names 47/230 → 1, phones 5/251 → 0; emails and customer IDs 0 before and after). By layout, before: SQL
  INSERT 16/19, multi-row VALUES 11/16, COPY 19/39, HTML 12/22, a sheet's matrix 7/21, CSV/TSV 6/33. The
  one left: a surname that is also a word (`Plaza`) under a bare `name` column, which a `{"name": …}`
  key leaves too.
- look-alikes (product tables in the same layouts): cases with a cell changed 0/150 → 0/150.
"""

from __future__ import annotations

from tests.classes.harness import ChainHarness
from tests.classes.positional import positional_lookalikes, positional_values

N = 150


def test_values_named_by_an_sql_column_list_a_header_row_or_table_headers_are_tokenized(
    fresh: ChainHarness,
) -> None:
    """`INSERT INTO users (full_name, ssn, phone) VALUES ('Maria Gonzalez', '512483967', '4155550123'),
    (…)`, a `COPY … FROM stdin` dump, a CSV export, a sheet's `values` matrix whose first row is the
    header, an HTML table's `<th>` row: every value a header names goes, bare digits included, whichever
    carrier holds the table (a tool's text, `structuredContent`, a database log line)."""
    outcomes = fresh.run_seeded(positional_values, 20261215, N)
    assert [o.summary() for o in outcomes if o.blocked or any(p.kind != "person" for p in o.leaked)] == []
    # A name whose surname is also a word (`Emigdio Plaza`) under a bare `name` column reads as a `name`
    # key's value does (left: a product's name has that shape too).
    names = [p for o in outcomes for p in o.case.planted if p.kind == "person"]
    assert sum(p.kind == "person" for o in outcomes for p in o.leaked) <= 0.02 * len(names)


def test_product_tables_in_the_same_layouts_reach_the_client_unchanged(fresh: ChainHarness) -> None:
    """Product names, SKUs, counts, dates and prices under `name`, `sku`, `qty`, `Order Date` in the same
    SQL, CSV, matrix and HTML layouts: every cell stays as written."""
    outcomes = fresh.run_seeded(positional_lookalikes, 20261216, N)
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
