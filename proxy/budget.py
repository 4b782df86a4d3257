"""Response budgets: how a result too large for a model's context becomes a page, a summary and a note.

The model gets the first rows, a summary computed here over all of them (row count, totals and averages
of numeric columns, top values of the others) and a note saying how to page. A summary is new text the
detectors have not judged: sums and extremes are numbers no row held, top values are cut to a length. So a
numeric column of identifier-sized numbers under a key that names no quantity (`ref`, `id`, `account`) gets
only its count of distinct values, and the filter (`proxy.filters.budget`) sends the whole summary through
the to-client scan before it reaches the model; the full, already tokenized
result stays in the vault (encrypted, with a TTL) and is paged through the `veil_result_page` tool or the
`veil://results/{id}?page=k` resource, both answered by the proxy itself (`answer_page_request`, hooked in
by the first call filter, `proxy.filters.local_pages`). The limits themselves are the policy's
(`policy.Budget`, per tool with `budget_for`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import orjson

from proxy.errors import LocalRequestError
from proxy.scan.shapes import BIG_INT, is_metric_key
from vault.errors import ResultUnavailable

if TYPE_CHECKING:
    import mcp_types as types

    from proxy.session import ProxySession

PAGE_TOOL = "veil_result_page"
QUERY_TOOL = "veil_query_result"  # proxy.result_query; named here so this module imports no engine
RESULT_URI = "veil://results/"
MAX_COLUMNS = 30
TOP_VALUES = 5

PAGE_TOOL_DEFINITION: dict[str, Any] = {
    "name": PAGE_TOOL,
    "title": "Page through a large result (mcp-veil)",
    "description": (
        "Returns one page of a tool result that was too large to show at once. Use the result_id from "
        "the note that came with the truncated result; pages are numbered from 1."
    ),
    "inputSchema": {
        "type": "object",
        "properties": {"result_id": {"type": "string"}, "page": {"type": "integer", "minimum": 1}},
        "required": ["result_id", "page"],
    },
}


@dataclass
class Target:
    """The list a result's size comes from, and how to put a shorter one in its place."""

    rows: list[Any]
    holder: Any  # the dict holding the list, or None when the document itself is the list
    key: str | None


def find_rows(doc: Any) -> Target | None:
    """The largest list at the top of a document or one level down (`{"rows": [...]}`,
    `{"data": {"results": [...]}}`)."""
    if isinstance(doc, list):
        return Target(doc, None, None)
    if not isinstance(doc, dict):
        return None
    best: Target | None = None
    for key, value in doc.items():
        candidates = [Target(value, doc, key)] if isinstance(value, list) else []
        if isinstance(value, dict):
            candidates += [Target(v, value, k) for k, v in value.items() if isinstance(v, list)]
        for c in candidates:
            if best is None or len(c.rows) > len(best.rows):
                best = c
    return best


def first_rows(rows: list[Any], max_items: int, max_bytes: int) -> int:
    """How many leading rows fit both limits (at least one)."""
    n = min(len(rows), max_items)
    while n > 1 and len(orjson.dumps(rows[:n])) > max_bytes:
        n //= 2
    return max(n, 1)


def _flatten(row: Any, prefix: str = "", depth: int = 0) -> dict[str, Any]:
    if isinstance(row, dict) and depth < 3:
        out: dict[str, Any] = {}
        for k, v in row.items():
            out.update(_flatten(v, f"{prefix}{k}." if isinstance(v, dict) else f"{prefix}{k}", depth + 1))
        return out
    if isinstance(row, list) and depth < 3 and all(not isinstance(v, dict | list) for v in row):
        return {f"{prefix}[{i}]": v for i, v in enumerate(row)}
    return {prefix.rstrip(".") or "value": row}


def summarize(rows: list[Any]) -> dict[str, Any]:
    """Row count; per column, sum/mean/min/max of numbers or the most frequent values of the rest."""
    numeric: dict[str, list[float]] = {}
    other: dict[str, Counter[str]] = {}
    for row in rows:
        for col, value in _flatten(row).items():
            if col not in numeric and col not in other and len(numeric) + len(other) >= MAX_COLUMNS:
                continue
            if isinstance(value, bool) or value is None or isinstance(value, dict | list):
                other.setdefault(col, Counter())[str(value)] += 1
            elif isinstance(value, int | float):
                numeric.setdefault(col, []).append(float(value))
            else:
                other.setdefault(col, Counter())[str(value)[:120]] += 1
    columns: dict[str, Any] = {}
    for col, values in numeric.items():
        if not is_metric_key(col) and (max(values) >= BIG_INT or min(values) <= -BIG_INT):
            columns[col] = {"distinct": len(set(values))}  # identifiers: no sum, no extreme carries one
            continue
        total = sum(values)
        columns[col] = {
            "sum": round(total, 6),
            "mean": round(total / len(values), 6),
            "min": min(values),
            "max": max(values),
        }
    for col, counts in other.items():
        if col in columns:
            continue
        columns[col] = {"distinct": len(counts), "top": [[v, n] for v, n in counts.most_common(TOP_VALUES)]}
    return {"rows": len(rows), "columns": columns}


def note(result_id: str, shown: int, total: int, page_size: int) -> str:
    pages = -(-total // page_size)
    return (
        f"mcp-veil: showing {shown} of {total} rows (response budget). The summary covers all {total} rows. "
        f'For more, call the tool `{PAGE_TOOL}` with result_id "{result_id}" and page 2..{pages} '
        f"({page_size} rows a page), or read the resource {RESULT_URI}{result_id}?page=2."
    )


def handle_note(result_id: str, rows: list[Any]) -> str:
    """What else the stored rows are good for: a query in the proxy (records only) and a handle to pass."""
    handle = f"{RESULT_URI}{result_id}"
    text = f" To pass all {len(rows)} rows to a tool that accepts results, give it the handle {handle}."
    columns = list(dict.fromkeys(k for r in rows[:50] if isinstance(r, dict) for k in r))[:MAX_COLUMNS]
    if columns:
        text += (
            f" To filter, sort, rank or group them here instead of paging, call `{QUERY_TOOL}` with result "
            f'"{handle}" and one SQL SELECT over the table `rows` (columns: {", ".join(columns)}).'
        )
    return text


def page_of(stored: str, page: int, page_size: int) -> dict[str, Any]:
    """One page of a stored result: {rows, page, pages, total}."""
    doc = orjson.loads(stored)
    rows = doc["rows"]
    size = int(doc.get("page_size") or page_size)
    pages = max(1, -(-len(rows) // size))
    if page < 1 or page > pages:
        raise ValueError(f"page {page} is out of range 1..{pages}")
    return {"rows": rows[(page - 1) * size : page * size], "page": page, "pages": pages, "total": len(rows)}


DEFAULT_PAGE_SIZE = 100  # for a stored result that does not say its page size


def is_page_request(msg: types.JSONRPCRequest) -> bool:
    """A `veil_result_page` call or a `veil://results/…` read: answered by the proxy itself."""
    params = msg.params or {}
    if msg.method == "tools/call":
        return params.get("name") == PAGE_TOOL
    if msg.method == "resources/read":
        uri = params.get("uri")
        return isinstance(uri, str) and uri.startswith(RESULT_URI)
    return False


def answer_page_request(session: ProxySession, msg: types.JSONRPCRequest) -> dict[str, Any]:
    """The result for a request `is_page_request` accepted (it reads the vault: call it from a worker);
    LocalRequestError with a clear message otherwise."""
    params = msg.params or {}
    if msg.method == "tools/call":
        args = params.get("arguments") or {}
        result_id, page = args.get("result_id"), args.get("page", 1)
        if not isinstance(result_id, str) or not isinstance(page, int) or isinstance(page, bool):
            raise LocalRequestError("mcp-veil: veil_result_page needs a string result_id and an integer page")
        data = _page(session, result_id, page)
        return {
            "content": [{"type": "text", "text": orjson.dumps(data).decode()}],
            "structuredContent": data,
            "isError": False,
        }
    uri = str(params.get("uri"))
    parts = urlsplit(uri)
    result_id = uri[len(RESULT_URI) :].split("?", 1)[0]
    try:
        page = int(parse_qs(parts.query).get("page", ["1"])[0])
    except ValueError:
        raise LocalRequestError("mcp-veil: the page must be a number") from None
    data = _page(session, result_id, page)
    return {"contents": [{"uri": uri, "mimeType": "application/json", "text": orjson.dumps(data).decode()}]}


def _page(session: ProxySession, result_id: str, page: int) -> dict[str, Any]:
    try:
        stored = session.load_result(result_id)
    except ResultUnavailable:
        raise LocalRequestError(
            "mcp-veil: that result is unknown, has expired, or belongs to another session"
        ) from None
    try:
        return page_of(stored, page, DEFAULT_PAGE_SIZE)
    except ValueError as exc:
        raise LocalRequestError(f"mcp-veil: {exc}") from None
