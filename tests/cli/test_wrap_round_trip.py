"""wrap -> run -> unwrap with real processes: a client starting the wrapped entry talks to the server
through the proxy, the entry's env reaches the server through the generated policy, and unwrap gives the
file back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
EMAIL = "jane.doe@example.com"


def test_a_wrapped_claude_desktop_server_is_proxied_with_its_env_and_unwrap_restores_it(
    tmp_path: Path,
) -> None:
    seen = tmp_path / "backend-env.json"
    backend = (
        "import json, os, sys; "
        f"open({str(seen)!r}, 'w').write(json.dumps(sorted(os.environ))); "
        "os.execvp(sys.executable, [sys.executable, '-m', 'examples.echo_server'])"
    )
    config = tmp_path / "claude_desktop_config.json"
    entry = {"command": sys.executable, "args": ["-c", backend], "env": {"ECHO_API_TOKEN": "tok-123"}}
    config.write_text(json.dumps({"mcpServers": {"echo": entry}, "globalShortcut": ""}, indent=2) + "\n")
    original = config.read_bytes()
    shim = tmp_path / "bin" / "veil"  # the `veil` on a user's PATH, running this checkout
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nPYTHONPATH={ROOT} exec {sys.executable} -m proxy "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEIL_", "GOOGLE_", "PYTHONPATH"))}
    env.update(VEIL_HOME=str(tmp_path / "veil-home"), HOME=str(tmp_path), OTHER_SECRET_KEY="never")

    wrap = subprocess.run(
        [str(shim), "wrap", "--veil", str(shim), str(config)], capture_output=True, text=True, env=env
    )
    assert wrap.returncode == 0, wrap.stderr
    wrapped = json.loads(config.read_text())["mcpServers"]["echo"]
    assert wrapped["command"] == str(shim)

    # What Claude Desktop does: start the entry's command with its env on top of its own.
    reply = _call_echo(wrapped, {**env, **wrapped["env"]}, cwd=tmp_path)
    text = json.dumps(reply["result"])
    assert EMAIL not in text and "[[EMAIL_ADDRESS:" in text
    names = set(json.loads(seen.read_text()))
    assert "ECHO_API_TOKEN" in names  # named by the generated policy's env_allow
    assert "OTHER_SECRET_KEY" not in names  # the rest of the client's environment is scrubbed

    unwrap = subprocess.run([str(shim), "unwrap", str(config)], capture_output=True, text=True, env=env)
    assert unwrap.returncode == 0, unwrap.stderr
    assert config.read_bytes() == original


def _call_echo(entry: dict[str, Any], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    client = {"name": "t", "version": "0"}
    init = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": client}
    call = {"name": "echo", "arguments": {"text": f"write to {EMAIL}"}}
    with subprocess.Popen(
        [entry["command"], *entry["args"]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            _send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init})
            _read(proc, 1)
            _send(proc, {"jsonrpc": "2.0", "method": "notifications/initialized"})
            _send(proc, {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": call})
            return _read(proc, 2)
        finally:
            proc.stdin.close()
            proc.wait(timeout=60)


def _send(proc: subprocess.Popen[str], message: dict[str, Any]) -> None:
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(message) + "\n")
    proc.stdin.flush()


def _read(proc: subprocess.Popen[str], ident: int) -> dict[str, Any]:
    assert proc.stdout is not None
    while line := proc.stdout.readline():
        reply = json.loads(line)
        if reply.get("id") == ident:
            return dict(reply)
    raise AssertionError(f"the wrapped server closed stdout before answering request {ident}")
