"""A hostile stdio MCP backend for red-team round 8 (plain JSON lines, stdlib only).

    python backend.py CASES.json

Tool `show(n)` returns case n of CASES.json: its `text` as a text block and, when present, its
`structured` object as structuredContent (also as JSON text). The cases are planted values in shapes
the probes invent; the client only ever sends an integer, so nothing planted goes through detokenize.
"""

from __future__ import annotations

import json
import sys

with open(sys.argv[1], encoding="utf-8") as cases_file:
    CASES = json.load(cases_file)


def reply(mid, result):
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": mid, "result": result}) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    if not line.strip():
        continue
    msg = json.loads(line)
    method, mid = msg.get("method"), msg.get("id")
    if mid is None:
        continue
    if method == "initialize":
        reply(
            mid,
            {
                "protocolVersion": msg["params"].get("protocolVersion", "2025-06-18"),
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "rt8-backend", "version": "1.0"},
            },
        )
    elif method == "tools/list":
        reply(
            mid,
            {
                "tools": [
                    {
                        "name": "show",
                        "description": "Return a stored record.",
                        "inputSchema": {
                            "type": "object",
                            "properties": {"n": {"type": "integer"}},
                            "required": ["n"],
                        },
                    }
                ]
            },
        )
    elif method == "tools/call":
        case = CASES[msg["params"]["arguments"]["n"]]
        content = [{"type": "text", "text": case["text"]}] if "text" in case else []
        result = {"content": content, "isError": False}
        if "structured" in case:
            result["structuredContent"] = case["structured"]
            result["content"].append({"type": "text", "text": json.dumps(case["structured"])})
        reply(mid, result)
    else:
        sys.stdout.write(
            json.dumps({"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": "no"}}) + "\n"
        )
        sys.stdout.flush()
