"""A small MCP backend whose calls cost what they are asked to, for resource accounting and quota tests.

Tools: `allocate {mb, hold_ms}` writes `mb` MiB into memory, holds it, frees it; `spin {ms}` burns CPU
for `ms`; `child_allocate {mb, hold_ms}` has a child process do the allocating (the tree is measured, not
one process); `rows {n}` answers `n` result rows as structuredContent; `ping` answers at once."""

import json
import subprocess
import sys
import time

TOOLS = [
    {"name": name, "inputSchema": {"type": "object"}}
    for name in ("allocate", "spin", "child_allocate", "rows", "ping")
]


def allocate(mb: int, hold_ms: int) -> None:
    block = b"\x01" * (mb << 20)  # written, so resident
    time.sleep(hold_ms / 1000)
    del block


def answer(rid: object, result: dict) -> None:
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}) + "\n")
    sys.stdout.flush()


def main() -> None:
    for line in sys.stdin:
        msg = json.loads(line)
        method, rid = msg.get("method"), msg.get("id")
        if rid is None:
            continue
        if method == "initialize":
            answer(rid, {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                         "serverInfo": {"name": "usage", "version": "1"}})  # fmt: skip
            continue
        if method == "tools/list":
            answer(rid, {"tools": TOOLS})
            continue
        if method != "tools/call":
            answer(rid, {})
            continue
        name, args = msg["params"]["name"], msg["params"].get("arguments") or {}
        structured = None
        if name == "allocate":
            allocate(int(args["mb"]), int(args.get("hold_ms", 300)))
        elif name == "child_allocate":
            mb, hold = int(args["mb"]), int(args.get("hold_ms", 300))
            code = f"import time; b = b'\\x01' * ({mb} << 20); time.sleep({hold} / 1000)"
            subprocess.run([sys.executable, "-c", code], check=True)
        elif name == "spin":
            end = time.process_time() + int(args["ms"]) / 1000
            while time.process_time() < end:
                pass
        elif name == "rows":
            structured = {"rows": [{"n": i} for i in range(int(args["n"]))]}
        result: dict = {
            "content": [{"type": "text", "text": json.dumps(structured) if structured else "done"}]
        }
        if structured is not None:
            result["structuredContent"] = structured
        answer(rid, result)


if __name__ == "__main__":
    main()
