"""JSONTestSuite's parsing cases through a real `veil run`: y_ parse, n_ are parse errors, i_ never crash.

Read in place from ../shared/jsontestsuite (skipped, with the reason, where that folder is absent). The
stdio wire is one message per line, so cases whose bytes contain a raw newline cannot be sent as one
message and are left out; everything else goes through one proxy process, which must answer each line
and stay up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT.parent / "shared" / "jsontestsuite" / "test_parsing"
ECHO = [sys.executable, "-m", "examples.echo_server"]


def cases() -> list[tuple[str, bytes]]:
    if not SUITE.is_dir():
        pytest.skip(f"JSONTestSuite not found at {SUITE}")
    out = []
    for path in sorted(SUITE.iterdir()):
        raw = path.read_bytes()
        if b"\n" in raw.rstrip(b"\n") or b"\r" in raw or not raw.strip():
            continue  # not expressible as one line of the stdio wire
        out.append((path.name, raw.rstrip(b"\n")))
    return out


def test_every_parsing_case_gets_the_right_answer_and_the_proxy_stays_up(veil_home):
    batch = cases()
    final = b'{"jsonrpc":"2.0","id":"last","method":"ping"}'
    init = (
        b'{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-06-18",'
        b'"capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n'
        b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
    )
    stdin = init + b"".join(raw + b"\n" for _, raw in batch) + final + b"\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", "--", *ECHO],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    errors = [r for r in replies if r.get("id") is None]
    assert any(r.get("id") == "last" and "result" in r for r in replies), "the proxy did not stay up"
    # One error reply per case, in order: the cases are neither forwarded nor answered by the backend.
    assert len(errors) == len(batch)
    wrong = []
    for (name, _), reply in zip(batch, errors, strict=True):
        code = reply["error"]["code"]
        if name.startswith("n_") and code != -32700:
            wrong.append((name, code))
        if name.startswith("y_") and code == -32700:
            wrong.append((name, code))
    assert wrong == []
    assert proc.returncode == 0
