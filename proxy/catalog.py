"""The compact tool catalog: what `tools/list` shows when `catalog: compact` or `catalog: search`, and the
full definitions kept for the session.

A client loads every tool definition at connection, and with several backends behind one front that is most
of a model's context before it has done anything. In compact form each tool keeps its name, title, hints,
the first line of its description and an input schema without per-property prose (names, types, required,
enums stay, so every tool can still be called). The full definitions, as the to-client scan left them
(tokens only), stay here: `veil_describe_tools` answers with them, the first result of each tool in a
session carries its own, and over `search_over` tools `veil_search_tools` ranks them by BM25 over name and
description, computed here (offline, no index to download).

`catalog: search` goes further, for catalogs whose descriptions are one line already (there, trimming prose
cuts half at most, and even names alone with an empty schema cost more than a tenth of the full list):
`tools/list` shows only `veil_search_tools`, which answers with the compact form of the tools it finds, and
`veil_call_tool`, which calls any of them by name (`proxy.filters.call_tool`). The backends' tools are
still called by their own names too: the proxy forwards any `tools/call`, listed or not.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

DESCRIBE_TOOL = "veil_describe_tools"
SEARCH_TOOL = "veil_search_tools"
CALL_TOOL = "veil_call_tool"
MAX_DESCRIBE = 50  # names per veil_describe_tools call
SEARCH_LIMIT = 10

DESCRIBE_TOOL_DEFINITION: dict[str, Any] = {
    "name": DESCRIBE_TOOL,
    "description": "Full definitions of the named tools (listed in short form).",
    "inputSchema": {
        "type": "object",
        "properties": {"names": {"type": "array", "items": {"type": "string"}}},
        "required": ["names"],
    },
}
SEARCH_TOOL_DEFINITION: dict[str, Any] = {
    "name": SEARCH_TOOL,
    "description": "Find tools: ranks them by how well name and description match a query.",
    "inputSchema": {
        "type": "object",
        "properties": {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1}},
        "required": ["query"],
    },
}
# `catalog: search`: the whole list. Short on purpose: with a catalog of 7 tools whose descriptions are one
# line, these two definitions are most of what is left of 1,000 tokens.
SEARCH_MODE_TOOLS: tuple[dict[str, Any], ...] = (
    {
        "name": SEARCH_TOOL,
        "description": "Find tools by keywords (none: all of them).",
        "inputSchema": {"type": "object", "properties": {"query": {"type": "string"}}},  # `limit` unlisted
    },
    {
        "name": CALL_TOOL,
        "description": "Call a tool found by veil_search_tools.",
        "inputSchema": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "arguments": {"type": "object"}},
            "required": ["name"],
        },
    },
)
PROXY_TOOLS = frozenset({DESCRIBE_TOOL, SEARCH_TOOL, CALL_TOOL})

# Schema keywords that only explain: dropped from a compact input schema at every depth.
_PROSE = frozenset(
    {"description", "title", "examples", "default", "$comment", "$schema", "markdownDescription"}
)
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")


def first_line(text: Any) -> str:
    """A description's first non-empty line, and of a long one its first sentence; at most 160 characters."""
    if not isinstance(text, str):
        return ""
    for line in text.strip().splitlines():
        if line.strip():
            line = line.strip()
            if len(line) > 100:
                line = _SENTENCE_END.split(line, 1)[0]
            return line if len(line) <= 160 else line[:159] + "…"
    return ""


def lean_schema(schema: Any) -> Any:
    """A JSON schema without its prose keywords (descriptions, titles, examples, defaults), at every depth;
    property names, types, `required`, enums and bounds stay."""
    if isinstance(schema, dict):
        nullable = _nullable_type(schema)
        if nullable is not None:
            return nullable
        return {
            k: (lean_properties(v) if k in ("properties", "$defs", "definitions") else lean_schema(v))
            for k, v in schema.items()
            if k not in _PROSE
        }
    if isinstance(schema, list):
        return [lean_schema(v) for v in schema]
    return schema


def _nullable_type(schema: dict[str, Any]) -> dict[str, Any] | None:
    """`{"anyOf": [{"type": T}, {"type": "null"}], ...}` (what Python servers emit for `T | None`) as
    `{"type": [T, "null"]}`: the same values, a third of the text. None for any other schema."""
    options = schema.get("anyOf")
    if not isinstance(options, list) or len(options) != 2 or set(schema) - _PROSE - {"anyOf"}:
        return None
    if not all(isinstance(o, dict) and set(o) == {"type"} and isinstance(o["type"], str) for o in options):
        return None
    kinds = [o["type"] for o in options]
    return {"type": kinds} if "null" in kinds else None


def _hints(annotations: dict[str, Any]) -> dict[str, Any]:
    """The hints that say something: those off their protocol default, and of a read-only tool not the
    ones the protocol says only a writing tool has (destructive, idempotent)."""
    defaults = {
        "readOnlyHint": False,
        "destructiveHint": True,
        "idempotentHint": False,
        "openWorldHint": True,
    }
    out = {k: v for k, v in annotations.items() if k in defaults and v != defaults[k]}
    if out.get("readOnlyHint") is True:
        out.pop("destructiveHint", None)
        out.pop("idempotentHint", None)
    return out


def lean_properties(props: Any) -> Any:
    """Under `properties` the keys are argument names, never keywords: each is kept, its schema leaned."""
    if not isinstance(props, dict):
        return lean_schema(props)
    return {name: lean_schema(sub) for name, sub in props.items()}


def compact_tool(tool: dict[str, Any]) -> dict[str, Any]:
    """The compact form of one tool definition (see the module's docstring)."""
    out: dict[str, Any] = {"name": tool.get("name")}
    line = first_line(tool.get("description"))
    if line:
        out["description"] = line
    if isinstance(tool.get("inputSchema"), dict):
        out["inputSchema"] = lean_schema(tool["inputSchema"])
    else:
        out["inputSchema"] = {"type": "object"}
    if isinstance(tool.get("annotations"), dict):
        hints = _hints(tool["annotations"])
        if hints:
            out["annotations"] = hints
    return out


def _words(text: str) -> list[str]:
    """Lower-case words, camelCase and snake_case names split, a plural's `s` dropped (`listCampaigns` →
    list, campaign), so a query and a description need not agree on number."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in _WORD.findall(spaced.lower())
    ]


@dataclass
class ToolCatalog:
    """One session's full tool definitions by the name the client calls them, and the tools whose first
    result has carried its definition already."""

    tools: dict[str, dict[str, Any]] = field(default_factory=dict)
    attached: set[str] = field(default_factory=set)

    def remember(self, tools: list[Any]) -> None:
        for tool in tools:
            if isinstance(tool, dict) and isinstance(tool.get("name"), str):
                self.tools[tool["name"]] = tool

    def describe(self, names: list[str]) -> list[dict[str, Any]]:
        """The full definitions of `names`; KeyError naming the first unknown one."""
        missing = [n for n in names if n not in self.tools]
        if missing:
            raise KeyError(missing[0])
        return [self.tools[n] for n in names]

    def first_result(self, name: str) -> dict[str, Any] | None:
        """The definition to attach to this tool's result, once per session (None after the first)."""
        if name in self.attached or name not in self.tools:
            return None
        self.attached.add(name)
        return self.tools[name]

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
        """Tools ranked by BM25 (k1 1.2, b 0.75) of the query's words over each tool's name (counted
        twice: a name is the strongest evidence) and description; those with no matching word left out."""
        terms = _words(query)
        docs = {
            name: _words(name) * 2 + _words(str(tool.get("description") or ""))
            for name, tool in self.tools.items()
        }
        if not terms or not docs:
            return []
        avg = sum(len(d) for d in docs.values()) / len(docs) or 1.0
        df = Counter(t for d in docs.values() for t in set(d))
        scored = []
        for name, words in docs.items():
            tf = Counter(words)
            score = 0.0
            for t in terms:
                if tf[t]:
                    idf = math.log(1 + (len(docs) - df[t] + 0.5) / (df[t] + 0.5))
                    score += idf * tf[t] * 2.2 / (tf[t] + 1.2 * (0.25 + 0.75 * len(words) / avg))
            if score > 0:
                scored.append((score, name))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [
            {"name": n, "description": first_line(self.tools[n].get("description")), "score": round(s, 3)}
            for s, n in scored[:limit]
        ]
