"""`veil run` starts its backend before it loads the rest of itself, and never leaves it behind."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.polling import wait_until

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def anyio_backend():
    return "asyncio"


ROOT = Path(__file__).resolve().parents[2]
INIT = (
    json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        }
    )
    + "\n"
).encode()

# Loaded first by the proxy's interpreter (PYTHONPATH): the bulk of the proxy (its wiring: the MCP SDK,
# SQLAlchemy, the vault) takes 3 s longer to import, and the moment it is loaded is written down.
SLOW_WIRING = """
import builtins, os, time
_import = builtins.__import__
_slowed = []
def _slow_import(name, *args, **kwargs):
    if name == "proxy.wiring" and not _slowed:
        _slowed.append(name)
        time.sleep(3)
        module = _import(name, *args, **kwargs)
        with open(os.environ["WIRING_LOADED_AT"], "w") as f:
            f.write(repr(time.time()))
        return module
    return _import(name, *args, **kwargs)
builtins.__import__ = _slow_import
"""

# The backend: writes down when and as which process it started, then is the example echo server.
STAMPED_ECHO = """
import os, sys, time
with open(os.environ["BACKEND_STARTED_AT"], "w") as f:
    f.write(repr(time.time()) + " " + str(os.getpid()))
os.execv(sys.executable, [sys.executable, "-m", "examples.echo_server"])
"""


def _proxy(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    backend = tmp_path / "stamped_echo.py"
    backend.write_text(STAMPED_ECHO)
    policy = tmp_path / "pass.yaml"  # the stamps' paths reach the scrubbed backend
    policy.write_text("version: 1\nname: stamps\nsandbox:\n  env_allow: [BACKEND_STARTED_AT, PYTHONPATH]\n")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "proxy",
            "run",
            "--policy",
            str(policy),
            *args,
            "--",
            sys.executable,
            str(backend),
        ],
        input=INIT,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_the_backend_starts_while_the_proxy_is_still_loading_and_the_handshake_goes_through(
    veil_home, tmp_path
):
    (tmp_path / "sitecustomize.py").write_text(SLOW_WIRING)
    env = {
        **os.environ,
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        "WIRING_LOADED_AT": str(tmp_path / "wiring"),
        "BACKEND_STARTED_AT": str(tmp_path / "backend"),
    }
    proc = _proxy(tmp_path, env)
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    assert replies and replies[0]["result"]["serverInfo"]["name"] == "veil-example-echo", proc.stderr[-2000:]
    backend_started = float((tmp_path / "backend").read_text().split()[0])
    wiring_loaded = float((tmp_path / "wiring").read_text())
    # Started before the proxy's bulk was loaded, not after: its start-up overlaps the proxy's.
    assert backend_started < wiring_loaded - 2.0


@pytest.mark.anyio
async def test_a_proxy_that_refuses_to_start_leaves_no_backend_behind(veil_home, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BACKEND_STARTED_AT": str(tmp_path / "backend")}
    first = _proxy(tmp_path, env)  # creates the vault under the fixture's key
    assert "result" in json.loads(first.stdout.splitlines()[0]), first.stderr[-2000:]
    env["VEIL_MASTER_KEY"] = base64.b64encode(b"w" * 32).decode()  # not the vault's key
    refused = _proxy(tmp_path, env)
    assert refused.returncode != 0
    error = json.loads(refused.stdout.splitlines()[0])["error"]
    assert "could not start" in error["message"]
    pid = int((tmp_path / "backend").read_text().split()[1])
    await wait_until(lambda: not _alive(pid), timeout=10)  # the early-started backend did not outlive it


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited: only its parent has not read its status yet.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
