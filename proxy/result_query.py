"""Read-only SQL over a stored result's rows, in an embedded DuckDB: the answer to "which queries lost
clicks" is computed in the proxy, not by paging 25,000 rows through the model.

The rows are the stored, already tokenized ones: a query filters, sorts and groups tokens, never values,
and its answer goes through the to-client scan like any result (sums and averages are new numbers). The
engine is in memory, one per query, with file and network access off (`enable_external_access`), no
extension loading, one thread, a memory cap and its configuration locked before the model's SQL runs; a
timer interrupts a query past its time. Only a single SELECT (or WITH … SELECT) statement is accepted.

The rows are the table `rows`: one column per top-level key, nested objects as STRUCTs (`campaign.name`),
lists as LISTs (`keys[1]`, 1-based), types inferred from the JSON by DuckDB itself.
"""

from __future__ import annotations

import datetime
import decimal
import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    import duckdb  # imported by the functions that run a query: not on the path to `initialize`

QUERY_TOOL = "veil_query_result"
TABLE = "rows"
MAX_ANSWER_ROWS = 1000
MAX_SQL_CHARS = 20_000

QUERY_TOOL_DEFINITION: dict[str, Any] = {
    "name": QUERY_TOOL,
    "title": "Query a stored result (mcp-veil)",
    "description": (
        "Runs one read-only SQL SELECT (DuckDB dialect) over the rows of a stored result, table `rows`: "
        "filter, sort, top-N, GROUP BY with SUM/AVG/COUNT. Nested fields: campaign.name; lists: keys[1]. "
        "`result` is the handle veil://results/ID (or the ID) from the note of a truncated result."
    ),
    "inputSchema": {
        "type": "object",
        "properties": {"result": {"type": "string"}, "sql": {"type": "string"}},
        "required": ["result", "sql"],
    },
}


class QueryRefused(Exception):
    """A query that does not run: not read-only, unknown column, invalid SQL, over its time or memory.
    `reason` is from a fixed vocabulary (audit rows carry it); the message names the problem."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Answer:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    seconds: float
    scanned: int  # rows of the stored result the query ran over

    def as_result(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": [dict(zip(self.columns, r, strict=True)) for r in self.rows],
            "row_count": len(self.rows),
            "truncated": self.truncated,
            "scanned_rows": self.scanned,
            "seconds": round(self.seconds, 4),
        }


def run_query(rows: list[Any], sql: str, *, seconds: float, memory_mb: int) -> Answer:
    """Run `sql` over `rows`; QueryRefused with a clear message when it cannot or may not run."""
    if not isinstance(sql, str) or not sql.strip():
        raise QueryRefused("empty-query", "mcp-veil: give a SQL SELECT in `sql`")
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused("query-too-long", f"mcp-veil: the query is over {MAX_SQL_CHARS} characters")
    started = time.perf_counter()
    con = _engine(memory_mb)
    try:
        _check_read_only(con, sql)
        _load(con, rows)
        con.execute("SET lock_configuration = true")
        columns, fetched = _timed(con, sql, seconds)
    finally:
        con.close()
    plain = [[_plain(v) for v in row] for row in fetched[:MAX_ANSWER_ROWS]]
    return Answer(columns, plain, len(fetched) > MAX_ANSWER_ROWS, time.perf_counter() - started, len(rows))


def _engine(memory_mb: int) -> duckdb.DuckDBPyConnection:
    import duckdb

    return duckdb.connect(
        ":memory:",
        config={
            "enable_external_access": False,
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "allow_community_extensions": False,
            "threads": 1,
            "memory_limit": f"{memory_mb}MB",
            "max_temp_directory_size": "0B",
        },
    )


def _check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    import duckdb

    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(
            "invalid-sql", f"mcp-veil: the query is not valid SQL: {_first_line(exc)}"
        ) from None
    if len(statements) != 1:
        raise QueryRefused("not-one-statement", "mcp-veil: give exactly one SELECT statement")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryRefused(
            "not-read-only",
            f"mcp-veil: only a read-only SELECT may run over a stored result (this is {kind.name})",
        )


def _load(con: duckdb.DuckDBPyConnection, rows: list[Any]) -> None:
    """`rows` as the table `rows`, types inferred by DuckDB from the JSON (objects → columns)."""
    records = [r if isinstance(r, dict) else {"value": r} for r in rows]
    if not records:
        con.execute(f"CREATE TABLE {TABLE} (value VARCHAR)")
        return
    text = orjson.dumps(records).decode()
    # A fresh name for the parameter-holding view: the model's SQL only ever sees `rows`.
    structure = con.execute("SELECT json_structure(?::JSON)", [text]).fetchone()
    shape = structure[0] if structure else None
    con.execute(
        f"CREATE TABLE {TABLE} AS SELECT unnest(r) FROM "
        f"(SELECT unnest(json_transform(?::JSON, ?)) AS r) AS t_{uuid.uuid4().hex[:8]}",
        [text, shape],
    )


def _timed(con: duckdb.DuckDBPyConnection, sql: str, seconds: float) -> tuple[list[str], list[Any]]:
    """Run and fetch (a streamed query does its work while it is fetched) under the time limit."""
    import duckdb

    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        cur = con.execute(sql)
        return [d[0] for d in cur.description or []], cur.fetchmany(MAX_ANSWER_ROWS + 1)
    except duckdb.InterruptException:
        raise QueryRefused(
            "query-timeout", f"mcp-veil: the query ran longer than its limit of {seconds:g} s"
        ) from None
    except duckdb.OutOfMemoryException:
        raise QueryRefused("query-memory", "mcp-veil: the query needed more memory than its limit") from None
    except duckdb.BinderException as exc:
        message = _first_line(exc)
        if "not found" in message and "olumn" in message:
            columns = [r[0] for r in con.execute(f"DESCRIBE {TABLE}").fetchall()]
            raise QueryRefused(
                "unknown-column",
                f"mcp-veil: {message}; the columns of `{TABLE}` are: {', '.join(columns)}",
            ) from None
        raise QueryRefused("invalid-query", f"mcp-veil: {message}") from None
    except duckdb.CatalogException as exc:
        raise QueryRefused(
            "unknown-table", f"mcp-veil: {_first_line(exc)} (the stored rows are the table `{TABLE}`)"
        ) from None
    except duckdb.PermissionException:
        raise QueryRefused(
            "not-permitted", "mcp-veil: the query asks for files, network or settings"
        ) from None
    except duckdb.Error as exc:
        raise QueryRefused("invalid-query", f"mcp-veil: the query failed: {_first_line(exc)}") from None
    finally:
        timer.cancel()


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def _plain(value: Any) -> Any:
    """A DuckDB value as JSON has it."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.time | datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID | bytes):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
