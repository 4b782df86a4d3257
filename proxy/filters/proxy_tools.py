"""A call filter answering the proxy's own tools: `veil_describe_tools`, `veil_search_tools` (the compact
and search catalogs, `proxy.catalog`; `veil_call_tool` is unwrapped before, `proxy.filters.call_tool`) and
`veil_query_result` (SQL over a stored result, `proxy.result_query`).

Such a call is never forwarded: the backend knows nothing of these tools. Definitions come from the
session's catalog, which holds them as the to-client scan left them (tokens only). A query's answer is new
text — sums, averages, rows the model has not seen — so it goes through the to-client filters like any
backend result before the client gets it; a query that may not or cannot run (not read-only, an unknown
column, over its time or memory) is answered with an error naming the problem and audited
(`result-queried`, with its reason, never the SQL).
"""

from __future__ import annotations

from typing import Any

import anyio
import mcp_types as types
import orjson

from proxy.call import Call
from proxy.catalog import CALL_TOOL, DESCRIBE_TOOL, MAX_DESCRIBE, SEARCH_LIMIT, SEARCH_TOOL, compact_tool
from proxy.chain import CONTINUE, Chain, Verdict, error_reply
from proxy.errors import LocalRequestError, to_jsonrpc_error
from proxy.result_handles import result_id_of, stored_rows
from proxy.result_query import QUERY_TOOL, Answer, QueryRefused, run_query
from proxy.transports.wire import SessionMessage
from vault import audit
from vault.errors import ResultUnavailable

OWN_TOOLS = frozenset({DESCRIBE_TOOL, SEARCH_TOOL, QUERY_TOOL})


def _result(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "content": [{"type": "text", "text": orjson.dumps(data).decode()}],
        "structuredContent": data,
        "isError": False,
    }


class ProxyTools:
    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.session = chain.session

    async def on_request(self, call: Call) -> Verdict:
        msg = call.message
        if msg.method != "tools/call" or not isinstance(msg.params, dict):
            return CONTINUE
        name = msg.params.get("name")
        if name not in OWN_TOOLS:
            return CONTINUE
        args = msg.params.get("arguments") or {}
        try:
            if not isinstance(args, dict):
                raise LocalRequestError(f"mcp-veil: {name} takes an object of arguments")
            if name == DESCRIBE_TOOL:
                result = self._describe(args)
            elif name == SEARCH_TOOL:
                result = self._search(args)
            else:
                result = await self._query(call, args)
        except LocalRequestError as exc:  # the client's error, not a block: answered, audited where it ran
            return Verdict(answer=error_reply(msg.id, to_jsonrpc_error(exc)))
        return Verdict(answer=SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=msg.id, result=result)))

    def _describe(self, args: dict[str, Any]) -> dict[str, Any]:
        names = args.get("names")
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise LocalRequestError(f"mcp-veil: {DESCRIBE_TOOL} needs `names`, a list of tool names")
        if len(names) > MAX_DESCRIBE:
            raise LocalRequestError(f"mcp-veil: at most {MAX_DESCRIBE} names per call")
        catalog = self.session.catalog
        try:
            tools = catalog.describe(names)
        except KeyError as exc:
            raise LocalRequestError(
                f"mcp-veil: no tool named {exc.args[0]!r} in this session's tool list (list the tools first)"
            ) from None
        catalog.attached.update(names)  # described now: its first result need not carry it again
        return _result({"tools": tools})

    def _search(self, args: dict[str, Any]) -> dict[str, Any]:
        """Ranked hits; with `catalog: search` (the list shows no backend tool) each in compact form, what
        calling it takes, and no query at all lists every tool (up to the limit)."""
        search_mode = self.session.catalog_mode() == "search"
        query = args.get("query", "" if search_mode else None)
        limit = args.get("limit", MAX_DESCRIBE if search_mode and not query else SEARCH_LIMIT)
        if not isinstance(query, str) or not (query.strip() or search_mode):
            raise LocalRequestError(f"mcp-veil: {SEARCH_TOOL} needs a non-empty `query`")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise LocalRequestError("mcp-veil: `limit` must be a positive integer")
        catalog, limit = self.session.catalog, min(limit, MAX_DESCRIBE)
        if not search_mode:
            return _result({"tools": catalog.search(query, limit)})
        if query.strip():
            hits = [(h["name"], {"score": h["score"]}) for h in catalog.search(query, limit)]
        else:
            hits = [(name, {}) for name in list(catalog.tools)[:limit]]
        found = [compact_tool(catalog.tools[name]) | extra for name, extra in hits]
        more = {"of": len(catalog.tools), "call_with": CALL_TOOL, "full_definitions": DESCRIBE_TOOL}
        return _result({"tools": found, **more})

    async def _query(self, call: Call, args: dict[str, Any]) -> dict[str, Any]:
        result_id = result_id_of(args.get("result", args.get("result_id")))
        sql = args.get("sql")
        if result_id is None:
            raise LocalRequestError(
                f"mcp-veil: {QUERY_TOOL} needs `result`, a handle veil://results/ID (or the ID) from the "
                "note of a truncated result"
            )
        if not isinstance(sql, str):
            raise LocalRequestError(f"mcp-veil: {QUERY_TOOL} needs `sql`, one SELECT over the table `rows`")
        answer = await anyio.to_thread.run_sync(self._run, call, result_id, sql)
        payload = _result(answer.as_result())
        # New text no detector judged yet: through the to-client filters (tokenize, budget) like a result.
        scanned: dict[str, Any] = await self.chain.to_client(payload, "response", "tools/call", QUERY_TOOL)
        return scanned

    def _run(self, call: Call, result_id: str, sql: str) -> Answer:
        policy = self.session.policy
        ctx = self.session.context(direction="to-client", method=call.method, tool=QUERY_TOOL)
        rows: list[Any] = []
        try:
            try:
                rows = stored_rows(self.session.load_result(result_id))
            except ResultUnavailable:
                raise QueryRefused(
                    "unknown-result",
                    f"mcp-veil: the result {result_id} is unknown, has expired or belongs to another session",
                ) from None
            answer = run_query(rows, sql, seconds=policy.query_seconds, memory_mb=policy.query_memory_mb)
        except QueryRefused as exc:
            event = audit.ResultQueried.of(
                ctx, session_id=self.session.session_id, result_id=result_id, rows=len(rows),
                outcome="refused", reason=exc.reason,
            )  # fmt: skip
            self.session.vault.record([event])
            raise LocalRequestError(str(exc)) from None
        event = audit.ResultQueried.of(
            ctx, session_id=self.session.session_id, result_id=result_id, rows=len(rows),
            answer_rows=len(answer.rows), duration_ms=answer.seconds * 1000,
        )  # fmt: skip
        self.session.vault.record([event])
        return answer
