"""The fastest MCP server a start can be measured against: the standard library only, answering
`initialize` (and any other request with an empty result) as soon as it reads it. The issue's reference
server answers in about 40 ms; this one in about 15 ms on the bench machine, so what a start costs beyond it
is the proxy's."""

import json
import sys

INFO = {
    "protocolVersion": "2025-06-18",
    "capabilities": {"tools": {}},
    "serverInfo": {"name": "instant", "version": "1"},
}

for line in sys.stdin:
    message = json.loads(line)
    if "id" in message and "method" in message:
        result = INFO if message["method"] == "initialize" else {}
        sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}) + "\n")
        sys.stdout.flush()
