"""Tables whose header is not a sibling list of the rows (`proxy/scan/detached_headers.py`), through the
real to-client chain of a default install (red team round 11, class 2: account names 50/65 and addresses
50/65 leaked).

Figures at the time of writing, 150 seeded cases each (before → after `detached_headers`):
- values (BigQuery, Snowflake, Databricks, Athena, Kusto, Sheets batchGet, GA4 layouts; account names,
  street addresses, contacts' names beside ordinary columns): cases with a readable value 129/150 → 0/150,
  values readable 482/734 → 0/734.
- look-alikes (metrics and keyword tables in the same layouts: `date`, `clicks`, `cost`, `keyword`,
  `device`, `campaign`): cases with a cell changed 0/150 → 0/150 (49/150 while a data row's first cells
  were read as declared column names: `Mobile` is a phone key).
"""

from __future__ import annotations

from tests.classes.detached_header_cases import detached_lookalikes, detached_values
from tests.classes.harness import ChainHarness

N = 150


def test_cells_named_by_a_header_elsewhere_in_the_document_are_tokenized(fresh: ChainHarness) -> None:
    """`{"schema": {"fields": [{"name": "account_name"}, …]}, "rows": [{"f": [{"v": "Riverbend Podiatry"},
    …]}]}` and its neighbours (a column list one or more levels away from rows of its width, cells bare
    or wrapped in a one-member object): each cell is judged as its column's key would judge it."""
    outcomes = fresh.run_seeded(detached_values, 20261207, N)
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_metrics_and_keyword_tables_in_the_same_layouts_reach_the_client_unchanged(
    fresh: ChainHarness,
) -> None:
    """Dates, clicks, costs, keywords, match types, devices and campaign names under their columns: every
    cell stays as written."""
    outcomes = fresh.run_seeded(detached_lookalikes, 20261208, N)
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
