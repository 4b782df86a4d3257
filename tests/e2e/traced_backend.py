"""A small raw-stdio MCP backend for the telemetry test: it records the trace context each request carries.

    python traced_backend.py RECORD_FILE

Tools: `whoami` answers a record with an email and a customer id (text); `echo {text}` answers the text.
Each request's method and `params._meta.traceparent`/`tracestate` are appended to RECORD_FILE as a JSON line.
"""

import json
import sys

TOOLS = [
    {"name": "whoami", "inputSchema": {"type": "object"}},
    {"name": "echo", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}},
]
WHOAMI = {"email": "jane.miller@acme-plumbing.example", "customerId": "7157461338"}


def answer(rid: object, result: dict) -> None:
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}) + "\n")
    sys.stdout.flush()


def main() -> None:
    record = sys.argv[1]
    for line in sys.stdin:
        msg = json.loads(line)
        method, rid = msg.get("method"), msg.get("id")
        if rid is None:
            continue
        meta = (msg.get("params") or {}).get("_meta") or {}
        with open(record, "a", encoding="utf-8") as f:
            seen = {"method": method, **{k: meta.get(k) for k in ("traceparent", "tracestate")}}
            f.write(json.dumps(seen) + "\n")
        if method == "initialize":
            answer(rid, {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                         "serverInfo": {"name": "traced", "version": "1"}})  # fmt: skip
        elif method == "tools/list":
            answer(rid, {"tools": TOOLS})
        elif method == "tools/call":
            params = msg["params"]
            text = json.dumps(WHOAMI) if params["name"] == "whoami" else params["arguments"].get("text", "")
            answer(rid, {"content": [{"type": "text", "text": text}]})
        else:
            answer(rid, {})


if __name__ == "__main__":
    main()
