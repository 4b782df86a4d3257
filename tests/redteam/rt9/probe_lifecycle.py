"""Lifecycle: values the backend writes before the handshake (stdout notifications, stderr), and when it
dies with a call pending (its last stderr lines, the error the client gets).

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_lifecycle.py
"""

from driver import run, view
from values import email

E = [email() for _ in range(6)]
INIT = {
    "startup_emit": [
        {
            "jsonrpc": "2.0",
            "method": "notifications/message",
            "params": {"level": "info", "data": f"booting for {E[0]}"},
        }
    ],
    "startup_stderr": [f"loading profile {E[1]}"],
}
cases = [
    {
        "cls": "crash",
        "desc": "stderr then exit 3 with the call pending",
        "stderr": [f"fatal: mailbox {E[2]} locked", f"Traceback: user={E[3]}"],
        "exit": 3,
        "plant": [E[2], E[3]],
    },
]
init_lines, outs, late, err = run(cases, init=INIT, controls=False, per_case_timeout=20)
allv = view(init_lines + [l for o in outs for l in o] + list(late))
for e in E[:4]:
    where = "client" if e.casefold() in allv else ("stderr" if e.casefold() in err.casefold() else "-")
    print(f"[{'LEAK' if where != '-' else 'ok'}] {e} -> {where}")
print("client saw:")
for l in init_lines + [l for o in outs for l in o] + list(late):
    print("   ", l[:400])
print("proxy stderr (backend-related):")
for l in err.splitlines():
    if "backend" in l.lower():
        print("   ", l[:400])
