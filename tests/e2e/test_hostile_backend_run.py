"""`veil run` in front of a hostile backend (tests/e2e/hostile_backend.py), as real processes: what the
backend writes outside the protocol — stderr, broken lines, garbage — never carries its values past us,
and never leaves a call waiting for its timeout."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [sys.executable, str(ROOT / "tests" / "e2e" / "hostile_backend.py")]
EMAIL, PHONE, IBAN = "jane.roe@leak-canary.example", "+1 415 555 0199", "DE89370400440532013000"

INIT = (
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
    b'"capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n'
    b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
)


def call(rid: int, tool: str) -> bytes:
    params = {"name": tool, "arguments": {}}
    return (
        json.dumps({"jsonrpc": "2.0", "id": rid, "method": "tools/call", "params": params}).encode() + b"\n"
    )


def run(
    veil_env: dict[str, str], *calls: bytes, home: Path | None = None
) -> tuple[subprocess.CompletedProcess[bytes], dict, float]:
    env = {"PATH": "/usr/bin:/bin", **veil_env, **({"VEIL_HOME": str(home)} if home else {})}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", "--", *HOSTILE],
        input=INIT + b"".join(calls),
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    replies = {r.get("id"): r for r in map(json.loads, proc.stdout.splitlines())}
    return proc, replies, time.monotonic() - started


def test_values_a_backend_writes_on_stderr_reach_ours_as_labels_only(veil_env, veil_home):
    home = veil_home / "data"  # made by the proxy itself
    proc, replies, _ = run(veil_env, call(2, "log"), home=home)
    assert replies[2]["result"]["content"][0]["text"] == "done", proc.stderr.decode()[-2000:]
    err = proc.stderr.decode("utf-8", "replace")
    for value in (EMAIL, PHONE, IBAN, "leak-canary"):
        assert value not in err
    backend_lines = [line for line in err.splitlines() if line.startswith("[backend] ")]
    assert "[backend] hostile backend starting for [EMAIL_ADDRESS]" in backend_lines
    assert any("[PHONE_NUMBER]" in line and "[IBAN_CODE]" in line for line in backend_lines)
    assert any(line.endswith("[mcp-veil: line cut]") and len(line) < 4200 for line in backend_lines)
    # The data dir the proxy made is private, and so are the vault's files.
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in ("vault.db", "vault.db-wal", "vault.db-shm"):
        path = home / name
        assert not path.exists() or stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_a_broken_answer_fails_its_call_at_once_in_either_sdks_key_order(veil_env):
    proc, replies, seconds = run(veil_env, call(2, "broken"), call(3, "broken_ts"), call(4, "ok"))
    for rid in (2, 3):
        assert "not valid JSON-RPC" in replies[rid]["error"]["message"], proc.stderr.decode()[-2000:]
    assert replies[4]["result"]["content"][0]["text"] == "done"  # the proxy stays up
    assert EMAIL.encode() not in proc.stdout and EMAIL.encode() not in proc.stderr
    assert seconds < 25  # answered at once, not at the 30 s call timeout (or never, at the client's EOF)
    assert proc.returncode == 0


def test_a_backend_printing_garbage_is_logged_once_with_a_count_not_once_per_line(veil_env):
    proc, replies, _ = run(veil_env, call(2, "garbage"))
    assert replies[2]["result"]["content"][0]["text"] == "done"
    err = proc.stderr.decode("utf-8", "replace")
    reports = [json.loads(line) for line in err.splitlines() if "not JSON-RPC" in line]
    assert [r["lines"] for r in reports] == [1, 199]  # at once, then the rest with a count at the end
    assert "Failed to parse JSONRPC" not in err and EMAIL not in err
