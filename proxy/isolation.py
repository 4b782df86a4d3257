"""Isolation beyond resource limits: a stdio backend inside bubblewrap (`sandbox.isolate: true`).

Why bubblewrap: it is Debian's small, audited namespace launcher (Flatpak's), it works with unprivileged
user namespaces, and it needs no daemon. The backend gets its own PID, mount, IPC, UTS and (with
`network: none`) network namespaces, a read-only view of the host filesystem except a private tmpfs `/tmp`
and the paths the policy names writable, no capabilities, no new privileges (bwrap always sets
`PR_SET_NO_NEW_PRIVS`), and dies with the proxy (`--die-with-parent`; the PID namespace's init takes every
process of the backend with it).

Fail closed: when the policy asks for isolation and bwrap is missing or cannot create namespaces on this
machine, the backend is not started — `IsolationUnavailable` says why and how to fix it. A backend is never
silently run unisolated.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from proxy.errors import BackendUnavailable
from proxy.sandbox import SandboxSpec

PRIVATE_TMP = "/tmp"


# Exit status of `veil run` when the policy asks for isolation this machine cannot give (EX_CONFIG).
ISOLATION_UNAVAILABLE = 78


class IsolationUnavailable(BackendUnavailable):
    """The policy asks for `sandbox.isolate: true` and this machine cannot provide it."""


def isolated_command(spec: SandboxSpec, command: Sequence[str], bwrap: str = "bwrap") -> list[str]:
    """`command` (the launcher's command line) wrapped in bwrap as the spec says; unchanged without
    `isolate`. Order matters: later mounts sit on top of earlier ones, so the writable binds come last
    (a named path under /tmp is still the host's, not the private tmpfs)."""
    if not spec.isolate:
        return list(command)
    args = [
        bwrap,
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--tmpfs", PRIVATE_TMP,
        "--unshare-all",  # user (if it can), ipc, pid, net, uts, cgroup (if it can)
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--setenv", "TMPDIR", PRIVATE_TMP,
    ]  # fmt: skip
    if spec.network == "host":
        args.append("--share-net")
    else:
        # No network namespace reaches a filesystem socket: hide the usual place for them (databases,
        # D-Bus, systemd). /tmp is already private.
        args += ["--tmpfs", "/run"]
    for path in _code_under_tmp(command):
        args += ["--ro-bind", path, path]
    for path in spec.writable:
        args += ["--bind", path, path]
    return [*args, "--", *command]


def _code_under_tmp(command: Sequence[str]) -> list[str]:
    """What the launcher needs that the private /tmp would hide, read-only: the interpreter's prefix (a
    virtualenv), the proxy's own code (the launcher is `proxy/sandbox.py`) and every existing file the
    command line names, where they lie under /tmp (a checkout or a CI workspace there)."""
    root = str(Path(__file__).resolve().parents[1])
    candidates = [sys.prefix, root, *(a for a in command if os.path.isabs(a))]
    existing = [p for p in candidates if os.path.exists(p)]
    inside = [*map(os.path.normpath, existing), *map(os.path.realpath, existing)]  # a link and its target
    under = sorted({p for p in inside if p.startswith(PRIVATE_TMP + "/")})
    # A path inside one already bound is visible through it (and a read-only bind has no room for a mount
    # point: bwrap could not create one there).
    return [p for i, p in enumerate(under) if not any(p.startswith(q + "/") for q in under[:i])]


def require_isolation(bwrap: str = "bwrap") -> str:
    """The path of a bwrap that can create namespaces here, or IsolationUnavailable saying why not."""
    found = shutil.which(bwrap)
    if found is None:
        raise IsolationUnavailable(
            "mcp-veil: the policy asks for an isolated backend (sandbox.isolate: true) but bubblewrap "
            "(`bwrap`) is not installed; install it (Debian/Ubuntu: `apt-get install bubblewrap`) or set "
            "`sandbox.isolate: false` in the policy. The backend was not started."
        )
    problem = _probe(found)
    if problem is not None:
        raise IsolationUnavailable(
            "mcp-veil: the policy asks for an isolated backend (sandbox.isolate: true) but bubblewrap "
            f"cannot create namespaces on this machine ({problem}); enable unprivileged user namespaces "
            "(`sysctl kernel.unprivileged_userns_clone=1`, or the AppArmor rule for bwrap) or set "
            "`sandbox.isolate: false`. The backend was not started."
        )
    return found


@lru_cache(maxsize=8)
def _probe(bwrap: str) -> str | None:
    """None when `bwrap` can build the namespaces `isolated_command` asks for; else its first error line.
    Cached: the answer does not change while the proxy runs, and it costs a process start."""
    probe = [bwrap, "--ro-bind", "/", "/", "--unshare-all", "--cap-drop", "ALL", "--", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap could not run: {type(exc).__name__}"
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    return (lines[0] if lines else f"exit status {done.returncode}")[:200]
