"""Drives `veil run` (default install) in front of backend.py over stdio JSON lines, one session per probe.

run(cases, init=None) sends case N as a client request (case["method"], default tools/call) whose params
carry the marker `rt9case-N`, and collects EVERY line the client receives until the answer to that id
(notifications, server requests, the answer). Server requests the client receives are answered
(sampling: a text reply; elicitation: decline; roots: none). Two controls (a plain email and a plain
phone number in a tool's text) run last and must come back tokenized, else the probe fails.
The proxy's own stderr (where the backend's stderr goes) is captured and judged too.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WT = HERE.parents[2]
BACKEND_DIR = HERE  # a later round's probe points HERE at its own out/ and keeps this backend
PY = "/work/main/.venv/bin/python"

CONTROLS = [
    {
        "cls": "control",
        "reply": {
            "result": {
                "content": [{"type": "text", "text": "Contact: control.person77@northwind-example.com"}]
            }
        },
        "plant": ["control.person77@northwind-example.com"],
    },
    {
        "cls": "control",
        "reply": {"result": {"content": [{"type": "text", "text": "Call me at (312) 470-1677 tomorrow."}]}},
        "plant": ["470-1677"],
    },
]


def params_for(case, n):
    mk = f"rt9case-{n}"
    method = case.get("method", "tools/call")
    if method == "tools/call":
        return {"name": case.get("tool", "show"), "arguments": {"n": mk}}
    if method == "resources/read":
        return {"uri": f"rt9://{mk}"}
    if method == "prompts/get":
        return {"name": "p", "arguments": {"n": mk}}
    if method == "completion/complete":
        return {"ref": {"type": "ref/prompt", "name": "p"}, "argument": {"name": "n", "value": mk}}
    if method in ("resources/list", "prompts/list", "tools/list", "resources/templates/list"):
        return {"cursor": mk}
    if method == "resources/subscribe":
        return {"uri": f"rt9://{mk}"}
    if method == "logging/setLevel":
        return {"level": "debug", "_meta": {"m": mk}}
    return {"m": mk}


ANSWER = {"text": None}


def answer_server_request(msg):
    m = msg.get("method")
    t = ANSWER["text"]
    if m == "sampling/createMessage":
        res = {
            "role": "assistant",
            "content": {"type": "text", "text": f"reply to {t}" if t else "ok"},
            "model": "m",
        }
    elif m == "elicitation/create":
        res = {"action": "accept", "content": {"email": t}} if t else {"action": "decline"}
    elif m == "roots/list":
        res = {"roots": [{"uri": f"file:///home/{t}", "name": t}]} if t else {"roots": []}
    elif m == "ping":
        res = {}
    else:
        return {"jsonrpc": "2.0", "id": msg["id"], "error": {"code": -32601, "message": "no"}}
    return {"jsonrpc": "2.0", "id": msg["id"], "result": res}


def run(
    cases,
    init=None,
    per_case_timeout=25.0,
    first_timeout=120.0,
    controls=True,
    early=None,
    after_first=None,
    extra=None,
):
    allc = list(cases) + (CONTROLS if controls else [])
    home = tempfile.mkdtemp(prefix="rt9-veil-")
    cf = Path(home) / "cases.json"
    cf.write_text(json.dumps(allc), encoding="utf-8")
    argv = [PY, "-m", "proxy", "run", "--", PY, str(BACKEND_DIR / "backend.py"), str(cf)]
    if init is not None:
        inf = Path(home) / "init.json"
        inf.write_text(json.dumps(init), encoding="utf-8")
        argv.append(str(inf))
    env = dict(os.environ, VEIL_HOME=home)
    env.pop("VEIL_MASTER_KEY", None)
    proc = subprocess.Popen(
        argv,
        cwd=WT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
    )
    q: queue.Queue = queue.Queue()
    errbuf: list[str] = []

    def rd():
        for ln in proc.stdout:
            q.put(ln)
        q.put(None)

    def rde():
        for ln in proc.stderr:
            errbuf.append(ln)

    threading.Thread(target=rd, daemon=True).start()
    threading.Thread(target=rde, daemon=True).start()

    def send(obj):
        proc.stdin.write((obj if isinstance(obj, str) else json.dumps(obj)) + "\n")
        proc.stdin.flush()

    def collect(want_id, timeout):
        got = []
        end = time.time() + timeout
        while time.time() < end:
            try:
                ln = q.get(timeout=max(0.05, end - time.time()))
            except queue.Empty:
                break
            if ln is None:
                got.append("<EOF>")
                break
            got.append(ln.rstrip("\n"))
            try:
                msg = json.loads(ln)
            except ValueError:
                continue
            if isinstance(msg, dict) and "method" in msg and msg.get("id") is not None:
                send(answer_server_request(msg))
                continue
            if isinstance(msg, dict) and msg.get("id") == want_id and "method" not in msg:
                break
        return got

    send(
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {"sampling": {}, "elicitation": {}, "roots": {"listChanged": True}},
                "clientInfo": {"name": "rt9", "version": "1"},
            },
        }
    )
    init_lines = collect(0, first_timeout)
    send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    if early:
        for m in early:
            send(m)
    outs = []
    for i, c in enumerate(allc):
        rid = c.get("rid", 1000 + i)
        send(
            {"jsonrpc": "2.0", "id": rid, "method": c.get("method", "tools/call"), "params": params_for(c, i)}
        )
        outs.append(collect(rid, first_timeout if i == 0 else per_case_timeout))
        if i == 0 and after_first is not None:
            for m in after_first(outs[0]):
                send(m)
                extra.append((m, collect(m["id"], per_case_timeout) if "id" in m else []))
    time.sleep(1.0)
    # anything late
    late = []
    while True:
        try:
            ln = q.get(timeout=0.5)
        except queue.Empty:
            break
        if ln is None:
            break
        late.append(ln.rstrip("\n"))
    with contextlib.suppress(Exception):
        proc.stdin.close()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    time.sleep(0.3)
    stderr = "".join(errbuf)
    if controls:
        for c, o in zip(CONTROLS, outs[len(cases) :], strict=False):
            v = view(o)
            assert c["plant"][0].casefold() not in v, f"control leaked, detection not live: {o!r}"
            assert any("[[" in x for x in o), f"control not tokenized: {o!r}"
    return init_lines, outs[: len(cases)], late, stderr


def view(lines):
    """Raw lines plus each JSON line re-dumped without ASCII escapes, casefolded."""
    parts = []
    for ln in lines:
        parts.append(ln)
        with contextlib.suppress(ValueError):
            parts.append(json.dumps(json.loads(ln), ensure_ascii=False))
    return "\n".join(parts).casefold()


def judge(cases, outs, stderr="", late=()):
    rows = []
    lv = view(list(late))
    for c, o in zip(cases, outs, strict=False):
        v = view(o)
        leaked = [p for p in c.get("plant", []) if p.casefold() in v or p.casefold() in lv]
        in_err = [p for p in c.get("plant", []) if p.casefold() in stderr.casefold()]
        if leaked:
            verdict = "LEAK"
        elif in_err:
            verdict = "LEAK-STDERR"
        elif not o or not any(('"id"' in x) for x in o):
            verdict = "NOANSWER"
        elif any('"error"' in x for x in o):
            verdict = "ok(error)"
        else:
            verdict = "ok"
        rows.append((verdict, c, o, leaked or in_err))
    return rows


def report(rows, stderr=""):
    n = 0
    for verdict, c, o, bad in rows:
        print(f"[{verdict}] {c.get('cls', '')}: {c.get('desc', '')}")
        if verdict.startswith("LEAK"):
            n += 1
            print(f"    planted: {bad}")
            for ln in o[-4:]:
                print("    <- " + ln[:700])
        elif verdict != "ok":
            for ln in o[-2:]:
                print("    <- " + ln[:300])
    print(f"== {n} leaked / {len(rows)} tried")
    return n


def save(name, cases, outs, stderr=""):
    with open(HERE / "out" / f"{name}.json", "w", encoding="utf-8") as fh:
        json.dump(
            {"cases": cases, "outs": outs, "stderr_tail": stderr[-20000:]}, fh, ensure_ascii=False, indent=1
        )
