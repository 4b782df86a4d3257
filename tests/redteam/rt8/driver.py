"""Drives `veil run` (default install) in front of backend.py over stdio JSON lines.

run_cases(cases) -> list of (case, client-visible text) in ONE veil session (one subprocess).
Each case: {"text": str} or {"structured": obj}, plus "plant": [values that must not reach the client]
or "keep": [values that must reach the client unchanged].
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WT = HERE.parents[2]
PY = "/work/main/.venv/bin/python"


CONTROLS = [
    {
        "cls": "control (documented as handled)",
        "text": "https://www.linkedin.com/in/yolanda-villalobos-4b2a19",
        "plant": ["villalobos"],
    },
    {
        "cls": "control (documented as handled)",
        "text": "Please call Leticia Arredondo today.",
        "plant": ["arredondo"],
    },
]


def run_cases(cases: list[dict], timeout: float = 900) -> list[str]:
    """The client-visible text of each case, in one session; two controls (shapes documented as handled,
    names no case uses) run last and must be tokenized, so a run where detection was not live fails."""
    outs = _run(cases + CONTROLS)
    for ctl, got in zip(CONTROLS, outs[len(cases) :], strict=False):
        assert ctl["plant"][0] not in got.casefold(), f"control leaked, detection not live: {got!r}"
    return outs[: len(cases)]


def _run(cases: list[dict]) -> list[str]:
    home = tempfile.mkdtemp(prefix="rt8-veil-")
    cases_file = Path(home) / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    env = dict(os.environ, VEIL_HOME=home)
    env.pop("VEIL_MASTER_KEY", None)
    msgs = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "rt8", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    for i in range(len(cases)):
        msgs.append(
            {
                "jsonrpc": "2.0",
                "id": i + 1,
                "method": "tools/call",
                "params": {"name": "show", "arguments": {"n": i}},
            }
        )
    proc = subprocess.Popen(
        [PY, "-m", "proxy", "run", "--", PY, str(HERE / "backend.py"), str(cases_file)],
        cwd=WT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin and proc.stdout
    out: dict[int, str] = {}
    proc.stdin.write(json.dumps(msgs[0]) + "\n")
    proc.stdin.flush()
    proc.stdout.readline()
    for m in msgs[1:]:
        proc.stdin.write(json.dumps(m) + "\n")
    proc.stdin.flush()
    while len(out) < len(cases):
        line = proc.stdout.readline()
        if not line:
            break
        r = json.loads(line)
        if "id" not in r or r.get("id") in (None, 0):
            continue
        if "error" in r:
            out[r["id"] - 1] = "ERROR " + json.dumps(r["error"])
        else:
            res = r["result"]
            texts = [c.get("text", "") for c in res.get("content", [])]
            if "structuredContent" in res:
                texts.append("structuredContent: " + json.dumps(res["structuredContent"]))
            out[r["id"] - 1] = "\n".join(texts)
    proc.stdin.close()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    if len(out) < len(cases):
        sys.stderr.write(proc.stderr.read()[-3000:] if proc.stderr else "")
    return [out.get(i, "MISSING") for i in range(len(cases))]


def judge(cases: list[dict], outs: list[str]) -> list[tuple[str, dict, str, list[str]]]:
    """(verdict, case, output, offending values): LEAK when a planted value is readable, CHANGED when a
    kept value is not, ok otherwise."""
    rows = []
    for case, got in zip(cases, outs, strict=False):
        low = got.casefold()
        leaked = [v for v in case.get("plant", []) if v.casefold() in low]
        lost = [v for v in case.get("keep", []) if v not in got]
        verdict = (
            "LEAK"
            if leaked
            else "CHANGED"
            if lost
            else ("ERR" if got.startswith(("ERROR", "MISSING")) else "ok")
        )
        rows.append((verdict, case, got, leaked or lost))
    return rows


def report(rows) -> None:
    for verdict, case, got, bad in rows:
        src = case.get("text") or json.dumps(case.get("structured"))
        print(f"[{verdict}] {case.get('cls', '')}: {src!r}")
        if verdict != "ok":
            print(f"    -> {got!r}  {bad}")
