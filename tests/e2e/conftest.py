"""Shared end-to-end fixtures: real subprocesses, `veil run -- <backend>` in front of real MCP servers.

`veil_stdio(backend_cmd, *veil_args)` builds the `StdioServerParameters` of a proxied backend: `python -m
proxy run [veil_args] -- backend_cmd`, run from the repository root with its own data dir and master key.
`direct_stdio(backend_cmd)` builds the same backend without the proxy, with the environment the backend
would see behind it (the proxy passes its environment on, minus its secrets), so environment-dependent
output can be compared.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from mcp import StdioServerParameters

from proxy.config import SECRET_ENV

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / ".node" / "node_modules"

StdioFactory = Callable[..., StdioServerParameters]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def processes_with_env(name: str, value: str) -> list[int]:
    """Pids of the processes whose environment has `name=value` (Linux /proc; empty elsewhere)."""
    wanted = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if wanted in environ.split(b"\0") and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    return found


def started_processes(veil_home: Path) -> list[int]:
    """Pids of the processes this test started with its own data dir: proxies carry VEIL_HOME; backends,
    whose environment the proxy scrubs, keep TMPDIR (one of the basics every backend gets)."""
    by_home = processes_with_env("VEIL_HOME", str(veil_home))
    return sorted({*by_home, *processes_with_env("TMPDIR", str(veil_home / "tmp"))})


def reap(veil_home: Path, grace: float = 3.0) -> list[int]:
    """Wait up to `grace` seconds for every process started with this data dir to end; kill the rest.
    Returns the pids that had to be killed."""
    deadline = time.monotonic() + grace
    while (left := started_processes(veil_home)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return left


@pytest.fixture
def veil_env(veil_home: Path) -> Iterator[dict[str, str]]:
    """What a `veil run` subprocess needs beyond the SDK's default environment (PATH, HOME, …).

    PYTHONPATH points at the repository: google-ads ships a top-level `examples` package that would
    otherwise shadow ours. Every process started with this environment (proxies, their backends, direct
    servers) carries this test's own VEIL_HOME or TMPDIR (started_processes): whatever still runs after the
    test is killed and reported as a warning, so no test leaves servers behind.
    """
    (veil_home / "tmp").mkdir(parents=True, exist_ok=True)
    env = {
        "VEIL_HOME": str(veil_home),
        "TMPDIR": str(veil_home / "tmp"),
        "VEIL_MASTER_KEY": os.environ["VEIL_MASTER_KEY"],
        "PYTHONPATH": str(ROOT),
    }
    yield env
    left = reap(veil_home, grace=1.0)
    if left:
        warnings.warn(
            f"{len(left)} process(es) started by this test outlived it and were killed", stacklevel=1
        )


@pytest.fixture
def veil_stdio(veil_env: dict[str, str]) -> StdioFactory:
    def make(backend_cmd: Sequence[str], *veil_args: str) -> StdioServerParameters:
        return StdioServerParameters(
            command=sys.executable,
            args=["-m", "proxy", "run", *veil_args, "--", *backend_cmd],
            env=dict(veil_env),
            cwd=str(ROOT),
        )

    return make


@pytest.fixture
def direct_stdio(veil_env: dict[str, str]) -> StdioFactory:
    backend_env = {k: v for k, v in veil_env.items() if k not in SECRET_ENV}

    def make(backend_cmd: Sequence[str]) -> StdioServerParameters:
        return StdioServerParameters(
            command=backend_cmd[0], args=list(backend_cmd[1:]), env=dict(backend_env), cwd=str(ROOT)
        )

    return make


@pytest.fixture
def node_package_cmd() -> Callable[..., list[str]]:
    """`node <bin of an npm package installed under .node/> args…`; skips the test when node or the package is
    missing (`make node` installs them)."""

    def make(package: str, *args: str) -> list[str]:
        node = shutil.which("node")
        if node is None:
            pytest.skip(f"node is not on PATH: {package} cannot run")
        manifest = NODE_MODULES / package / "package.json"
        if not manifest.is_file():
            pytest.skip(f"npm package {package} is not installed under {NODE_MODULES} (run `make node`)")
        bin_field = json.loads(manifest.read_text())["bin"]
        entry = bin_field if isinstance(bin_field, str) else next(iter(bin_field.values()))
        return [node, str(manifest.parent / entry), *args]

    return make
