"""`veil run` answers the handshake while its detectors still load, and scans everything all the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
ECHO = [sys.executable, "-m", "examples.echo_server"]
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


# Loaded first by the proxy's interpreter (PYTHONPATH): the detectors' module takes 5 s longer to import, so
# a handshake that waited for them would be answered after they loaded whatever the machine's speed.
SLOW_DETECTORS = """
import builtins, time
_import = builtins.__import__
_slowed = []
def _slow_import(name, *args, **kwargs):
    if name == "proxy.detect.detector" and not _slowed:
        _slowed.append(name)
        time.sleep(5)
    return _import(name, *args, **kwargs)
builtins.__import__ = _slow_import
"""


def test_initialize_is_answered_before_the_detectors_have_loaded_and_the_next_value_is_still_tokenized(
    veil_home, tmp_path
):
    (tmp_path / "sitecustomize.py").write_text(SLOW_DETECTORS)
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxy", "run", "--log-level", "INFO", "--", *ECHO],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    loaded_at: list[float] = []

    def watch_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if b"detectors loaded" in line:
                loaded_at.append(time.monotonic())

    watcher = threading.Thread(target=watch_stderr, daemon=True)
    watcher.start()
    try:
        proc.stdin.write(json.dumps(INIT).encode() + b"\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())
        answered_at = time.monotonic()
        assert first["id"] == 1 and "result" in first
        call = {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "echo", "arguments": {"text": "write to quintus.arbogast@example.com"}},
        }
        proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        proc.stdin.write(json.dumps(call).encode() + b"\n")
        proc.stdin.flush()
        second = json.loads(proc.stdout.readline())
        text = second["result"]["content"][0]["text"]
        assert "quintus" not in text and "[[EMAIL_ADDRESS:" in text  # it waited for the detectors
        proc.stdin.close()
        proc.wait(timeout=60)
        watcher.join(10)
    finally:
        proc.kill()
        proc.wait()
    assert loaded_at and answered_at < loaded_at[0]  # the handshake did not wait for them
