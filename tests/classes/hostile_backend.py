"""A hostile MCP stdio server: answers from a script of generated payloads (`python hostile_backend.py FILE`).

Stdlib only (the proxy gives its backends a scrubbed environment). The script is JSON:
`{"initialize": result | null, "calls": {tool: step}, "queues": {method: [step, ...]}}`, a step being
`{"before": [raw JSON-RPC messages sent first], "result": ...}` or `{"before": [...], "error": ...}`.
A `tools/call` is answered by its tool's step; any other request by the next step queued for its method.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        script: dict[str, Any] = json.load(f)
    queues: dict[str, list[Any]] = script.get("queues", {})
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        if "id" not in msg or "method" not in msg:
            continue  # a notification, or the client's answer to one of our requests
        method = msg["method"]
        if method == "initialize":
            step: Any = {
                "result": script.get("initialize")
                or {
                    "protocolVersion": msg.get("params", {}).get("protocolVersion", "2025-06-18"),
                    "capabilities": {"tools": {}, "resources": {}, "prompts": {}, "logging": {}},
                    "serverInfo": {"name": "hostile", "version": "1.0"},
                }
            }
        elif method == "tools/call":
            step = script.get("calls", {}).get(msg["params"]["name"], {"result": {"content": []}})
        elif queues.get(method):
            step = queues[method].pop(0)
        else:
            step = {"result": {}}
        for raw in step.get("before", []):
            out.write(json.dumps(raw) + "\n")
        reply = {"jsonrpc": "2.0", "id": msg["id"]}
        reply.update({"error": step["error"]} if "error" in step else {"result": step["result"]})
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
