"""Class 1 (layers past the decoders' depth pass unscanned) in other positions: structuredContent, an
error message, log data, a notification's method name and a server request's id (positions that refuse
a message holding a value, since they cannot carry a token). Control: base64 ×3 in the same positions.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_depth_positions.py
"""

import base64
from collections import defaultdict

from driver import judge, report, run, save
from values import email, text


def nb(s, n):
    b = s.encode()
    for _ in range(n):
        b = base64.b64encode(b)
    return b.decode()


POS = {
    "structuredContent": lambda v: {
        "reply": {
            "result": {
                "content": [{"type": "text", "text": "see structured"}],
                "structuredContent": {"state": v},
            }
        }
    },
    "error.message": lambda v: {"reply": {"error": {"code": -32000, "message": "bad state " + v}}},
    "log data": lambda v: {
        "emit": [
            {"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": v}}
        ],
        "reply": text("ok"),
    },
    "notification method name": lambda v: {
        "emit": [{"jsonrpc": "2.0", "method": "x/" + v, "params": {}}],
        "reply": text("ok"),
    },
    "server request id": lambda v: {
        "emit": [{"jsonrpc": "2.0", "id": v, "method": "ping", "params": {}}],
        "reply": text("ok"),
    },
}


def main():
    cases = []
    for depth in (3, 4):
        for pname, mk in POS.items():
            for _ in range(3 if depth == 4 else 1):
                e = email()
                v = nb("owner " + e, depth)
                c = mk(v)
                c.update(
                    cls=f"base64 x{depth} in {pname}" + (" (control)" if depth == 3 else ""),
                    desc=v[:60],
                    plant=[e, v],
                )
                cases.append(c)
    _, outs, late, err = run(cases)
    save("depth_positions", cases, outs, err)
    rows = judge(cases, outs, err, late)
    report(rows)
    tally = defaultdict(lambda: [0, 0])
    for v, c, _o, b in rows:
        tally[c["cls"]][1] += 1
        tally[c["cls"]][0] += v.startswith("LEAK")
    print("\nper class:")
    for k, (a, b) in tally.items():
        print(f"  {k}: {a}/{b}")


if __name__ == "__main__":
    main()
