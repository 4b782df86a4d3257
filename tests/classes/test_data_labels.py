"""Account names under a label written as data, and full names as folders of a bare path (red team round
eight, findings 4 and 5), through the real to-client chain of a default install.

Figures at the time of writing, 150 seeded cases each (readable before → after the mechanisms):
- account names under an org label written as data (`accounts.data_label`, read by `labels`: CSV/TSV and
  Markdown headers, `columns`/`rows`, a sheet's `values`, logfmt, XML elements): 139/150 → 0/150; the other
  columns beside them altered 0 → 0 (a campaign `Summer Promo` is read as a person by the name recognizers,
  before and after: not this class's, left out of the pool); tables whose columns are no account (a make
  under `Brand`, a card under `Account`, products, places) altered 0 → 0.
- full names as folders (`path_folders`, `VeilPathFolderNameRecognizer`): a clear given name and a census
  surname of no word 27/61 → 0/61, a surname that is also a word 26/34 → 1/34, names no list knows 48/55 →
  48/55 (no name evidence: reported, not judged); folders that are places, products, topics, one session
  per case: altered 10/150 → 10/150 (slugs the identifier reading takes, `madison_square_garden`,
  `georgia-peach-tea`, `hong-kong`, before and after; a time-zone city as a folder, `Hong Kong`, stays).
"""

from __future__ import annotations

from random import Random

from tests.classes.data_labels import (
    accounts_in_data_labels,
    names_in_path_folders,
    non_account_tables,
    place_and_product_folders,
)
from tests.classes.harness import ChainHarness

N = 150


def test_account_names_under_org_labels_written_as_data_are_tokenized_and_other_columns_stay(
    fresh: ChainHarness,
) -> None:
    """`customer.descriptive_name,metrics.clicks\\nBrightwater Plumbing,120`, `| Account name | Clicks |`,
    `{"columns": ["client_name", …], "rows": [[…]]}`, `account_name="…"`, `client=Acme Dental spend=1`,
    `<accountName>…</accountName>`: the label is the key vocabulary written as data; the campaign, city,
    status and metric columns beside it stay."""
    outcomes = fresh.run_seeded(accounts_in_data_labels, 20261210, N)
    assert [o.summary() for o in outcomes if o.leaked] == []
    assert [o.summary() for o in outcomes if o.altered] == []


def test_tables_whose_columns_are_no_account_stay_as_written(fresh: ChainHarness) -> None:
    """`Brand,Google`, `Account,Mastercard` (one word under a bare role word), products, places, campaigns,
    devices in the same layouts: nothing changes."""
    outcomes = fresh.run_seeded(non_account_tables, 20261211, N)
    assert [o.summary() for o in outcomes if o.altered] == []


def test_full_names_as_folders_of_a_bare_path_are_tokenized(fresh: ChainHarness) -> None:
    """`/Shared/HR/Maria Gonzalez/Payslips/2024-05.pdf`, `s3://acme-hr/hr/maria-gonzalez/`, `Z:\\\\HR\\\\
    Maria_Gonzalez\\\\`, `~/Clients/Maria.Gonzalez`, a JSON `path` / `folder`: a clear given name and a
    census surname of no word go; a surname that is also a word (`Booth`, `Woods`) goes as a folder too,
    where most such pairs are; names no list knows have no evidence and are reported."""
    outcomes = fresh.run_seeded(names_in_path_folders, 20261210, N)
    strong = [o for o in outcomes if o.case.label.startswith("strong:")]
    lexicon = [o for o in outcomes if o.case.label.startswith("lexicon:")]
    assert len(strong) >= N // 3
    assert [o.summary() for o in strong if o.leaked] == []
    assert sum(bool(o.leaked) for o in lexicon) <= 0.1 * len(lexicon)
    assert [o.summary() for o in outcomes if o.altered] == []


def test_folders_that_are_places_products_and_topics_stay(fresh: ChainHarness) -> None:
    """`/Shared/Marketing/New York/`, `/Projects/Jordan Air Max/`, `gs://b/regions/san-diego/`, `Program
    Files`: one session per case (a folder one case tokenized would be the next case's known value)."""
    rng = Random(20261211)
    outcomes = [ChainHarness(fresh.engine).run(place_and_product_folders(rng)) for _ in range(N)]
    assert sum(bool(o.altered) for o in outcomes) <= 0.1 * N
