"""Starting a stdio backend: the launcher command, the scrubbed environment, the process.

This module imports only the standard library, anyio and the sandbox, never the MCP SDK: `veil run` starts
its backend before it imports the rest of itself (the SDK, SQLAlchemy, the vault — about a second of CPU),
so an MCP client that launches the proxy waits for the slower of the two start-ups instead of their sum.
The process is the one the SDK's own helper would start (its own session and process group, stdin and
stdout as pipes, the SDK's short list of inherited variables under the backend's environment), so the
SDK's stop sequence (`wire.stop_process`) ends it the same way.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import Any

import anyio
from anyio.abc import Process

from proxy.config import SECRET_ENV
from proxy.isolation import IsolationUnavailable, isolated_command, require_isolation
from proxy.sandbox import SandboxSpec, backend_env, launcher_command

# What the SDK's stdio client lets a server inherit on POSIX when it is given an environment of its own.
_INHERITED = ("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER")


def default_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The inherited variables present in `environ`, minus exported shell functions (a value starting
    with `()` is one: bash would import it into the backend's shell)."""
    return {k: environ[k] for k in _INHERITED if k in environ and not environ[k].startswith("()")}


async def spawn(argv: Sequence[str], env: Mapping[str, str], errlog: Any) -> Process:
    """`argv` in a new session (its own process group, so stopping it ends the whole tree), with pipes on
    stdin and stdout and `env` over the default environment."""
    return await anyio.open_process(
        list(argv),
        env=default_environment(os.environ) | dict(env),
        stderr=errlog,
        start_new_session=True,
    )


async def start_backend(command: Sequence[str], sandbox: SandboxSpec | None = None) -> Process:
    """The backend `command` under the launcher (limits, parent-death signal) with the policy's scrubbed
    environment; its stderr a pipe the proxy reads through the detectors. OSError if it cannot start —
    FileNotFoundError naming the command when it is not found (the launcher would hide that)."""
    spec = sandbox or SandboxSpec()
    if not command or shutil.which(command[0]) is None:
        raise FileNotFoundError(2, "No such file or directory", command[0] if command else "")
    argv = launcher_command(spec, command)
    if spec.isolate:  # IsolationUnavailable: never started unisolated
        argv = isolated_command(spec, argv, await anyio.to_thread.run_sync(require_isolation))
    env = backend_env(spec, os.environ, SECRET_ENV)
    return await spawn(argv, env, errlog=subprocess.PIPE)


async def early_backend(command: Sequence[str], sandbox: SandboxSpec) -> Process | None:
    """The backend started before the rest of the proxy loads, or None if it cannot start: the relay then
    tries again the usual way, and answers the client with the cause."""
    try:
        return await start_backend(command, sandbox)
    except (OSError, IsolationUnavailable):
        return None


async def stop_now(process: Process) -> None:
    """End a backend the relay never took over (the proxy is refusing to start): its whole process group,
    at once."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with anyio.CancelScope(shield=True), anyio.move_on_after(5):
        await process.wait()
