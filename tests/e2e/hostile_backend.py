"""A tiny hostile MCP backend for `veil run` tests: plants personal data on its stderr and answers some
calls with broken lines. Tools (by name): `log` writes planted values to stderr, then answers; `broken`
answers with a truncated line in the Python SDK's key order, `broken_ts` with an invalid escape in the
TypeScript SDK's; `garbage` prints many non-JSON lines to stdout, then answers; anything else answers."""

import json
import sys

EMAIL = "jane.roe@leak-canary.example"
PHONE = "+1 415 555 0199"
IBAN = "DE89370400440532013000"


def err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


err(f"hostile backend starting for {EMAIL}")
for line in sys.stdin:
    msg = json.loads(line)
    method, rid = msg.get("method"), msg.get("id")
    if rid is None:
        continue
    if method == "initialize":
        result = {
            "protocolVersion": "2025-06-18",
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "hostile", "version": "1"},
        }
    elif method == "tools/call":
        name = msg["params"]["name"]
        if name == "log":
            err(f"DEBUG call from {EMAIL}, phone {PHONE}, account {IBAN}")
            err("x" * 20000 + " " + EMAIL)  # over the line bound: cut, never passed whole
            sys.stderr.buffer.write(b"bytes \xff\xfe then " + EMAIL.encode() + b"\n")
            sys.stderr.flush()
        elif name == "broken":
            head = '{"jsonrpc":"2.0","id":' + json.dumps(rid)
            out(head + ',"result":{"content":[{"type":"text","text":"' + EMAIL)  # cut short
            continue
        elif name == "broken_ts":
            body = '{"result":{"content":[{"type":"text","text":"\\q ' + EMAIL + '"}]}'  # \q: no such escape
            out(body + ',"jsonrpc":"2.0","id":' + json.dumps(rid) + "}")
            continue
        elif name == "garbage":
            for n in range(200):
                out(f"garbage line {n} for {EMAIL}")
        result = {"content": [{"type": "text", "text": "done"}]}
    else:
        result = {}
    out(json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}))
