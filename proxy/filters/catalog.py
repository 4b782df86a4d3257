"""To the client, after tokenization: with `catalog: compact`, `tools/list` in its compact form (with
`catalog: search`, only the proxy's search and call tools), and the first result of each tool with that
tool's full definition.

The full definitions are kept in the session's catalog as the scan left them (`proxy.catalog`), so what
`veil_describe_tools` and an attached definition show was judged like the list itself. The proxy's own
tools are added to the last page of the list: `veil_describe_tools` always, `veil_search_tools` over the
policy's `search_over` (in search mode, the search and call tools, and no page lists a backend's tool).
One filter, one place where `tools/list` answers are touched for the catalog.
"""

from __future__ import annotations

from typing import Any

import orjson

from proxy.backend_config import SEPARATOR
from proxy.catalog import (
    DESCRIBE_TOOL_DEFINITION,
    PROXY_TOOLS,
    SEARCH_MODE_TOOLS,
    SEARCH_TOOL_DEFINITION,
    compact_tool,
)
from proxy.filters.flow import Flow


class CompactCatalog:
    def __call__(self, flow: Flow) -> None:
        if flow.kind != "response" or not isinstance(flow.payload, dict):
            return
        if not flow.session.compact_catalog():
            return
        if flow.method == "tools/list":
            _compact(flow)
        elif flow.method == "tools/call" and flow.tool is not None:
            _attach_definition(flow)


def _compact(flow: Flow) -> None:
    tools = flow.payload.get("tools")
    if not isinstance(tools, list):
        return
    catalog = flow.session.catalog
    own = [t for t in tools if isinstance(t, dict) and t.get("name") not in PROXY_TOOLS]
    catalog.remember(own)
    last_page = not flow.payload.get("nextCursor")  # the proxy's own tools go on it, once
    listed: list[Any]
    if flow.session.catalog_mode() == "search":  # the backends' tools are found and called through these
        listed = [dict(t) for t in SEARCH_MODE_TOOLS] if last_page else []
    else:
        listed = [compact_tool(t) for t in own]
        if last_page:
            listed.append(dict(DESCRIBE_TOOL_DEFINITION))
            if len(catalog.tools) > flow.policy.catalog_search_over:
                listed.append(dict(SEARCH_TOOL_DEFINITION))
    listed += [t for t in tools if isinstance(t, dict) and t.get("name") in PROXY_TOOLS]
    flow.payload["tools"] = listed
    flow.changed = True


def _attach_definition(flow: Flow) -> None:
    session = flow.session
    name = flow.tool
    if session.mux is not None and flow.backend:
        name = f"{flow.backend}{SEPARATOR}{flow.tool}"
    if name is None or name in PROXY_TOOLS:
        return
    definition = session.catalog.first_result(name)
    content = flow.payload.get("content")
    if definition is None or not isinstance(content, list):
        return
    text = orjson.dumps(definition).decode()
    content.append(
        {
            "type": "text",
            "text": f"mcp-veil: the full definition of tool `{name}` (the list is compact): {text}",
        }
    )
    flow.changed = True
