"""Readers' size limits fail open no more (`positional`, `labels`), through the real to-client chain of a
default install (red team round 11, class 6).

Figures at the time of writing, 40 seeded cases (fewer than 150: each holds a table of up to 25,000 rows),
before → after (34/40 → 0/40); `make test` runs the first 16 of them, to stay inside CI's time budget: see
the generator's doc (`table_limit_cases`) and the report of branch h12-tables.
"""

from __future__ import annotations

from tests.classes.harness import ChainHarness
from tests.classes.table_limit_cases import table_limits

N = 16


def test_values_past_the_former_row_literal_and_record_limits_are_still_read(fresh: ChainHarness) -> None:
    """The 5,001st or 20,000th row of an SQL insert, a CSV or a Markdown table, a cell after a 4,097- or
    40,000-character literal, an SSN in a record of 13 or 200 keys: each is tokenized."""
    outcomes = fresh.run_seeded(table_limits, 20261209, N)
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []
