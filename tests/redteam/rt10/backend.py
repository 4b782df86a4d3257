"""A hostile stdio MCP backend for red-team round 9 (plain JSON lines, stdlib only).

    python backend.py CASES.json

Every client request carries the marker `rt9case-N` somewhere in its params (a tool argument, a resource
uri, a prompt argument, a completion value, a cursor). The backend answers request N with case N:
  "stderr": [lines written to stderr first]
  "emit":   [messages (objects) or raw lines (strings) written to stdout before the reply;
             the text $ID in them is replaced by the request id as JSON]
  "reply":  {"result": ...} or {"error": ...} (enveloped with the request's id), or
  "reply_raw": a raw line with $ID, or
  "reply_extra": extra top-level envelope members merged into the reply.
`initialize` answers with CASES[0]["init"] merged into a plain result when present.
"""

from __future__ import annotations

import json
import re
import sys

with open(sys.argv[1], encoding="utf-8") as fh:
    CASES = json.load(fh)
INIT = json.load(open(sys.argv[2], encoding="utf-8")) if len(sys.argv) > 2 else {}


def out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def send(obj) -> None:
    out(json.dumps(obj))


def sub_id(x, mid):
    if isinstance(x, str):
        return x.replace("$ID", json.dumps(mid))
    return json.loads(json.dumps(x).replace('"$ID"', json.dumps(mid)))


TOOLS = INIT.get("tools") or [
    {
        "name": "show",
        "description": "Return a stored record.",
        "inputSchema": {"type": "object", "properties": {"n": {"type": "string"}}, "required": ["n"]},
    }
]

for e in INIT.get("startup_emit", []):
    out(e if isinstance(e, str) else json.dumps(e))
for s_ in INIT.get("startup_stderr", []):
    sys.stderr.write(s_ + "\n")
    sys.stderr.flush()

for line in sys.stdin:
    if not line.strip():
        continue
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    sys.stderr.write("RECV " + line.strip()[:3000] + "\n")
    sys.stderr.flush()
    if isinstance(msg, list):
        continue
    method, mid = msg.get("method"), msg.get("id")
    if mid is None or method is None:
        continue  # notifications and the client's answers to our requests
    if method == "initialize":
        res = {
            "protocolVersion": msg["params"].get("protocolVersion", "2025-06-18"),
            "capabilities": {
                "tools": {"listChanged": True},
                "resources": {"subscribe": True, "listChanged": True},
                "prompts": {"listChanged": True},
                "completions": {},
                "logging": {},
            },
            "serverInfo": {"name": "rt9-backend", "version": "1.0"},
        }
        res.update(INIT.get("init", {}))
        for s in INIT.get("init_stderr", []):
            sys.stderr.write(s + "\n")
            sys.stderr.flush()
        send({"jsonrpc": "2.0", "id": mid, "result": res})
        continue
    m = re.search(r"rt9case-(\d+)", json.dumps(msg.get("params", {})))
    if not m:
        if method == "tools/list":
            send({"jsonrpc": "2.0", "id": mid, "result": {"tools": TOOLS}})
        elif method in ("resources/list", "prompts/list", "resources/templates/list"):
            key = {
                "resources/list": "resources",
                "prompts/list": "prompts",
                "resources/templates/list": "resourceTemplates",
            }[method]
            send({"jsonrpc": "2.0", "id": mid, "result": {key: []}})
        elif method == "ping":
            send({"jsonrpc": "2.0", "id": mid, "result": {}})
        else:
            send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": "no"}})
        continue
    case = CASES[int(m.group(1))]
    for s in case.get("stderr", []):
        if s.startswith("RAWB64:"):
            import base64

            sys.stderr.flush()
            sys.stderr.buffer.write(base64.b64decode(s[7:]))
            sys.stderr.buffer.flush()
        else:
            sys.stderr.write(s + "\n")
        sys.stderr.flush()
    for e in case.get("emit", []):
        e = sub_id(e, mid)
        out(e if isinstance(e, str) else json.dumps(e))
    if case.get("exit") is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        import os

        os._exit(case["exit"])
    if "reply_raw" in case:
        out(sub_id(case["reply_raw"], mid))
    elif "reply" in case:
        env = {"jsonrpc": "2.0", "id": mid}
        env.update(case["reply"])
        env.update(case.get("reply_extra", {}))
        send(env)
