"""`veil_query_result`'s engine: DuckDB in memory over a stored result's rows, read-only, within limits."""

from __future__ import annotations

from collections import Counter

import pytest

from proxy.result_handles import find_handles, result_id_of, substitute
from proxy.result_query import MAX_ANSWER_ROWS, QueryRefused, run_query

ROWS = [
    {"keys": [f"query {i % 40}", f"https://x.example/p/{i % 7}"], "clicks": i % 13, "ctr": 0.5,
     "campaign": {"name": f"[[PERSON:abcdefghijklmnop]] c{i % 3}"}}
    for i in range(5000)
]  # fmt: skip


def run(sql: str, rows: list | None = None, seconds: float = 5):
    return run_query(ROWS if rows is None else rows, sql, seconds=seconds, memory_mb=128)


def test_a_group_by_with_sum_and_count_matches_the_same_computation_in_python():
    answer = run(
        "SELECT keys[2] AS page, sum(clicks) AS clicks, count(*) AS n FROM rows GROUP BY page ORDER BY page"
    )
    clicks: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for r in ROWS:
        clicks[r["keys"][1]] += r["clicks"]
        counts[r["keys"][1]] += 1
    assert answer.as_result()["rows"] == [
        {"page": p, "clicks": clicks[p], "n": counts[p]} for p in sorted(clicks)
    ]
    assert answer.scanned == 5000 and not answer.truncated


def test_nested_fields_and_tokens_are_queried_as_they_are_stored():
    answer = run(
        "SELECT campaign.name AS name, avg(ctr) AS ctr FROM rows GROUP BY name ORDER BY name LIMIT 1"
    )
    assert answer.as_result()["rows"] == [{"name": "[[PERSON:abcdefghijklmnop]] c0", "ctr": 0.5}]


def test_a_large_answer_is_cut_and_says_so():
    answer = run("SELECT * FROM rows")
    assert len(answer.rows) == MAX_ANSWER_ROWS and answer.truncated


@pytest.mark.parametrize(
    ("sql", "reason", "message"),
    [
        ("DELETE FROM rows", "not-read-only", "only a read-only SELECT"),
        ("CREATE TABLE t AS SELECT 1", "not-read-only", "CREATE"),
        ("SET enable_external_access = true", "not-read-only", "SET"),
        ("SELECT 1; SELECT 2", "not-one-statement", "exactly one SELECT"),
        ("SELECT nope FROM rows", "unknown-column", "the columns of `rows` are: keys, clicks, ctr, campaign"),
        ("SELECT * FROM other", "unknown-table", "the stored rows are the table `rows`"),
        ("SELEC 1", "invalid-sql", "not valid SQL"),
        ("SELECT * FROM read_csv('/etc/hosts')", "not-permitted", "files, network or settings"),
        ("SELECT * FROM read_json_auto('http://example.com/x.json')", "not-permitted", "files, network"),
        ("", "empty-query", "give a SQL SELECT"),
    ],
)
def test_a_query_that_may_not_or_cannot_run_is_refused_with_a_reason_and_a_clear_message(
    sql, reason, message
):
    with pytest.raises(QueryRefused) as caught:
        run(sql)
    assert caught.value.reason == reason and message in str(caught.value)


def test_a_query_over_its_time_is_interrupted_and_refused():
    with pytest.raises(QueryRefused, match=r"ran longer than its limit of 0\.5 s") as caught:
        run("SELECT count(*) FROM rows a, rows b, rows c", seconds=0.5)
    assert caught.value.reason == "query-timeout"


def test_a_query_over_its_memory_is_refused():
    with pytest.raises(QueryRefused) as caught:
        run_query(ROWS, "SELECT list(a.keys) FROM rows a, rows b GROUP BY a.clicks, b.clicks, a.keys, b.keys",
                  seconds=20, memory_mb=16)  # fmt: skip
    assert caught.value.reason == "query-memory" and "more memory than its limit" in str(caught.value)


def test_handles_are_found_anywhere_under_an_argument_and_replaced_by_rows():
    rid = "a" * 32
    args = {"sheet": "s", "rows": f"veil://results/{rid}", "more": [{"x": f" veil://results/{rid} "}], "n": 1}
    assert sorted(find_handles(args)) == [("more", rid), ("rows", rid)]
    swapped = substitute(args, {rid: [{"k": 1}]})
    assert swapped == {"sheet": "s", "rows": [{"k": 1}], "more": [{"x": [{"k": 1}]}], "n": 1}
    assert list(find_handles({"text": f"see veil://results/{rid} please"})) == []  # only a whole string
    assert result_id_of(rid) == rid and result_id_of(f"veil://results/{rid}") == rid
    assert result_id_of("veil://results/xyz") is None and result_id_of(7) is None
