"""`sandbox.isolate: true` through `veil run`: the isolated backend still serves MCP (tokenized as ever),
it dies with the proxy even on `kill -9`, and a machine without bubblewrap refuses to start it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mcp import Client

from proxy.isolation import IsolationUnavailable, require_isolation

pytestmark = [pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
ECHO = [sys.executable, "-m", "examples.echo_server"]
INIT = {
    "jsonrpc": "2.0",
    "id": 7,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


def _problem() -> str | None:
    try:
        require_isolation()
    except IsolationUnavailable as exc:
        return exc.message
    return None


PROBLEM = _problem()
needs_bwrap = pytest.mark.skipif(PROBLEM is not None, reason=f"no isolation on this machine: {PROBLEM}")


def _policy(tmp_path: Path, *extra: str) -> str:
    path = tmp_path / "isolate.yaml"
    path.write_text("version: 1\nname: isolate\nsandbox:\n  isolate: true\n" + "".join(extra))
    return str(path)


@needs_bwrap
@pytest.mark.anyio
async def test_an_isolated_backend_serves_mcp_through_veil_run_and_its_results_are_still_tokenized(
    veil_stdio, tmp_path
):
    params = veil_stdio(ECHO, "--policy", _policy(tmp_path))
    async with Client(params, mode="legacy") as client:
        tools = await client.list_tools()
        assert "echo" in {tool.name for tool in tools.tools}
        result = await client.call_tool("echo", {"text": "write to ada.lovelace@example.com"})
    text = result.content[0].text  # type: ignore[union-attr]
    assert "[[EMAIL_ADDRESS:" in text and "ada.lovelace" not in text


BOXED = """
import os, sys, time
open(os.path.join(sys.argv[1], "ready"), "w").write(str(os.getpid()))
time.sleep(120)
"""


def _pids_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@needs_bwrap
def test_an_isolated_backend_dies_with_its_proxy_even_on_kill_9(veil_env, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    marker = f"veil-boxed-{os.getpid()}-{tmp_path.name}"
    policy = _policy(tmp_path, f"  writable: [{shared}]\n")
    backend = [sys.executable, "-c", BOXED, str(shared), marker]
    proxy = subprocess.Popen(
        [sys.executable, "-m", "proxy", "run", "--policy", policy, "--", *backend],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, **veil_env},
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while not (shared / "ready").exists():
            assert proxy.poll() is None and time.monotonic() < deadline, "the isolated backend did not start"
            time.sleep(0.05)
        # It wrote through its writable path, and from a PID namespace of its own.
        assert int((shared / "ready").read_text()) < 10
        boxed = _pids_with(marker)
        assert boxed, "the backend's processes are not visible from the host"
    finally:
        proxy.send_signal(signal.SIGKILL)
        proxy.wait()
    deadline = time.monotonic() + 10
    while (left := [pid for pid in boxed if Path(f"/proc/{pid}").exists()]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "the isolated backend outlived its killed proxy"


def _refusal(env: dict[str, str], policy: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "proxy", "run", "--policy", policy, "--", *ECHO],
        input=json.dumps(INIT).encode() + b"\n",
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_without_bwrap_veil_run_refuses_to_start_the_backend_and_tells_the_client_why(veil_env, tmp_path):
    env = {**os.environ, **veil_env, "PATH": str(tmp_path / "empty-bin")}
    proc = _refusal(env, _policy(tmp_path))
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 78, proc.stderr.decode()[-2000:]
    assert len(replies) == 1 and replies[0]["id"] == 7
    message = replies[0]["error"]["message"]
    assert "sandbox.isolate: true" in message and "apt-get install bubblewrap" in message
    assert "was not started" in proc.stderr.decode()


def test_a_bwrap_without_namespaces_is_refused_the_same_way(veil_env, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "bwrap"  # what bwrap says where unprivileged user namespaces are disabled
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    env = {**os.environ, **veil_env, "PATH": f"{bin_dir}:/usr/bin:/bin"}
    proc = _refusal(env, _policy(tmp_path))
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 78
    message = replies[0]["error"]["message"]
    assert "cannot create namespaces" in message and "uid map: Permission denied" in message
