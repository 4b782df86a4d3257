"""To the client, after tokenization: a result over its budget is cut to a page plus a summary."""

from __future__ import annotations

from typing import Any

import orjson

from proxy import budget
from proxy.filters.flow import Flow
from proxy.filters.tokenize import Tokenize
from proxy.policy import Budget
from proxy.result_query import QUERY_TOOL_DEFINITION
from proxy.scan.shapes import number_text
from proxy.worker import Finish


class ResponseBudget:
    """Named apart from `policy.Budget`, the limits it applies. On the event loop it only decides: storing a
    result (and scanning its summary) is the vault's work, handed to the chain for a worker."""

    def __call__(self, flow: Flow) -> None:
        finish = self.on_loop(flow)
        if finish is not None:
            finish()

    def on_loop(self, flow: Flow) -> Finish | None:
        if flow.method == "tools/list" and flow.kind == "response":
            _offer_page_tool(flow)  # only once this session has a stored result: otherwise transparent
            return None
        if flow.method != "tools/call" or flow.kind != "response" or not isinstance(flow.payload, dict):
            return None
        limits = flow.policy.budget_for(flow.tool)
        if limits is None:
            return None
        doc, text_block = _document(flow.payload)
        if doc is None:
            return None
        target = budget.find_rows(doc)
        if target is None or len(target.rows) <= 1:
            return None
        size = len(orjson.dumps(doc))
        if len(target.rows) <= limits.max_items and size <= limits.max_bytes:
            if flow.policy.keeps_results(flow.tool):
                return lambda: _keep(flow, target.rows, limits.ttl)
            return None
        return lambda: _cut(flow, doc, text_block, target, limits)


def _cut(flow: Flow, doc: Any, text_block: Any, target: budget.Target, limits: Budget) -> None:
    """The result over its budget becomes its first page, a scanned summary and a note; all of it is stored
    for paging."""
    payload = flow.payload
    rows = target.rows
    shown = budget.first_rows(rows, limits.max_items, limits.max_bytes)
    summary = _scanned(flow, budget.summarize(rows))
    stored = orjson.dumps({"rows": rows, "page_size": shown}).decode()
    result_id = flow.session.store_result(stored, limits.ttl, flow)
    _offer_from_now_on(flow)
    page = rows[:shown]
    if target.holder is None:
        doc = page
        if "structuredContent" in payload:
            payload["structuredContent"] = page
    else:
        target.holder[target.key] = page
    note = budget.note(result_id, shown, len(rows), shown) + budget.handle_note(result_id, rows)
    content = [c for c in payload.get("content", []) if c is not text_block]
    if text_block is not None or "structuredContent" in payload:
        text = orjson.dumps(doc).decode()
        content.insert(0, {"type": "text", "text": text})
    content.append({"type": "text", "text": note + "\nSummary: " + orjson.dumps(summary).decode()})
    payload["content"] = content
    meta = payload.setdefault("_meta", {})
    if isinstance(meta, dict):
        meta["io.mcp-veil/budget"] = {"resultId": result_id, "shown": shown, "total": len(rows)}
    flow.changed = True


def _offer_from_now_on(flow: Flow) -> None:
    if not flow.session.offers_page_tool:
        # From now on the tool list carries the paging and query tools; tell the client to list again.
        flow.session.offers_page_tool = True
        flow.follow_ups.append("notifications/tools/list_changed")


def _keep(flow: Flow, rows: list[Any], ttl: Any) -> None:
    """A result within its budget of a tool with `keep_results: true`: shown whole, and stored so its
    handle can be passed on or queried."""
    stored = orjson.dumps({"rows": rows, "page_size": max(len(rows), 1)}).decode()
    result_id = flow.session.store_result(stored, ttl, flow)
    _offer_from_now_on(flow)
    content = flow.payload.setdefault("content", [])
    if isinstance(content, list):
        content.append(
            {"type": "text", "text": "mcp-veil: result kept." + budget.handle_note(result_id, rows)}
        )
    meta = flow.payload.setdefault("_meta", {})
    if isinstance(meta, dict):
        meta["io.mcp-veil/budget"] = {"resultId": result_id, "shown": len(rows), "total": len(rows)}
    flow.changed = True


def _scanned(flow: Flow, summary: dict[str, Any]) -> dict[str, Any]:
    """The summary as the to-client scan leaves it: it holds text and numbers no detector judged yet (sums,
    extremes, values cut short), so it goes through the same stage as the result did. Its statistics sit
    under metric words (`sum`, `max`), which the walker exempts: each one whose digits hold something (a
    sum that happens to be a card number, a known value) is dropped instead (it is no identifier). A
    statistic is read as its integral digits and as all its digits (a mean of 5100000000000000.8 shows a
    card's sixteen digits across its point)."""
    stats = [
        (col, name, texts)
        for col, entry in summary.get("columns", {}).items()
        for name, value in entry.items()
        if (texts := _stat_texts(value))
    ]
    if stats:
        unique = list(dict.fromkeys(t for *_, texts in stats for t in texts))
        found = flow.detector.detect(unique, flow.session.known, on_loop=flow.on_loop)
        for col, name, texts in stats:
            if any(t in found for t in texts):
                summary["columns"][col][name] = None
    sub = Flow(flow.direction, flow.session, {"summary": summary}, flow.kind, flow.method, flow.tool)
    sub.backend = flow.backend
    sub.on_loop = flow.on_loop  # the guard: in a worker, both are off
    Tokenize()(sub)
    for entity, n in sub.counts.items():
        flow.counts[entity] = flow.counts.get(entity, 0) + n
    scanned: dict[str, Any] = sub.payload["summary"]
    return scanned


def _stat_texts(value: Any) -> list[str]:
    if type(value) is not float and type(value) is not int:
        return []
    texts = [t for t in (number_text(value), repr(value).partition("e")[0].replace(".", "")) if t]
    return [t for t in dict.fromkeys(texts) if len(t.lstrip("-")) >= 7]


def _document(payload: dict[str, Any]) -> tuple[Any, Any]:
    """The result's data: structuredContent, else the first text block holding a JSON document."""
    structured = payload.get("structuredContent")
    text_block = None
    for block in payload.get("content") or []:
        if isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str):
            text = block["text"].lstrip()
            if text[:1] in ("{", "["):
                text_block = block
                break
    if structured is not None:
        return structured, text_block
    if text_block is not None:
        try:
            return orjson.loads(text_block["text"]), text_block
        except orjson.JSONDecodeError:
            return None, None
    return None, None


def _offer_page_tool(flow: Flow) -> None:
    tools = flow.payload.get("tools") if isinstance(flow.payload, dict) else None
    offered = isinstance(tools, list) and any(
        isinstance(t, dict) and t.get("name") == budget.PAGE_TOOL for t in tools
    )
    if isinstance(tools, list) and flow.session.offers_page_tool and not offered:
        tools.append(dict(budget.PAGE_TOOL_DEFINITION))
        tools.append(dict(QUERY_TOOL_DEFINITION))
        flow.changed = True
