"""The backend's launcher: `python -I -S launcher.py [limits] -- COMMAND` (built by
`proxy.sandbox.launcher_command`).

It makes the backend die with the proxy (a parent-death signal, kept across exec), and with resource
limits sets them with setrlimit, starts the backend in its place in the process tree (same stdin and
stdout, so the wire is untouched), waits, and when a limit killed it says which on stderr and exits with
the backend's status. Without limits it becomes the backend (exec).

Its own module, importing almost nothing, because it runs before every backend: the client waits for the
backend's `initialize` answer, and the launcher's start is part of it. (In `proxy.sandbox`, with that
module's argparse, dataclasses, pathlib and subprocess, it started several times slower than Python itself.)
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
_LIMIT_SIGNALS = {signal.SIGXCPU: "cpu time", signal.SIGKILL: "a hard limit", signal.SIGSEGV: "memory"}
_OPTIONS = ("--address-space-mb", "--cpu-seconds", "--open-files")
USAGE = (
    "usage: launcher.py [--address-space-mb N] [--cpu-seconds N] [--open-files N] [--in-pid-namespace] "
    "-- COMMAND"
)


def die_with_parent(in_pid_namespace: bool = False) -> None:
    """Linux: SIGKILL this process when its parent dies (kept across exec). A no-op elsewhere.

    In bwrap's PID namespace the parent is the namespace's init, pid 1, and alive: the orphan check is
    skipped there (bwrap's `--die-with-parent` and the namespace take the backend down with the proxy)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1 and not in_pid_namespace:  # the parent is already gone
        os._exit(1)


def _apply_limits(address_space_mb: int | None, cpu_seconds: int | None, open_files: int | None) -> None:
    import resource

    if address_space_mb is not None:
        size = address_space_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if cpu_seconds is not None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    if open_files is not None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))


def parse(argv: list[str]) -> tuple[dict[str, int], bool, list[str]]:
    """(limits by option, --in-pid-namespace, the command). ValueError with the problem."""
    limits: dict[str, int] = {}
    in_pid_namespace = False
    rest = list(argv)
    while rest and rest[0] != "--":
        option = rest.pop(0)
        if option == "--in-pid-namespace":
            in_pid_namespace = True
        elif option in _OPTIONS and rest and rest[0].lstrip("-").isdigit():
            limits[option] = int(rest.pop(0))
        else:
            raise ValueError(f"unknown or incomplete option {option!r}")
    command = rest[1:]
    if not command:
        raise ValueError("no backend command")
    return limits, in_pid_namespace, command


def main(argv: list[str] | None = None) -> int:
    try:
        limits, in_pid_namespace, command = parse(sys.argv[1:] if argv is None else argv)
    except ValueError as exc:
        sys.stderr.write(f"{USAGE}\nveil launcher: {exc}\n")
        return 2
    die_with_parent(in_pid_namespace)
    if not limits:
        try:
            os.execvp(command[0], command)  # no limits: become the backend, keeping the death signal
        except OSError as exc:
            sys.stderr.write(f"veil sandbox: cannot start the backend: {exc.strerror}\n")
            return 127
    import subprocess

    address_space_mb = limits.get("--address-space-mb")
    cpu_seconds, open_files = limits.get("--cpu-seconds"), limits.get("--open-files")
    # Forward a stop to the backend; the SDK also signals the whole group.
    child: subprocess.Popen[bytes] | None = None

    def forward(signum: int, _frame: object) -> None:
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, forward)
    try:
        child = subprocess.Popen(
            command, preexec_fn=lambda: _apply_limits(address_space_mb, cpu_seconds, open_files)
        )
    except OSError as exc:
        sys.stderr.write(f"veil sandbox: cannot start the backend: {exc.strerror}\n")
        return 127
    code = child.wait()
    if code < 0:
        sig = signal.Signals(-code)
        what = _LIMIT_SIGNALS.get(sig)
        why = f" (its {what} limit)" if what and sig != signal.SIGKILL else ""
        sys.stderr.write(f"veil sandbox: backend killed by {sig.name}{why}\n")
        return 128 - code
    if code != 0 and address_space_mb is not None:
        sys.stderr.write(
            f"veil sandbox: backend exited with status {code} (address space limited to "
            f"{address_space_mb} MiB)\n"
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
