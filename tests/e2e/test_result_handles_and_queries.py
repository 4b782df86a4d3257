"""Result handles and queries over stored results, through real subprocesses: `veil run --config` in front
of the offline Search Console server and a spreadsheet server (examples.sheets_server), with the SDK client.

25,000 Search Console rows go from `search_analytics_query` to `append_rows` by handle: the sheet gets them
whole with real values, the client only a page, a summary and the handle. The same stored rows are grouped
in the proxy with `veil_query_result` and checked against the same computation on the raw rows, which come
from the same server called directly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters

from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
ARGS = {"start_date": "2026-10-01", "end_date": "2026-10-28", "row_limit": 25_000}
POLICY = """version: 1
name: results-e2e
tools:
  append_rows:
    accepts_results: [rows]
limits:
  query_seconds: 5
"""


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def proxy(tmp_path: Path, env: dict[str, str]) -> StdioServerParameters:
    py = sys.executable
    (tmp_path / "results.yaml").write_text(POLICY)
    config = tmp_path / "veil.toml"
    config.write_text(
        f"""
[backends.console]
command = {toml_list([py, "-m", "examples.search_console_server", "--mode", "offline"])}

[backends.sheets]
command = {toml_list([py, "-m", "examples.sheets_server"])}
env = {{ VEIL_EXAMPLE_TRACE = {json.dumps(str(tmp_path / "sheets-trace.jsonl"))} }}

[[share]]
from = "console"
to = ["sheets"]
"""
    )
    args = ["-m", "proxy", "run", "--config", str(config), "--policy", str(tmp_path / "results.yaml")]
    return StdioServerParameters(command=py, args=args, env=dict(env), cwd=str(ROOT))


def direct_console(env: dict[str, str]) -> StdioServerParameters:
    py = sys.executable
    args = ["-m", "examples.search_console_server", "--mode", "offline"]
    return StdioServerParameters(command=py, args=args, env=dict(env), cwd=str(ROOT))


async def raw_rows(env: dict[str, str]) -> list[dict[str, Any]]:
    """The 25,000 rows as the server gives them, without the proxy."""
    async with Client(direct_console(env), mode="legacy") as client:
        site = (await client.call_tool("list_sites", {})).structured_content["siteEntry"][0]["siteUrl"]
        result = await client.call_tool("search_analytics_query", {"site_url": site, **ARGS})
    rows: list[dict[str, Any]] = result.structured_content["rows"]
    return rows


async def stored_query_result(client: Client) -> tuple[Any, str]:
    """The 25,000-row query through the proxy: (its result as the client got it, its handle)."""
    sites = (await client.call_tool("console__list_sites", {})).structured_content["siteEntry"]
    result = await client.call_tool(
        "console__search_analytics_query", {"site_url": sites[0]["siteUrl"], **ARGS}
    )
    return result, "veil://results/" + result.meta["io.mcp-veil/budget"]["resultId"]


def received(*results: Any) -> str:
    """Everything the client got in these results, as one text."""
    return "".join(r.model_dump_json(by_alias=True) for r in results)


def audit(env: dict[str, str], event: str) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "proxy", "audit", "query", "--event", event, "--json", "--oldest-first"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


async def test_25000_rows_handed_to_another_tool_arrive_whole_with_real_values_and_never_reach_the_client(
    veil_env, tmp_path
):
    raw = await raw_rows(veil_env)
    with anyio.fail_after(240):
        async with Client(proxy(tmp_path, veil_env), mode="legacy") as client:
            result, handle = await stored_query_result(client)
            started = time.perf_counter()
            written = await client.call_tool(
                "sheets__append_rows", {"spreadsheet_id": "weekly", "rows": handle}
            )
            handed_seconds = time.perf_counter() - started
    trace = [json.loads(line) for line in (tmp_path / "sheets-trace.jsonl").read_text().splitlines()]
    sheet_rows = trace[0]["arguments"]["rows"]
    assert len(raw) == 25_000 and sheet_rows == raw  # whole, in order, every value real
    assert TOKEN_RE.search(json.dumps(sheet_rows)) is None
    assert written.structured_content["updatedRows"] == 25_000
    shown = result.structured_content["rows"]
    assert len(shown) == 100  # the client saw a page
    client_text = received(result, written)
    personal = {k for r in raw for k in r["keys"] if "@" in k}
    assert personal and not any(value in client_text for value in personal)
    assert len(client_text) < len(json.dumps(raw)) / 20  # the rows did not pass through the client
    rows = audit(veil_env, "result-handed")
    assert [(r["fields"]["rows"], r["fields"]["argument"], r["tool"]) for r in rows] == [
        (25_000, "rows", "append_rows")
    ]
    print(f"\n25,000 rows handed from search_analytics_query to append_rows in {handed_seconds:.2f} s")


async def test_a_group_by_over_the_stored_25000_rows_matches_the_same_computation_on_the_raw_rows(
    veil_env, tmp_path
):
    raw = await raw_rows(veil_env)
    sql = (
        "SELECT keys[2] AS page, sum(clicks) AS clicks, sum(impressions) AS impressions, count(*) AS n "
        "FROM rows GROUP BY page ORDER BY clicks DESC, page LIMIT 20"
    )
    with anyio.fail_after(240):
        async with Client(proxy(tmp_path, veil_env), mode="legacy") as client:
            _, handle = await stored_query_result(client)
            started = time.perf_counter()
            grouped = await client.call_tool("veil_query_result", {"result": handle, "sql": sql})
            seconds = time.perf_counter() - started
            distinct = await client.call_tool(
                "veil_query_result",
                {"result": handle, "sql": "SELECT count(DISTINCT keys[1]) AS q FROM rows"},
            )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in raw:
        t = totals[row["keys"][1]]
        t[0] += row["clicks"]
        t[1] += row["impressions"]
        t[2] += 1
    expected = sorted(([p, *t] for p, t in totals.items()), key=lambda e: (-e[1], e[0]))[:20]
    answer = grouped.structured_content
    assert [[r["page"], r["clicks"], r["impressions"], r["n"]] for r in answer["rows"]] == expected
    assert answer["scanned_rows"] == 25_000
    assert distinct.structured_content["rows"] == [{"q": len({r["keys"][0] for r in raw})}]
    queried = audit(veil_env, "result-queried")
    assert [r["fields"]["answer_rows"] for r in queried] == [20, 1]
    assert all("SELECT" not in json.dumps(r) for r in queried)  # the SQL is never recorded
    print(
        f"\ngroup-by over 25,000 stored rows: {answer['seconds']:.3f} s in the engine, "
        f"{seconds:.2f} s the call"
    )


async def test_bad_handles_and_bad_queries_are_refused_with_a_clear_error_audited_and_nothing_forwarded(
    veil_env, tmp_path
):
    unknown = "veil://results/" + "0" * 32
    cross = "SELECT count(*) FROM rows a, rows b, rows c"
    with anyio.fail_after(240):
        async with Client(proxy(tmp_path, veil_env), mode="legacy") as client:
            _, handle = await stored_query_result(client)
            errors = {}
            calls = {
                "not accepted": ("sheets__sheet_summary", {"spreadsheet_id": handle}),
                "unknown handle": ("sheets__append_rows", {"spreadsheet_id": "w", "rows": unknown}),
                "not read-only": ("veil_query_result", {"result": handle, "sql": "DELETE FROM rows"}),
                "unknown column": ("veil_query_result", {"result": handle, "sql": "SELECT nope FROM rows"}),
                "a file": ("veil_query_result", {"result": handle, "sql": "FROM read_csv('/etc/hosts')"}),
                "too long": ("veil_query_result", {"result": handle, "sql": cross}),
                "unknown result": ("veil_query_result", {"result": unknown, "sql": "SELECT 1"}),
            }  # fmt: skip
            for what, (tool, args) in calls.items():
                with pytest.raises(MCPError) as caught:
                    await client.call_tool(tool, args)
                errors[what] = caught.value.error.message
    assert "does not accept a stored result in argument 'spreadsheet_id'" in errors["not accepted"]
    assert "unknown, has expired or belongs to another session" in errors["unknown handle"]
    assert "only a read-only SELECT" in errors["not read-only"] and "DELETE" in errors["not read-only"]
    assert (
        'column "nope" not found' in errors["unknown column"] and "keys, clicks" in errors["unknown column"]
    )
    assert "files, network or settings" in errors["a file"]
    assert "ran longer than its limit of 5 s" in errors["too long"]
    assert "unknown, has expired or belongs to another session" in errors["unknown result"]
    trace = tmp_path / "sheets-trace.jsonl"
    assert not trace.exists() or trace.read_text() == ""  # nothing reached the sheet
    blocked = [r["reason"] for r in audit(veil_env, "message-blocked")]
    assert blocked.count("HandleRefused") == 2
    refused = [r["fields"]["reason"] for r in audit(veil_env, "result-queried")]
    assert refused == ["not-read-only", "unknown-column", "not-permitted", "query-timeout", "unknown-result"]
