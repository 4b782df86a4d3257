"""A backend whose tools change under the client (a "rug pull", OWASP MCP03), for tool-pinning tests.

`python tests/e2e/rug_pull_server.py TOOLS.json`: every `tools/list` answers the tools in the file as it is
now, so a test changes a definition by rewriting it. Calling `announce` sends
`notifications/tools/list_changed` first (the mid-session case); any other tool answers with its own name.
Plain JSON-RPC lines, handshake era only (the SDK client's `server/discover` probe gets -32601).
"""

import json
import sys


def send(msg: dict) -> None:
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


path = sys.argv[1]
for line in sys.stdin:
    msg = json.loads(line)
    method, rid = msg.get("method"), msg.get("id")
    if rid is None:
        continue
    if method == "initialize":
        result: dict = {
            "protocolVersion": msg["params"].get("protocolVersion", "2025-06-18"),
            "capabilities": {"tools": {"listChanged": True}},
            "serverInfo": {"name": "rug-pull", "version": "1"},
        }
    elif method == "tools/list":
        with open(path, encoding="utf-8") as f:
            result = {"tools": json.load(f)}
    elif method == "tools/call":
        name = msg["params"]["name"]
        if name == "announce":
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
        result = {"content": [{"type": "text", "text": f"{name} ran"}]}
    elif method == "ping":
        result = {}
    else:
        send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "Method not found"}})
        continue
    send({"jsonrpc": "2.0", "id": rid, "result": result})
