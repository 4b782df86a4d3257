"""The same cases through a real `python -m proxy run -- <hostile backend>` subprocess, default install.

The client is raw: it writes JSON-RPC lines and reads the exact lines the proxy writes to stdout, so the
judge sees every byte the client would (envelope ids and method names included). All cases of a run share
one proxy process: one session, as in the chain harness.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from random import Random
from typing import IO, Any

from tests.classes.case import Case, Message
from tests.classes.harness import Outcome, judge
from tests.classes.planting import reliable_value, sentence

ROOT = Path(__file__).resolve().parents[2]
BACKEND = Path(__file__).with_name("hostile_backend.py")
_REQUEST_METHODS = {"tools/call", "tools/list", "resources/list", "resources/read", "prompts/get"}


def envelope(rng: Random) -> Case:
    """A value in what the stage chain never sees as payload: the id or the method name of a message
    the backend sends (a request to the client, a notification)."""
    value = reliable_value(rng, rng.choice(["email", "phone", "card", "ipv4"]))
    text = sentence(rng, value) if rng.random() < 0.5 else value.text
    if rng.random() < 0.5:
        raw = {"jsonrpc": "2.0", "id": text, "method": "roots/list", "params": {}}
        label = "request-id"
    else:
        raw = {"jsonrpc": "2.0", "method": f"notifications/{text}", "params": {}}
        label = "method-name"
    msg = Message("notification", "notifications/raw", None, envelope=raw)
    return Case("envelope", [msg], [value], label=label)


def _script(cases: list[Case]) -> tuple[dict[str, Any], list[list[dict[str, Any]]]]:
    """The backend's script, and per case the requests the client sends for it."""
    script: dict[str, Any] = {"initialize": None, "calls": {}, "queues": {}}
    requests: list[list[dict[str, Any]]] = []
    for i, case in enumerate(cases):
        reqs: list[dict[str, Any]] = []
        for j, msg in enumerate(case.messages):
            rid = f"c{i}-{j}"
            answer = {"error": msg.payload} if msg.kind == "error" else {"result": msg.payload}
            if msg.kind in ("notification", "request"):
                raw = msg.envelope or {"jsonrpc": "2.0", "method": msg.method, "params": msg.payload}
                if msg.kind == "request" and not msg.envelope:
                    raw["id"] = f"srv-{i}-{j}"
                tool = f"case{i}_{j}"
                script["calls"][tool] = {
                    "before": [raw],
                    "result": {"content": [{"type": "text", "text": "done"}]},
                }
                reqs.append(_call(rid, tool))
            elif msg.method == "tools/call":
                tool = f"case{i}_{j}"
                script["calls"][tool] = answer
                reqs.append(_call(rid, tool))
            elif msg.method in _REQUEST_METHODS:
                script["queues"].setdefault(msg.method, []).append(answer)
                params: dict[str, Any] = {"name": "p"} if msg.method == "prompts/get" else {}
                if msg.method == "resources/read":
                    params = {"uri": "crm://x"}
                reqs.append({"jsonrpc": "2.0", "id": rid, "method": msg.method, "params": params})
            elif msg.method == "initialize" and script["initialize"] is None:
                script["initialize"] = msg.payload
                reqs.append({"initialize": rid})
        requests.append(reqs)
    return script, requests


def _call(rid: str, tool: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "method": "tools/call", "params": {"name": tool, "arguments": {}}}


def run_veil(cases: list[Case], timeout: float = 120.0) -> list[Outcome]:
    """Every case through one real `veil run` process; the outcomes, in order. Cases carrying an
    `initialize` result beyond the first are left out (a process is initialized once)."""
    inits = [i for i, c in enumerate(cases) if any(m.method == "initialize" for m in c.messages)]
    cases = [c for i, c in enumerate(cases) if i not in inits[1:]]
    script, requests = _script(cases)
    init_id = next((r["initialize"] for reqs in requests for r in reqs if "initialize" in r), "init")
    lines: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": init_id,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "classes", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    lines += [r for reqs in requests for r in reqs if "initialize" not in r]
    lines.append(_call("last", "last"))
    with tempfile.TemporaryDirectory(prefix="veil-wire-") as tmp:
        received = _exchange(Path(tmp), script, lines, timeout)
    return _outcomes(cases, requests, received, init_id)


def _exchange(home: Path, script: dict[str, Any], lines: list[dict[str, Any]], timeout: float) -> list[Any]:
    """Write every line to a fresh `veil run` in front of the hostile backend; the lines it answered."""
    (home / "script.json").write_text(json.dumps(script))
    env = {
        **os.environ,
        "VEIL_HOME": str(home),
        "PYTHONPATH": str(ROOT),
        "TMPDIR": str(home),
        "VEIL_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
    }
    env.pop("VEIL_MASTER_KEY_FILE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxy", "run", "--", sys.executable, str(BACKEND), str(home / "script.json")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    # Stdin stays open until every request is answered, as a client's does: a client that closes it
    # early gets only what the proxy answers within its drain time, which a busy machine can exceed.
    writer = threading.Thread(target=_write_all, args=(proc.stdin, lines), daemon=True)
    writer.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    received: list[Any] = []
    waiting = {m["id"] for m in lines if "id" in m and "method" in m}
    try:
        for line in proc.stdout:
            if not line.strip():
                continue
            msg = json.loads(line)
            received.append(msg)
            if "result" in msg or "error" in msg:
                waiting.discard(msg.get("id"))
                if not waiting:
                    break
    finally:
        killer.cancel()
        writer.join(timeout=5)
        with contextlib.suppress(OSError):
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return received


def _write_all(stdin: IO[bytes], lines: list[dict[str, Any]]) -> None:
    with contextlib.suppress(OSError):
        for m in lines:
            stdin.write((json.dumps(m) + "\n").encode())
            stdin.flush()


def _outcomes(
    cases: list[Case], requests: list[list[dict[str, Any]]], received: list[Any], init_id: str
) -> list[Outcome]:
    # Each request's window: what the client got after the previous answer, up to its own answer.
    windows: dict[Any, list[Any]] = {}
    pending: list[Any] = []
    for msg in received:
        pending.append(msg)
        if "id" in msg and ("result" in msg or "error" in msg):
            windows[msg["id"]] = pending
            pending = []
    outcomes = []
    for case, reqs in zip(cases, requests, strict=True):
        got: list[Any] = []
        for j, _ in enumerate(reqs):
            rid = init_id if "initialize" in reqs[j] else reqs[j]["id"]
            window = windows.get(rid)
            if window is None or (
                any("error" in m and m.get("id") == rid for m in window)
                and not any(msg.kind == "error" for msg in case.messages)
            ):
                got.append(None)  # no answer, or an error where the backend sent a result: fail-closed
            if window is not None:
                got.extend(window)
        outcomes.append(judge(case, got or [None]))
    return outcomes
