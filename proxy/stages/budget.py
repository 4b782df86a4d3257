"""To the client, after tokenization: a result over its budget is cut to a page plus a summary."""

from __future__ import annotations

from typing import Any

import orjson

from proxy import budget
from proxy.stages.base import Flow


class Budget:
    name = "budget"

    def __call__(self, flow: Flow) -> None:
        if flow.method == "tools/list" and flow.kind == "response":
            _offer_page_tool(flow)  # only once this session has a stored result: otherwise transparent
            return
        if flow.method != "tools/call" or flow.kind != "response" or not isinstance(flow.payload, dict):
            return
        limits = flow.policy.budget_for(flow.tool)
        if limits is None:
            return
        payload = flow.payload
        doc, text_block = _document(payload)
        if doc is None:
            return
        target = budget.find_rows(doc)
        if target is None or len(target.rows) <= 1:
            return
        size = len(orjson.dumps(doc))
        if len(target.rows) <= limits.max_items and size <= limits.max_bytes:
            return
        rows = target.rows
        shown = budget.first_rows(rows, limits.max_items, limits.max_bytes)
        stored = orjson.dumps({"rows": rows, "page_size": shown}).decode()
        result_id = flow.session.store_result(stored, limits.ttl, flow)
        if not flow.session.offers_page_tool:
            # From now on the tool list carries the paging tool; tell the client to list again.
            flow.session.offers_page_tool = True
            flow.follow_ups.append("notifications/tools/list_changed")
        summary = budget.summarize(rows)
        page = rows[:shown]
        if target.holder is None:
            doc = page
            if "structuredContent" in payload:
                payload["structuredContent"] = page
        else:
            target.holder[target.key] = page
        note = budget.note(result_id, shown, len(rows), shown)
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
        flow.changed = True
